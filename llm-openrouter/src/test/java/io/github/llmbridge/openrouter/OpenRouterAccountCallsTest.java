package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@link OpenRouterAccount} makes its calls, now the same way as the LiteLLM server's
 * ({@code JsonHttp}): the chat client's reply-size cap, a time limit that is named when it
 * passes, and an HTML page reported as not worth retrying, as for chat calls. Each test here
 * failed on the account's former calls.
 */
class OpenRouterAccountCallsTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-or-v1-CALLSSECRET0042";

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder().apiKey(KEY).baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1");
    }

    @Test
    void theCatalogueIsCappedByTheChatClientsMaxResponseBytes() {
        wm.stubFor(
                get("/api/v1/models").willReturn(okJson("{\"data\": [], \"padding\": \"" + "x".repeat(4096) + "\"}")));
        try (OpenRouterChatClient c = client().maxResponseBytes(1024).build()) {
            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> c.account().models());

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("larger than the limit of 1024 bytes");
        }
    }

    @Test
    void aSlowReplyIsATimeoutNamingTheLimitAndTheCall() {
        wm.stubFor(get("/api/v1/key").willReturn(okJson("{\"data\": {}}").withFixedDelay(5_000)));
        try (OpenRouterChatClient c = client().build()) {
            OpenRouterAccount account =
                    c.account().toBuilder().timeout(Duration.ofMillis(200)).build();

            LlmException e = catchThrowableOfType(LlmException.class, account::key);

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage()).contains("to GET /api/v1/key", "within 200 ms");
        }
    }

    @Test
    void anHtmlPageInsteadOfJsonIsNotWorthRetrying() {
        wm.stubFor(get("/api/v1/key").willReturn(aResponse().withStatus(200).withBody("<html>login</html>")));
        try (OpenRouterChatClient c = client().build()) {
            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> c.account().key());

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("HTML page", "not a JSON object");
        }
    }
}
