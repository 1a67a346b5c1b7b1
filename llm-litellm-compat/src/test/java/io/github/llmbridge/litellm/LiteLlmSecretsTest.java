package io.github.llmbridge.litellm;

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

/** The proxy key never leaks into exceptions, their headers, replies' headers or the client's toString. */
class LiteLlmSecretsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-litellm-SECRETSECRET1234";
    private static final ChatRequest REQUEST = ChatRequest.builder().model("gpt-4o-mini").user("Hi").build();

    private static LiteLlmChatClient client() {
        return LiteLlmChatClient.builder().apiKey(KEY).proxyUrl("http://127.0.0.1:" + wm.getPort()).build();
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
                .withHeader("x-litellm-call-id", "call-" + KEY)
                .withHeader("X-Debug-Key", KEY)
                .withBody("""
                        {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = %s, Key Hash (Token) =abc. Unable to find token in cache or `LiteLLM_VerificationTokenTable`",
                                   "type": "auth_error", "param": "None", "code": "401"}}
                        """.formatted(KEY))));

        try (LiteLlmChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("Invalid proxy server token").contains("[REDACTED]");
            assertThat(e.headers()).containsEntry("x-litellm-call-id", "call-[REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void aDetailErrorEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"detail": "key %s is not allowed to access model gpt-4o-mini"}
                        """.formatted(KEY))));

        try (LiteLlmChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSION);
            assertNoKeyIn(e);
        }
    }

    @Test
    void aNonJsonErrorPageEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>Bad gateway for Authorization: Bearer " + KEY + "</body></html>")));

        try (LiteLlmChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertNoKeyIn(e);
        }
    }

    @Test
    void anUnparsable200EchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"c\", \"echo\": \"" + KEY + "\", \"choices\": [")));

        try (LiteLlmChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertNoKeyIn(e);
        }
    }

    @Test
    void successfulReplyHeadersEchoingTheKeyAreRedacted() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-litellm-key-alias", KEY)
                .withHeader("x-litellm-api-key", KEY)
                .withBody("""
                        {"id": "c", "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "ok"}}]}
                        """)));

        try (LiteLlmChatClient c = client()) {
            ChatResponse r = c.chat(REQUEST);

            assertThat(r.headers()).doesNotContainKey("x-litellm-api-key");
            assertThat(r.headers().toString()).doesNotContain(KEY);
            assertThat(r.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aKeyTheHttpClientCannotSendNeverAppearsInTheError() {
        // A zero-width space, as pasted from a web page: not a legal header character.
        String pasted = "sk-litellm-SECRET\u200bSECRET1234";

        LlmException e = catchThrowableOfType(LlmException.class, () -> {
            try (LiteLlmChatClient c = LiteLlmChatClient.builder().apiKey(pasted)
                    .proxyUrl("http://127.0.0.1:" + wm.getPort()).build()) {
                c.chat(REQUEST);
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain(pasted).doesNotContain("SECRET");
        assertThat(e.toString()).doesNotContain(pasted).doesNotContain("SECRET");
    }

    @Test
    void clientToStringNeverShowsTheKey() {
        try (LiteLlmChatClient c = client()) {
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain("SECRET").contains("apiKey=set");
        }
    }

    @Test
    void clientToStringSaysWhenThereIsNoKey() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().build()) {
            assertThat(c.toString()).contains("apiKey=none");
        }
    }

    @Test
    void clientFromEnvToStringNeverShowsTheKey() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_API_KEY", KEY))) {
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain("SECRET");
        }
    }

    @Test
    void invalidSettingsNeverEchoTheKey() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(Map.of(
                "LITELLM_API_KEY", KEY, "LITELLM_PROXY_URL", "not a url")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertNoKeyIn(e);
    }
}
