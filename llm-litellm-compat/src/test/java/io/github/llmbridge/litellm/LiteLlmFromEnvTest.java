package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatClients;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ChatClients.fromEnv(...)} selects and configures the LiteLLM backend from variables. */
class LiteLlmFromEnvTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String PATH = "/v1/chat/completions";
    private static final ChatRequest REQUEST = ChatRequest.builder().model("gpt-4o-mini").user("Hi").build();

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-1", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
                """)));
    }

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    @Test
    void useOpenRouterDirectFalseSelectsLiteLlmWithOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "false", "OPENAI_API_KEY", "k", "LITELLM_PROXY_URL", root()))) {
            assertThat(c).isInstanceOf(LiteLlmChatClient.class);
            assertThat(c.backend()).isEqualTo("litellm");

            assertThat(c.chat(REQUEST).content()).isEqualTo("ok");
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer k")));
    }

    @Test
    void liteLlmIsTheDefaultBackend() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", root()))) {
            assertThat(c.backend()).isEqualTo("litellm");
        }
    }

    @Test
    void llmBackendLiteLlmWinsOverUseOpenRouterDirect() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LLM_BACKEND", "litellm", "USE_OPENROUTER_DIRECT", "true"))) {
            assertThat(c.backend()).isEqualTo("litellm");
        }
    }

    @Test
    void defaultProxyUrlIsLocalhost4000() {
        try (ChatClient c = ChatClients.fromEnv(Map.of())) {
            assertThat(((LiteLlmChatClient) c).proxyUrl()).isEqualTo(URI.create("http://localhost:4000"));
        }
    }

    @Test
    void proxyUrlWithV1SuffixStillPostsToV1ChatCompletions() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", root() + "/v1/"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void liteLlmKeyWinsOverOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false",
                "LITELLM_API_KEY", "litellm-key", "OPENAI_API_KEY", "openai-key", "LITELLM_PROXY_URL", root()))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer litellm-key")));
    }

    @Test
    void noKeySendsNoAuthorizationHeader() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false", "LITELLM_PROXY_URL", root()))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void openRouterVariablesAreIgnoredByLiteLlm() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false", "LITELLM_PROXY_URL", root(),
                "OPENROUTER_API_KEY", "or-key", "OPENROUTER_BASE_URL", "http://127.0.0.1:1/api/v1"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @ParameterizedTest(name = "LITELLM_PROXY_URL={0}")
    @ValueSource(strings = {"localhost:4000", "ftp://x", "http://", "not a url", "//localhost:4000"})
    void badProxyUrlIsAConfigurationErrorNamingTheVariable(String url) {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false", "LITELLM_PROXY_URL", url)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LITELLM_PROXY_URL").contains(url);
    }

    @ParameterizedTest(name = "LITELLM_MAX_CONCURRENT_CALLS={0}")
    @ValueSource(strings = {"abc", "0", "-3", "1.5"})
    void badConcurrencyIsAConfigurationErrorNamingTheVariable(String value) {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "false", "LITELLM_PROXY_URL", root(), "LITELLM_MAX_CONCURRENT_CALLS", value)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LITELLM_MAX_CONCURRENT_CALLS").contains(value);
    }

    @Test
    void badResponseSizeCapIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "LITELLM_PROXY_URL", root(), "LLM_MAX_RESPONSE_BYTES", "lots")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LLM_MAX_RESPONSE_BYTES");
    }

    @Test
    void liteLlmDefaultTimeoutLimitsEachCall() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}").withFixedDelay(10_000)));
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", root(), "LITELLM_DEFAULT_TIMEOUT", "0.3"))) {
            CompletableFuture<ChatResponse> f = c.chatAsync(REQUEST);

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @Test
    void withoutTheOpenRouterModuleSelectingItIsReportedAsUnavailable() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("openrouter").contains("USE_OPENROUTER_DIRECT").contains("litellm");
        assertThat(ChatClients.availableBackends()).containsExactly("litellm");
    }
}
