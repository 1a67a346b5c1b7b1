package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.AdaptiveConcurrency;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenRouter's model-availability errors (its errors page: an {@code error.availability} object
 * with a stable {@code code}, {@code retryable} and {@code retry_after}) and the older 404s that
 * name the caller's own filters, through the resilience layer: each asserts the category, the
 * attempts made, the advice and what was recorded. The bodies are the documented examples.
 */
class OpenRouterAvailabilityTest {

    private static final String PATH = "/api/v1/chat/completions";
    private static final String MODEL = "openai/gpt-5.2";
    private static final String OK = """
            {"id":"gen-1","model":"openai/gpt-5.2","choices":[{"index":0,"message":{"role":"assistant",
             "content":"ok"},"finish_reason":"stop"}]}""";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private ResilientChatClient client;

    @BeforeEach
    void client() {
        client = ResilientChatClient.builder(OpenRouterChatClient.builder()
                        .apiKey("sk-or-test-0123456789abcdef")
                        .baseUrl(wm.baseUrl() + "/api/v1")
                        .build())
                .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(5)))
                .adaptiveConcurrency(new AdaptiveConcurrency(1, 8, 0.5))
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static ChatRequest request(String model) {
        return ChatRequest.builder().model(model).user("Say hi").build();
    }

    private LlmException failsOnce(ResponseDefinitionBuilder reply, String model) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(reply));
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request(model)));
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.attemptCount()).as("attempts of %s", e).isEqualTo(1);
        assertThat(e.isRetryable()).isFalse();
        return e;
    }

    private static void replySequence(ResponseDefinitionBuilder... replies) {
        String state = Scenario.STARTED;
        for (int i = 0; i < replies.length; i++) {
            String next = i + 1 < replies.length ? "step-" + (i + 1) : state;
            wm.stubFor(post(urlEqualTo(PATH))
                    .inScenario("sequence")
                    .whenScenarioStateIs(state)
                    .willReturn(replies[i])
                    .willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void anUnknownModelArrivingAsA400IsModelNotFoundNotABadRequest() {
        LlmException e = failsOnce(json(400, """
                {"error":{"message":"acme/fake-1.0 is not a valid model ID","error_type":"invalid_request",
                  "http_status":400,"availability":{"code":"model_not_found","retryable":false,
                  "requested_models":["acme/fake-1.0"],"docs_url":"https://openrouter.ai/docs/errors#model_not_found"}}}"""), "acme/fake-1.0");

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.httpStatus()).hasValue(400);
        assertThat(e.getMessage()).contains("is not a valid model ID", "check the model id");
        assertThat(e.attempts())
                .singleElement()
                .extracting(Attempt::errorCategory)
                .isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
    }

    @Test
    void aPrivacyFilterSaysSoInsteadOfCheckTheModelId() {
        LlmException e = failsOnce(json(404, """
                {"error":{"message":"No endpoints for openai/gpt-5.2 match your data policy (zero data retention). Adjust at https://openrouter.ai/settings/privacy.",
                  "error_type":"not_found","http_status":404,"availability":{"code":"privacy_restricted","retryable":false,
                  "requested_models":["openai/gpt-5.2"],"affected_providers":["openai","azure"],
                  "excluded_by":["data_policy:zdr"],"docs_url":"https://openrouter.ai/docs/errors#privacy_restricted"}}}"""), MODEL);

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.getMessage())
                .contains("the model exists", "data policy", "excluded by data_policy:zdr")
                .doesNotContain("check the model id");
    }

    @Test
    void aPriceConstraintSaysWhichConstraint() {
        LlmException e = failsOnce(json(404, """
                {"error":{"message":"No endpoints match your max price","error_type":"not_found","http_status":404,
                  "availability":{"code":"constraint_filtered","retryable":false,"requested_models":["openai/gpt-5.2"],
                  "excluded_by":["max_price"],"constraint":{"field":"max_price","detail":"cheapest is $2.50/M prompt"},
                  "docs_url":"https://openrouter.ai/docs/errors#constraint_filtered"}}}"""), MODEL);

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.getMessage())
                .contains("routing constraint max_price", "cheapest is $2.50/M prompt")
                .doesNotContain("check the model id");
    }

    @Test
    void anOlder404NamingTheProviderPreferencesSaysSo() {
        LlmException e = failsOnce(json(404, """
                {"error":{"code":404,"message":"No allowed providers are available for the selected model. Providers serving openai/gpt-4o-mini: openai, but your request's provider.only preference permits only: azure."}}"""), MODEL);

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("provider preferences").doesNotContain("check the model id");
    }

    @Test
    void aRegionRestrictionIsPermission() {
        LlmException e = failsOnce(json(403, """
                {"error":{"message":"Model not available in your region","error_type":"permission_denied",
                  "http_status":403,"availability":{"code":"region_restricted","retryable":false,
                  "requested_models":["openai/gpt-5.2"],"docs_url":"https://openrouter.ai/docs/errors#region_restricted"}}}"""), MODEL);

        assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSION);
        assertThat(e.getMessage()).contains("region");
    }

    @Test
    void capacityExhaustedWaitsTheBodysRetryAfterAndIsAnOverloadSignal() {
        replySequence(json(429, """
                        {"error":{"message":"All providers for openai/gpt-5.2 are at capacity.","error_type":"rate_limit_exceeded",
                          "http_status":429,"availability":{"code":"capacity_exhausted","retryable":true,"retry_after":0.05,
                          "requested_models":["openai/gpt-5.2"],"fallback_models":["openai/gpt-5.2-mini"],
                          "docs_url":"https://openrouter.ai/docs/errors#capacity_exhausted"}}}"""), json(200, OK));

        ChatResponse r = client.chat(request(MODEL));

        wm.verify(2, postRequestedFor(urlEqualTo(PATH)));
        Attempt refused = r.attempts().get(0);
        assertThat(refused.errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(refused.waitAfter())
                .as("the body's retry_after, no header sent")
                .isEqualTo(Duration.ofMillis(50));
        assertThat(refused.overloadSignal()).isEqualTo("OpenRouter: capacity_exhausted");
        assertThat(client.stats().concurrency(MODEL).orElseThrow().decreases()).isEqualTo(1);
    }

    @Test
    void availabilitysRetryableWinsForACodeThisClientDoesNotKnow() {
        LlmException e = failsOnce(json(503, """
                {"error":{"message":"Something new","error_type":"provider_overloaded","http_status":503,
                  "availability":{"code":"some_code_added_later","retryable":false,"requested_models":["openai/gpt-5.2"],
                  "docs_url":"https://openrouter.ai/docs/errors"}}}"""), MODEL);

        assertThat(e.category()).as("the generic category for the status").isEqualTo(ErrorCategory.SERVER_ERROR);
    }

    @Test
    void theInFlightBudget402IsRecordedAsAnOverloadSignal() {
        replySequence(json(402, """
                        {"error":{"code":402,"message":"Too many requests in flight for your balance",
                                  "metadata":{"limit_source":"openrouter_in_flight_budget"}}}""").withHeader("Retry-After", "0"), json(200, OK));

        ChatResponse r = client.chat(request(MODEL));

        assertThat(r.attempts().get(0).overloadSignal()).isEqualTo("OpenRouter: in-flight budget");
        assertThat(r.attempts().get(0).concurrencyLimit()).isEqualTo(8);
        assertThat(r.attempts().get(1).concurrencyLimit())
                .as("one call was in flight when refused: half of it, the floor")
                .isEqualTo(1);
    }

    @Test
    void aModelThatCannotBeServedFallsBackToTheNextModel() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(json(404, """
                {"error":{"message":"No endpoints for openai/gpt-5.2 match your data policy (zero data retention).",
                  "error_type":"not_found","http_status":404,"availability":{"code":"privacy_restricted","retryable":false,
                  "requested_models":["openai/gpt-5.2"],"docs_url":"https://openrouter.ai/docs/errors#privacy_restricted"}}}""")));
        wm.stubFor(post(urlEqualTo(PATH))
                .withRequestBody(
                        com.github.tomakehurst.wiremock.client.WireMock.containing("anthropic/claude-haiku-4.5"))
                .willReturn(json(200, OK)));

        ChatResponse r = client.chat(ChatRequest.builder()
                .model(MODEL)
                .fallbackModels("anthropic/claude-haiku-4.5")
                .user("Say hi")
                .build());

        assertThat(r.attempts()).extracting(Attempt::model).containsExactly(MODEL, "anthropic/claude-haiku-4.5");
        assertThat(r.attempts().get(0).errorCategory()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
    }
}
