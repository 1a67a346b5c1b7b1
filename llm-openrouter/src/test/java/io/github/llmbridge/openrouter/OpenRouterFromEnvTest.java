package io.github.llmbridge.openrouter;

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
 * {@code ChatClients.fromEnv(...)} selects and configures the OpenRouter backend from variables:
 * the shared contract, plus which variables select OpenRouter and which of them win.
 */
class OpenRouterFromEnvTest extends BackendFromEnvContract {

    OpenRouterFromEnvTest() {
        super(new OpenRouterFixture());
    }

    @Test
    void useOpenRouterDirectSelectsOpenRouterWithOpenAiKeyAndBase() {
        try (ChatClient c = ChatClients.fromEnv(
                Map.of("USE_OPENROUTER_DIRECT", "true", "OPENAI_API_KEY", "k", "OPENAI_API_BASE", serverRoot()))) {
            assertThat(c.unwrap(OpenRouterChatClient.class)).isPresent();
            assertThat(c.backend()).isEqualTo("openrouter");

            assertThat(c.chat(REQUEST).content()).isEqualTo("ok");
        }
        wm.verify(
                1, postRequestedFor(urlEqualTo("/chat/completions")).withHeader("Authorization", equalTo("Bearer k")));
    }

    @Test
    void llmBackendOpenRouterSelectsOpenRouter() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND",
                "OpenRouter",
                "USE_OPENROUTER_DIRECT",
                "false",
                "OPENROUTER_API_KEY",
                "k",
                "OPENROUTER_BASE_URL",
                serverRoot()))) {
            assertThat(c.backend()).isEqualTo("openrouter");
        }
    }

    @Test
    void openRouterKeyWinsOverOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                "or-key",
                "OPENAI_API_KEY",
                "openai-key",
                "OPENAI_API_BASE",
                serverRoot()))) {
            c.chat(REQUEST);
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/chat/completions"))
                        .withHeader("Authorization", equalTo("Bearer or-key")));
    }

    @Test
    void openRouterBaseUrlWinsOverOpenAiApiBase() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                "k",
                "OPENROUTER_BASE_URL",
                serverRoot() + "/api/v1",
                "OPENAI_API_BASE",
                serverRoot() + "/wrong"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
        wm.verify(0, postRequestedFor(urlEqualTo("/wrong/chat/completions")));
    }

    @Test
    void defaultBaseUrlIsOpenRouter() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k"))) {
            assertThat(c.unwrap(OpenRouterChatClient.class).orElseThrow().baseUrl())
                    .isEqualTo(URI.create("https://openrouter.ai/api/v1"));
        }
    }

    @Test
    void refererAndTitleVariablesBecomeAttributionHeaders() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                "k",
                "OPENROUTER_BASE_URL",
                serverRoot(),
                "OPENROUTER_REFERER",
                "https://example.org/app",
                "OPENROUTER_TITLE",
                "My Trainer"))) {
            c.chat(REQUEST);
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/chat/completions"))
                        .withHeader("HTTP-Referer", equalTo("https://example.org/app"))
                        .withHeader("X-OpenRouter-Title", equalTo("My Trainer"))
                        .withHeader("X-Title", equalTo("My Trainer")));
    }

    @Test
    void noAttributionHeadersWithoutTheirVariables() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                "k",
                "OPENROUTER_BASE_URL",
                serverRoot(),
                "OPENROUTER_REFERER",
                "  "))) {
            c.chat(REQUEST);
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/chat/completions"))
                        .withHeader("HTTP-Referer", absent())
                        .withHeader("X-OpenRouter-Title", absent())
                        .withHeader("X-Title", absent()));
    }

    @Test
    void titleThatCannotBeSentAsAHeaderIsRejectedWhenTheClientIsBuilt() {
        // An en dash is outside ISO-8859-1, which the JDK requires of header values.
        LlmException e = catchThrowableOfType(LlmException.class, () -> {
            try (ChatClient c = ChatClients.fromEnv(Map.of(
                    "USE_OPENROUTER_DIRECT",
                    "true",
                    "OPENROUTER_API_KEY",
                    "k",
                    "OPENROUTER_BASE_URL",
                    serverRoot(),
                    "OPENROUTER_TITLE",
                    "Trainer \u2013 RL"))) {
                assertThat(c).as("built without complaint").isNotNull();
            }
        });

        assertThat(e).as("fromEnv should reject the title").isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_TITLE");
    }

    @Test
    void missingKeyIsAConfigurationErrorNamingBothVariables() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENAI_API_BASE", serverRoot())));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_API_KEY").contains("OPENAI_API_KEY");
    }

    @Test
    void blankKeyCountsAsMissing() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "   ")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_API_KEY");
    }

    @Test
    void invalidSwitchValueIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "maybe", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("USE_OPENROUTER_DIRECT").contains("maybe");
    }

    @Test
    void withoutTheLiteLlmModuleTheDefaultBackendIsReportedAsUnavailable() {
        LlmException e =
                catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of("OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("litellm").contains("openrouter");
        assertThat(ChatClients.availableBackends()).containsExactly("mock", "openrouter");
    }
}
