package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every OpenRouter error shape of docs/WIRE.md#openrouter, as a caller sees it: the category,
 * whether it is retryable (and after how long), the metadata through {@link OpenRouterError}, the
 * headers, and the partial content of an error inside a 200.
 */
class OpenRouterErrorTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();

    private OpenRouterChatClient client;

    @BeforeEach
    void start() {
        client = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-errors")
                .baseUrl("http://127.0.0.1:" + wm.getPort())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private LlmException failsWith(ResponseDefinitionBuilder reply) {
        wm.stubFor(post(anyUrl()).willReturn(reply));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(REQUEST));
        assertThat(e).as("the call should fail").isNotNull();
        assertThat(e.backend()).isEqualTo("openrouter");
        assertThat(e.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(e.attemptCount()).isEqualTo(1);
        return e;
    }

    @Test
    void outOfCreditsIsInsufficientCreditsAndNotRetryable() {
        LlmException e = failsWith(json(402, """
                {"error": {"code": 402, "message": "Insufficient credits. Add more using https://openrouter.ai/credits",
                           "metadata": {"limit_source": "openrouter_credits"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.httpStatus()).hasValue(402);
        assertThat(e.providerCode()).hasValue("402");
        assertThat(OpenRouterError.of(e).limitSource()).hasValue(OpenRouterError.CREDITS);
        assertThat(e.getMessage()).contains("Insufficient credits", "out of credits");
    }

    @Test
    void keyLimitIsInsufficientCreditsSayingItIsTheKeysOwnLimit() {
        LlmException e = failsWith(json(402, """
                {"error": {"code": 402, "message": "Key limit exceeded",
                           "metadata": {"limit_source": "openrouter_key_limit"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(OpenRouterError.of(e).limitSource()).hasValue(OpenRouterError.KEY_LIMIT);
        assertThat(e.getMessage()).contains("raise the key's limit");
    }

    @Test
    void inFlightBudgetIsATransientRateLimitHonouringRetryAfter() {
        LlmException e = failsWith(json(402, """
                {"error": {"code": 402, "message": "Too many requests in flight for your current balance",
                           "metadata": {"limit_source": "openrouter_in_flight_budget"}}}""").withHeader("Retry-After", "2"));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(2));
        assertThat(e.headers()).containsEntry("retry-after", "2");
        assertThat(OpenRouterError.of(e).limitSource()).hasValue(OpenRouterError.IN_FLIGHT_BUDGET);
    }

    @Test
    void moderationIsContentFilteredWithTheReasons() {
        LlmException e = failsWith(json(403, """
                {"error": {"code": 403, "message": "gpt-4o-mini requires moderation on OpenAI. Your input was flagged.",
                           "metadata": {"reasons": ["harassment", "violence"], "flagged_input": "you are a ...",
                                        "provider_name": "OpenAI", "model_slug": "openai/gpt-4o-mini"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("flagged for: harassment, violence", "(provider OpenAI)");
        OpenRouterError or = OpenRouterError.of(e);
        assertThat(or.reasons()).containsExactly("harassment", "violence");
        assertThat(or.flaggedInput()).hasValue("you are a ...");
        assertThat(or.providerName()).hasValue("OpenAI");
        assertThat(e.providerMetadata())
                .hasValueSatisfying(
                        m -> assertThat(m.path("model_slug").asText()).isEqualTo("openai/gpt-4o-mini"));
    }

    @Test
    void noEndpointsFoundIsModelNotFoundNamingTheModel() {
        LlmException e = failsWith(json(404, """
                {"error": {"code": 404, "message": "No endpoints found for openai/gpt-4o-mini."}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage())
                .contains("for model 'openai/gpt-4o-mini'", "No endpoints found", "check the model id");
        assertThat(e.providerMetadata()).isEmpty();
    }

    @Test
    void requestTimeoutIsRetryableTimeout() {
        LlmException e = failsWith(json(408, """
                {"error": {"code": 408, "message": "Request timed out"}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void rateLimitKeepsTheRateLimitHeadersOnTheException() {
        LlmException e = failsWith(json(429, """
                {"error": {"code": 429, "message": "Rate limit exceeded: free-models-per-min",
                           "metadata": {"headers": {"X-RateLimit-Limit": "20"}}}}""")
                .withHeader("X-RateLimit-Limit", "20")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", "1735689660000")
                .withHeader("Retry-After", "7"));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
        assertThat(e.headers())
                .containsEntry("x-ratelimit-limit", "20")
                .containsEntry("x-ratelimit-remaining", "0")
                .containsEntry("x-ratelimit-reset", "1735689660000");
        OpenRouterError or = OpenRouterError.of(e);
        assertThat(or.rateLimitLimit()).hasValue(20);
        assertThat(or.rateLimitRemaining()).hasValue(0);
        assertThat(or.rateLimitReset()).hasValue(1735689660000L);
    }

    @Test
    void upstreamRateLimitRelayedUnderAnotherStatusIsARetryableRateLimit() {
        LlmException e = failsWith(json(400, """
                {"error": {"code": 400, "message": "Provider returned error",
                           "metadata": {"error_type": "rate_limit_exceeded", "provider_code": "rate_limit",
                                        "provider_name": "Together", "raw": "{\\"message\\": \\"slow down\\"}"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("Provider returned error (provider Together)");
        OpenRouterError or = OpenRouterError.of(e);
        assertThat(or.errorType()).hasValue("rate_limit_exceeded");
        assertThat(or.providerCode()).hasValue("rate_limit");
        assertThat(or.raw()).hasValue("{\"message\": \"slow down\"}");
    }

    @Test
    void contextLengthErrorTypeIsContextLengthExceededNotRetryable() {
        LlmException e = failsWith(json(400, """
                {"error": {"code": 400, "message": "This endpoint's maximum context length is 128000 tokens.",
                           "metadata": {"error_type": "context_length_exceeded", "provider_name": "OpenAI"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTEXT_LENGTH_EXCEEDED);
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void modelDownIsARetryableServerError() {
        LlmException e = failsWith(json(502, """
                {"error": {"code": 502, "message": "Provider returned error",
                           "metadata": {"provider_name": "Fireworks", "raw": "upstream connect error"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isTrue();
        assertThat(OpenRouterError.of(e).providerName()).hasValue("Fireworks");
    }

    @Test
    void noProviderMeetingTheRoutingRequirementsIsARetryableServerError() {
        LlmException e = failsWith(json(503, """
                {"error": {"code": 503, "message": "No available model provider that meets your routing requirements"}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("routing requirements");
    }

    @Test
    void overloadedErrorTypeIsARetryableServerError() {
        LlmException e = failsWith(json(429, """
                {"error": {"code": 429, "message": "Provider returned error",
                           "metadata": {"error_type": "provider_overloaded", "provider_name": "Anthropic"}}}"""));

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void errorChoiceInsideA200KeepsPartialContentAndMetadata() {
        LlmException e = failsWith(okJson("""
                {"id": "gen-7", "model": "openai/gpt-4o-mini", "provider": "OpenAI",
                 "choices": [{"index": 0, "finish_reason": "error", "native_finish_reason": "error",
                              "message": {"role": "assistant", "content": "The score is"},
                              "error": {"code": 502, "message": "Upstream stream ended early",
                                        "metadata": {"provider_name": "OpenAI", "error_type": "provider_overloaded"}}}]}
                """).withHeader("X-Generation-Id", "gen-7"));

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(200);
        assertThat(e.providerCode()).hasValue("502");
        assertThat(e.partialContent()).hasValue("The score is");
        assertThat(e.headers()).containsEntry("x-generation-id", "gen-7");
        assertThat(OpenRouterError.of(e).errorType()).hasValue("provider_overloaded");
        assertThat(e.getMessage()).contains("inside an HTTP 200 reply", "Upstream stream ended early");
    }

    @Test
    void topLevelErrorWithoutChoicesInsideA200IsMappedByItsCode() {
        LlmException e = failsWith(okJson("""
                {"error": {"code": 429, "message": "Rate limit exceeded upstream",
                           "metadata": {"provider_name": "DeepInfra"}}}
                """));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.partialContent()).isEmpty();
        assertThat(OpenRouterError.of(e).providerName()).hasValue("DeepInfra");
    }

    @Test
    void moderationReportedInsideA200IsContentFilteredWithTheReasons() {
        LlmException e = failsWith(okJson("""
                {"id": "gen-8", "choices": [{"index": 0, "finish_reason": "error",
                  "message": {"role": "assistant", "content": ""},
                  "error": {"code": 403, "message": "Output flagged", "metadata": {"reasons": ["self-harm"]}}}]}
                """));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.partialContent())
                .as("empty partial content is no partial content")
                .isEmpty();
        assertThat(e.getMessage()).contains("flagged for: self-harm");
    }

    @Test
    void errorWithoutMetadataGivesAnEmptyView() {
        LlmException e = failsWith(json(500, """
                {"error": {"code": 500, "message": "Internal Server Error"}}"""));

        OpenRouterError or = OpenRouterError.of(e);
        assertThat(or.errorType()).isEmpty();
        assertThat(or.reasons()).isEmpty();
        assertThat(or.limitSource()).isEmpty();
        assertThat(or.rateLimitRemaining()).isEmpty();
    }
}
