package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.BackendSecretsContract;
import org.junit.jupiter.api.Test;

/**
 * The API key never leaks into exceptions, their headers, replies' headers or the client's
 * toString: the shared contract, plus OpenRouter's own error formats, with the attribution
 * headers set.
 */
class OpenRouterSecretsTest extends BackendSecretsContract {

    OpenRouterSecretsTest() {
        super(new OpenRouterFixture());
    }

    private OpenRouterChatClient attributedClient() {
        return OpenRouterChatClient.builder()
                .apiKey(KEY)
                .baseUrl(baseUrl())
                .referer("https://example.org")
                .title("t")
                .build();
    }

    @Test
    void a401EchoingTheKeyReachesTheCallerWithTheKeyRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Debug-Key", KEY)
                        .withHeader("X-Request-Id", "req-" + KEY)
                        .withHeader("WWW-Authenticate", "Bearer " + KEY)
                        .withBody("""
                        {"error": {"code": 401, "message": "Invalid API key: %s (User not found.)"}}
                        """.formatted(KEY))));

        try (OpenRouterChatClient c = attributedClient()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("Invalid API key").contains("[REDACTED]");
            assertThat(e.headers()).containsEntry("x-request-id", "req-[REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void anErrorInsideA200EchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"id": "gen-1", "choices": [{"index": 0, "finish_reason": "error",
                          "message": {"role": "assistant", "content": "partial %1$s"},
                          "error": {"code": 502, "message": "upstream rejected key %1$s"}}]}
                        """.formatted(KEY))));

        try (OpenRouterChatClient c = attributedClient()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.partialContent()).hasValue("partial [REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void errorMetadataEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"error": {"code": 403, "message": "Your input was flagged",
                          "metadata": {"reasons": ["leaked %1$s"], "flagged_input": "key=%1$s",
                                       "raw": {"%1$s": ["%1$s"]}, "provider_name": "OpenAI"}}}
                        """.formatted(KEY))));

        try (OpenRouterChatClient c = attributedClient()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
            assertThat(e.providerMetadata())
                    .hasValueSatisfying(
                            m -> assertThat(m.toString()).doesNotContain(KEY).contains("key=[REDACTED]"));
            assertThat(OpenRouterError.of(e).reasons()).containsExactly("leaked [REDACTED]");
            assertThat(OpenRouterError.of(e).toString()).doesNotContain(KEY);
            assertNoKeyIn(e);
        }
    }

    @Test
    void accountErrorsAndToStringNeverShowTheKey() {
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(anyUrl())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Request-Id", "req-" + KEY)
                        .withBody("""
                        {"error": {"code": 401, "message": "Invalid key %s", "metadata": {"key": "%s"}}}
                        """.formatted(KEY, KEY))));

        try (OpenRouterChatClient c = attributedClient()) {
            OpenRouterAccount account = c.account();
            LlmException e = catchThrowableOfType(LlmException.class, account::key);

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.headers()).containsEntry("x-request-id", "req-[REDACTED]");
            assertThat(account.toString()).doesNotContain(KEY);
            assertNoKeyIn(e);
            assertThat(e.providerMetadata().orElseThrow().toString()).doesNotContain(KEY);
        }
    }

    @Test
    void toStringSaysWhichAttributionHeadersAreSetButNeverShowsTheKey() {
        try (OpenRouterChatClient c = attributedClient()) {
            assertThat(c.toString())
                    .doesNotContain(KEY)
                    .doesNotContain("SECRET")
                    .contains("apiKey=set")
                    .contains("referer=set")
                    .contains("title=set");
        }
    }
}
