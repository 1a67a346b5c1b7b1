package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the LiteLLM proxy's error replies (docs/WIRE.md#litellm-proxy) reach the caller: string
 * codes, an unknown model, deployments cooling down, the proxy failing to reach its upstream (not
 * this client failing to reach the proxy), and a wrong proxy URL.
 */
class LiteLlmErrorsTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String MODEL = "gpt-4o-mini";
    private static final ChatRequest REQUEST =
            ChatRequest.builder().model(MODEL).user("Hi").build();

    private LiteLlmChatClient client;

    @BeforeEach
    void startClient() {
        client = LiteLlmChatClient.builder()
                .serverUrl("http://127.0.0.1:" + wm.getPort())
                .build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private LlmException replyFails(int status, String body) {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-litellm-call-id", "call-" + status)
                        .withBody(body)));
        return catchThrowableOfType(LlmException.class, () -> client.chat(REQUEST));
    }

    @Test
    void invalidModelNameIsModelNotFoundNamingTheModel() {
        LlmException e = replyFails(400, """
                {"error": {"message": "/chat/completions: Invalid model name passed in model=gpt-4o-mini. Call `/v1/models` to view available models for your key.",
                           "type": "invalid_request_error", "param": "model", "code": "400"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.providerCode()).hasValue("400");
        assertThat(e.model()).isEqualTo(MODEL);
        assertThat(e.getMessage()).contains("'gpt-4o-mini'", "Invalid model name passed in model=gpt-4o-mini");
    }

    @Test
    void noDeploymentsAvailableIsRateLimitedAndRetryable() {
        LlmException e = replyFails(429, """
                {"error": {"message": "No deployments available for selected model, Try again in 5 seconds. Passed model=gpt-4o-mini. pre-call-checks=False, cooldown_list=[('a1b2', {'exception_received': 'litellm.RateLimitError', 'status_code': '429'})]",
                           "type": "None", "param": "None", "code": "429"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(429);
        assertThat(e.providerCode()).hasValue("429");
        assertThat(e.getMessage()).contains("No deployments available", "cooling down");
        assertThat(LiteLlmResponse.of(e).callId()).hasValue("call-429");
    }

    @Test
    void noDeploymentsAvailableFromAnOlderProxyAs500IsStillRateLimited() {
        LlmException e = replyFails(500, """
                {"error": {"message": "litellm.InternalServerError: No deployments available for selected model. Passed model=gpt-4o-mini",
                           "type": null, "param": null, "code": "500"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void upstreamConnectionErrorSaysTheProxyCouldNotReachItsUpstream() {
        LlmException e = replyFails(500, """
                {"error": {"message": "litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error. Received Model Group=gpt-4o-mini\\nAvailable Model Group Fallbacks=None LiteLLM Retried: 2 times, LiteLLM Max Retries: 2",
                           "type": null, "param": null, "code": "500"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(500);
        assertThat(e.getMessage())
                .contains("LiteLLM proxy at 127.0.0.1:" + wm.getPort() + " answered")
                .contains("the proxy that could not reach its upstream provider")
                .contains("LiteLLM Retried: 2 times");
        assertThat(LiteLlmResponse.of(e).callId()).hasValue("call-500");
    }

    @Test
    void aProxyThatCannotBeReachedIsAConnectionErrorOfTheClientHop() throws Exception {
        // Bound but never listening: the port stays ours and refuses every connection.
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                    .serverUrl("http://127.0.0.1:" + holder.getLocalPort())
                    .build()) {
                LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

                assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
                assertThat(e.httpStatus()).isEmpty();
                assertThat(e.getMessage())
                        .contains("refused", "127.0.0.1:" + holder.getLocalPort())
                        .doesNotContain("upstream");
            }
        }
    }

    @Test
    void detailNotFoundSuggestsTheProxyUrlIsWrong() {
        LlmException e = replyFails(404, """
                {"detail": "Not Found"}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("Not Found", "proxy URL is probably wrong", "LITELLM_PROXY_URL");
    }

    @Test
    void stringCodesAreKeptAsTheProviderCode() {
        LlmException e = replyFails(400, """
                {"error": {"message": "litellm.ContextWindowExceededError: This model's maximum context length is 128000 tokens",
                           "type": null, "param": null, "code": "context_length_exceeded"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTEXT_LENGTH_EXCEEDED);
        assertThat(e.providerCode()).hasValue("context_length_exceeded");
    }

    @Test
    void budgetExceededIsInsufficientCreditsAndNotRetried() {
        LlmException e = replyFails(400, """
                {"error": {"message": "Budget has been exceeded! Current cost: 10.2, Max budget: 10.0",
                           "type": "budget_exceeded", "param": null, "code": "400"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void keyNotAllowedThisModelIsPermission() {
        LlmException e = replyFails(403, """
                {"error": {"message": "key not allowed to access model. This key can only access models=['gpt-4o']. Tried to access gpt-4o-mini",
                           "type": "key_model_access_denied", "param": "model", "code": "403"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSION);
        assertThat(e.providerCode()).hasValue("403");
    }

    @Test
    void providerOverloadedIsServerErrorAndRetried() {
        LlmException e = replyFails(503, """
                {"error": {"message": "litellm.ServiceUnavailableError: The server is overloaded", "type": null, "param": null, "code": "503"}}
                """);

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isTrue();
    }
}
