package io.github.llmbridge.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.config.ChatClients;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With both backends on the classpath (as in a trainer), the one environment variable switches
 * between them: the same configuration, only USE_OPENROUTER_DIRECT flipped.
 */
class EnvSwitchTest {

    @RegisterExtension
    static WireMockExtension openRouter = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @RegisterExtension
    static WireMockExtension liteLlm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String REPLY = """
            {"id":"r","model":"openai/gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"%s"},
             "finish_reason":"stop"}]}""";

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("hi").build();

    @BeforeEach
    void stubBoth() {
        openRouter.stubFor(
                post(urlEqualTo("/chat/completions")).willReturn(okJson(REPLY.formatted("from openrouter"))));
        liteLlm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(REPLY.formatted("from litellm"))));
    }

    private static Map<String, String> env(String useOpenRouterDirect) {
        Map<String, String> env = new HashMap<>();
        env.put("USE_OPENROUTER_DIRECT", useOpenRouterDirect);
        env.put("OPENAI_API_KEY", "k");
        env.put("OPENAI_API_BASE", openRouter.baseUrl());
        env.put("LITELLM_PROXY_URL", liteLlm.baseUrl());
        return env;
    }

    @Test
    void switchOnCallsOpenRouterChatCompletionsWithTheBearerKey() {
        try (ChatClient client = ChatClients.fromEnv(env("true"))) {
            assertThat(client.backend()).isEqualTo("openrouter");
            assertThat(client.chat(REQUEST).content()).isEqualTo("from openrouter");
        }
        openRouter.verify(
                1, postRequestedFor(urlEqualTo("/chat/completions")).withHeader("Authorization", equalTo("Bearer k")));
        liteLlm.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void switchOffCallsTheLiteLlmProxyWithTheSameEnvironment() {
        try (ChatClient client = ChatClients.fromEnv(env("false"))) {
            assertThat(client.backend()).isEqualTo("litellm");
            assertThat(client.chat(REQUEST).content()).isEqualTo("from litellm");
        }
        liteLlm.verify(
                1,
                postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer k")));
        openRouter.verify(0, postRequestedFor(urlEqualTo("/chat/completions")));
    }

    @Test
    void everyBundledBackendIsDiscoveredFromTheClasspath() {
        assertThat(ChatClients.availableBackends()).containsExactly("litellm", "mock", "openrouter", "rllm");
    }
}
