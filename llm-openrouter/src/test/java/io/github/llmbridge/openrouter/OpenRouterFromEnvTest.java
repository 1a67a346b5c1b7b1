package io.github.llmbridge.openrouter;

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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ChatClients.fromEnv(...)} selects and configures the OpenRouter backend from variables. */
class OpenRouterFromEnvTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST = ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "gen-1", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
                """)));
    }

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void useOpenRouterDirectSelectsOpenRouterWithOpenAiKeyAndBase() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENAI_API_KEY", "k", "OPENAI_API_BASE", root()))) {
            assertThat(c).isInstanceOf(OpenRouterChatClient.class);
            assertThat(c.backend()).isEqualTo("openrouter");

            assertThat(c.chat(REQUEST).content()).isEqualTo("ok");
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/chat/completions")).withHeader("Authorization", equalTo("Bearer k")));
    }

    @Test
    void llmBackendOpenRouterSelectsOpenRouter() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND", "OpenRouter", "USE_OPENROUTER_DIRECT", "false",
                "OPENROUTER_API_KEY", "k", "OPENROUTER_BASE_URL", root()))) {
            assertThat(c.backend()).isEqualTo("openrouter");
        }
    }

    @Test
    void openRouterKeyWinsOverOpenAiKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true",
                "OPENROUTER_API_KEY", "or-key", "OPENAI_API_KEY", "openai-key", "OPENAI_API_BASE", root()))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer or-key")));
    }

    @Test
    void openRouterBaseUrlWinsOverOpenAiApiBase() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k",
                "OPENROUTER_BASE_URL", root() + "/api/v1", "OPENAI_API_BASE", root() + "/wrong"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
        wm.verify(0, postRequestedFor(urlEqualTo("/wrong/chat/completions")));
    }

    @Test
    void defaultBaseUrlIsOpenRouter() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k"))) {
            assertThat(((OpenRouterChatClient) c).baseUrl()).isEqualTo(URI.create("https://openrouter.ai/api/v1"));
        }
    }

    @Test
    void refererAndTitleVariablesBecomeAttributionHeaders() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k",
                "OPENROUTER_BASE_URL", root(), "OPENROUTER_REFERER", "https://example.org/app",
                "OPENROUTER_TITLE", "My Trainer"))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/chat/completions"))
                .withHeader("HTTP-Referer", equalTo("https://example.org/app"))
                .withHeader("X-OpenRouter-Title", equalTo("My Trainer"))
                .withHeader("X-Title", equalTo("My Trainer")));
    }

    @Test
    void noAttributionHeadersWithoutTheirVariables() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k",
                "OPENROUTER_BASE_URL", root(), "OPENROUTER_REFERER", "  "))) {
            c.chat(REQUEST);
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/chat/completions"))
                .withHeader("HTTP-Referer", absent())
                .withHeader("X-OpenRouter-Title", absent())
                .withHeader("X-Title", absent()));
    }

    @Test
    void titleThatCannotBeSentAsAHeaderIsRejectedWhenTheClientIsBuilt() {
        // An en dash is outside ISO-8859-1, which the JDK requires of header values.
        LlmException e = catchThrowableOfType(LlmException.class, () -> {
            try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k",
                    "OPENROUTER_BASE_URL", root(), "OPENROUTER_TITLE", "Trainer \u2013 RL"))) {
                assertThat(c).as("built without complaint").isNotNull();
            }
        });

        assertThat(e).as("fromEnv should reject the title").isNotNull();
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_TITLE");
    }

    @Test
    void missingKeyIsAConfigurationErrorNamingBothVariables() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENAI_API_BASE", root())));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_API_KEY").contains("OPENAI_API_KEY");
    }

    @Test
    void blankKeyCountsAsMissing() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "   ")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_API_KEY");
    }

    @Test
    void invalidBaseUrlIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k", "OPENROUTER_BASE_URL", "ftp://x")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_BASE_URL").contains("ftp://x");
    }

    @Test
    void invalidConcurrencyIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k", "OPENROUTER_MAX_CONCURRENT_CALLS", "abc")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_MAX_CONCURRENT_CALLS").contains("abc");
    }

    @Test
    void invalidTimeoutIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k", "LLM_TIMEOUT_SECONDS", "soon")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LLM_TIMEOUT_SECONDS");
    }

    @Test
    void timeoutVariableLimitsEachCall() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}").withFixedDelay(10_000)));
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k",
                "OPENROUTER_BASE_URL", root(), "LLM_TIMEOUT_SECONDS", "0.3"))) {
            CompletableFuture<ChatResponse> f = c.chatAsync(REQUEST);

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @Test
    void invalidSwitchValueIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "maybe", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("USE_OPENROUTER_DIRECT").contains("maybe");
    }

    @Test
    void withoutTheLiteLlmModuleTheDefaultBackendIsReportedAsUnavailable() {
        LlmException e = catchThrowableOfType(LlmException.class,
                () -> ChatClients.fromEnv(env("OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("litellm").contains("openrouter");
        assertThat(ChatClients.availableBackends()).containsExactly("openrouter");
    }
}
