package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.contract.BackendFromEnvContract;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ChatClients.fromEnv(...)} selects and configures the LiteLLM backend from variables:
 * the shared contract, plus which variables select LiteLLM and which of them win.
 */
class LiteLlmFromEnvTest extends BackendFromEnvContract {

    private static final String PATH = "/v1/chat/completions";

    LiteLlmFromEnvTest() {
        super(new LiteLlmFixture());
    }

    @Test
    void useOpenRouterDirectFalseSelectsLiteLlmWithOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(
                Map.of("USE_OPENROUTER_DIRECT", "false", "OPENAI_API_KEY", "k", "LITELLM_PROXY_URL", serverRoot()))) {
            assertThat(c.unwrap(LiteLlmChatClient.class)).isPresent();
            assertThat(c.backend()).isEqualTo("litellm");

            assertThat(c.chat(REQUEST).content()).isEqualTo("ok");
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer k")));
    }

    @Test
    void liteLlmIsTheDefaultBackend() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", serverRoot()))) {
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
            assertThat(c.unwrap(LiteLlmChatClient.class).orElseThrow().serverUrl())
                    .isEqualTo(URI.create("http://localhost:4000"));
        }
    }

    @Test
    void proxyUrlWithV1SuffixStillPostsToV1ChatCompletions() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", serverRoot() + "/v1/"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void liteLlmKeyWinsOverOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "false",
                "LITELLM_API_KEY",
                "litellm-key",
                "OPENAI_API_KEY",
                "openai-key",
                "LITELLM_PROXY_URL",
                serverRoot()))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer litellm-key")));
    }

    @Test
    void noKeySendsNoAuthorizationHeader() {
        try (ChatClient c =
                ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false", "LITELLM_PROXY_URL", serverRoot()))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void openRouterVariablesAreIgnoredByLiteLlm() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "false",
                "LITELLM_PROXY_URL",
                serverRoot(),
                "OPENROUTER_API_KEY",
                "or-key",
                "OPENROUTER_BASE_URL",
                "http://127.0.0.1:1/api/v1"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void withoutTheOpenRouterModuleSelectingItIsReportedAsUnavailable() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage())
                .contains("openrouter")
                .contains("USE_OPENROUTER_DIRECT")
                .contains("litellm");
        assertThat(ChatClients.availableBackends()).containsExactly("litellm", "mock");
    }
}
