package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatClients;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API key never leaks into exceptions, their headers, replies' headers or the client's toString. */
class OpenRouterSecretsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-or-v1-SECRETSECRET1234";
    private static final ChatRequest REQUEST = ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();

    private static OpenRouterChatClient client() {
        return OpenRouterChatClient.builder().apiKey(KEY)
                .baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1")
                .referer("https://example.org").title("t")
                .build();
    }

    private static void assertNoKeyIn(LlmException e) {
        assertThat(e.getMessage()).doesNotContain(KEY);
        assertThat(e.toString()).doesNotContain(KEY);
        assertThat(e.getLocalizedMessage()).doesNotContain(KEY);
        assertThat(e.headers().toString()).doesNotContain(KEY);
        assertThat(e.partialContent().orElse("")).doesNotContain(KEY);
    }

    @Test
    void a401EchoingTheKeyReachesTheCallerWithTheKeyRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Debug-Key", KEY)
                .withHeader("X-Request-Id", "req-" + KEY)
                .withHeader("WWW-Authenticate", "Bearer " + KEY)
                .withBody("""
                        {"error": {"code": 401, "message": "Invalid API key: %s (User not found.)"}}
                        """.formatted(KEY))));

        try (OpenRouterChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("Invalid API key").contains("[REDACTED]");
            assertThat(e.headers()).containsEntry("x-request-id", "req-[REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void aNonJsonErrorPageEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>Bad gateway for Authorization: Bearer " + KEY + "</body></html>")));

        try (OpenRouterChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.getMessage()).contains("Bad gateway");
            assertNoKeyIn(e);
        }
    }

    @Test
    void anUnparsable200EchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"gen-1\", \"echo\": \"" + KEY + "\", \"choices\": [")));

        try (OpenRouterChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertNoKeyIn(e);
        }
    }

    @Test
    void anErrorInsideA200EchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"id": "gen-1", "choices": [{"index": 0, "finish_reason": "error",
                          "message": {"role": "assistant", "content": "partial %1$s"},
                          "error": {"code": 502, "message": "upstream rejected key %1$s"}}]}
                        """.formatted(KEY))));

        try (OpenRouterChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.partialContent()).hasValue("partial [REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void successfulReplyHeadersEchoingTheKeyAreRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Echo", KEY)
                .withHeader("Authorization", "Bearer " + KEY)
                .withBody("""
                        {"id": "gen-1", "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "ok"}}]}
                        """)));

        try (OpenRouterChatClient c = client()) {
            ChatResponse r = c.chat(REQUEST);

            assertThat(r.headers()).doesNotContainKey("authorization");
            assertThat(r.headers().toString()).doesNotContain(KEY);
            assertThat(r.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aKeyTheHttpClientCannotSendNeverAppearsInTheError() {
        // A zero-width space, as pasted from a web page: not a legal header character.
        String pasted = "sk-or-v1-SECRET\u200bSECRET1234";

        LlmException e = catchThrowableOfType(LlmException.class, () -> {
            try (OpenRouterChatClient c = OpenRouterChatClient.builder().apiKey(pasted)
                    .baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1").build()) {
                c.chat(REQUEST);
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain(pasted).doesNotContain("SECRET");
        assertThat(e.toString()).doesNotContain(pasted).doesNotContain("SECRET");
    }

    @Test
    void clientToStringNeverShowsTheKey() {
        try (OpenRouterChatClient c = client()) {
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain("SECRET").contains("apiKey=set");
        }
    }

    @Test
    void clientFromEnvToStringNeverShowsTheKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", KEY))) {
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain("SECRET");
        }
    }

    @Test
    void invalidSettingsNeverEchoTheKey() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", KEY, "OPENROUTER_BASE_URL", "not a url")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertNoKeyIn(e);
    }
}
