package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.BackendSecretsContract;
import org.junit.jupiter.api.Test;

/**
 * The proxy key never leaks into exceptions, their headers, replies' headers or the client's
 * toString: the shared contract, plus LiteLLM's own error formats.
 */
class LiteLlmSecretsTest extends BackendSecretsContract {

    LiteLlmSecretsTest() {
        super(new LiteLlmFixture());
    }

    @Test
    void a401EchoingTheKeyReachesTheCallerWithTheKeyRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Debug-Key", KEY)
                        .withHeader("x-litellm-call-id", "call-" + KEY)
                        .withBody("""
                        {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = %s, Key Hash (Token) =abc. Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
                                   "type": "auth_error", "param": "None", "code": "401"}}
                        """.formatted(KEY))));

        try (ChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("Invalid proxy server token").contains("[REDACTED]");
            assertThat(e.headers()).containsEntry("x-litellm-call-id", "call-[REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void aDetailErrorEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"detail": "key %s is not allowed to access model gpt-4o-mini"}
                        """.formatted(KEY))));

        try (ChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSION);
            assertNoKeyIn(e);
        }
    }

    @Test
    void aKeySentAsXLitellmApiKeyIsRedactedToo() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-litellm-call-id", "call-" + KEY)
                        .withBody("""
                        {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = %s",
                                   "type": "auth_error", "param": "None", "code": "401"}}
                        """.formatted(KEY))));

        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl(baseUrl())
                .apiKey(KEY)
                .keyHeader(LiteLlmKeyHeader.X_LITELLM_API_KEY)
                .build()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(LiteLlmResponse.of(e).callId()).hasValue("call-[REDACTED]");
            assertNoKeyIn(e);
            assertThat(c.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void clientToStringSaysWhenThereIsNoKey() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().build()) {
            assertThat(c.toString()).contains("apiKey=none");
        }
    }
}
