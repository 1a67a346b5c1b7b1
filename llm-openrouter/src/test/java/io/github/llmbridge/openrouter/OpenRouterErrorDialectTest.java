package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.internal.transport.HttpCall;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenRouter's own error rules ({@link OpenRouterErrorDialect}): the rows of core's error-mapping
 * table that only OpenRouter sends, with the assertions they had there, through the public
 * transport given OpenRouter's dialect; the retry of the transient 402 through the resilience
 * layer around the OpenRouter client; and the model-id hint.
 */
class OpenRouterErrorDialectTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String MODEL = "acme/chat-model-1";
    private static final String PATH = "/v1/chat/completions";
    private static final String IN_FLIGHT_BUDGET_402 = """
            {"error":{"code":402,"message":"Too many requests in flight for your balance",
                      "metadata":{"limit_source":"openrouter_in_flight_budget"}}}""";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void openRouterInFlightBudgetIsATransientRateLimitHonouringRetryAfter() {
        replyWith(json(402, IN_FLIGHT_BUDGET_402).withHeader("Retry-After", "3"));

        LlmException e = callFails(OpenRouterErrorDialect.INSTANCE, MODEL);

        assertMapped(e, ErrorCategory.RATE_LIMITED, 402, "402", true);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void theInFlightBudgetIsOpenRoutersRuleNotAGenericOne() {
        replyWith(json(402, IN_FLIGHT_BUDGET_402).withHeader("Retry-After", "3"));

        LlmException e = callFails(ErrorDialect.GENERIC, MODEL);

        assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 402, "402", false);
    }

    @Test
    void openRouterKeyLimitSaysItIsTheKeysOwnLimit() {
        replyWith(json(402, """
                {"error":{"code":402,"message":"Key limit exceeded","metadata":{"limit_source":"openrouter_key_limit"}}}"""));

        LlmException e = callFails(OpenRouterErrorDialect.INSTANCE, MODEL);

        assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 402, "402", false);
        assertThat(e.getMessage()).contains("Key limit exceeded", "raise the key's limit");
        assertThat(e.providerMetadata())
                .hasValueSatisfying(
                        m -> assertThat(m.path("limit_source").asText()).isEqualTo("openrouter_key_limit"));
    }

    @Test
    void creditsStillSayOutOfCredits() {
        replyWith(json(402, """
                {"error":{"code":402,"message":"Insufficient credits","metadata":{"limit_source":"openrouter_credits"}}}"""));

        LlmException e = callFails(OpenRouterErrorDialect.INSTANCE, MODEL);

        assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 402, "402", false);
        assertThat(e.getMessage()).contains("out of credits").doesNotContain("key's limit");
    }

    @Test
    void anUnknownModelWithoutAProviderPrefixGetsTheOpenRouterSpelling() {
        replyWith(json(404, """
                {"error":{"message":"No endpoints found for gpt-4o-mini.","code":404}}"""));

        LlmException e = callFails(OpenRouterErrorDialect.INSTANCE, "gpt-4o-mini");

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("OpenRouter model ids carry the provider, e.g. 'openai/gpt-4o-mini'");
    }

    @Test
    void anUnknownModelWithAProviderPrefixKeepsTheGenericHint() {
        replyWith(json(404, """
                {"error":{"message":"No endpoints found for foo/bar.","code":404}}"""));

        LlmException e = callFails(OpenRouterErrorDialect.INSTANCE, MODEL);

        assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("check the model id").doesNotContain("carry the provider");
    }

    @Test
    void openRouterInFlightBudget402IsRetriedButCredits402IsNot() {
        String inScenario = "in-flight";
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions"))
                .inScenario(inScenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(402, IN_FLIGHT_BUDGET_402).withHeader("Retry-After", "0"))
                .willSetStateTo("answered"));
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions"))
                .inScenario(inScenario)
                .whenScenarioStateIs("answered")
                .willReturn(json(200, """
                        {"id":"gen-1","model":"acme/chat-model-1","choices":[{"index":0,
                          "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""")));
        try (ResilientChatClient client = ResilientChatClient.builder(OpenRouterChatClient.builder()
                        .apiKey(KEY)
                        .baseUrl(wm.baseUrl() + "/api/v1")
                        .build())
                .backoff(new Backoff(Duration.ofMillis(5), 2, Duration.ofMillis(50)))
                .build()) {

            ChatResponse r = client.chat(
                    ChatRequest.builder().model(MODEL).user("Say hi").build());

            assertThat(r.attempts()).extracting(Attempt::httpStatus).containsExactly(402, 200);
        }
    }

    // --- helpers ---

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static void replyWith(ResponseDefinitionBuilder response) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    /** Sends one chat call through a transport with the dialect and returns what its future failed with. */
    private static LlmException callFails(ErrorDialect dialect, String model) {
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("test")
                .errorDialect(dialect)
                .secret(KEY)
                .build()) {
            ChatRequest request =
                    ChatRequest.builder().model(model).user("Say hi").build();
            CompletableFuture<ChatResponse> reply = transport.send(HttpCall.of(
                    URI.create(wm.baseUrl() + PATH),
                    Map.of("Authorization", "Bearer " + KEY),
                    ChatRequestJson.write(request),
                    request));
            Throwable thrown = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
            assertThat(thrown)
                    .as("the call should fail")
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(LlmException.class);
            return (LlmException) thrown.getCause();
        }
    }

    private static void assertMapped(
            LlmException e, ErrorCategory category, int httpStatus, String providerCode, boolean retryable) {
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(e.category()).as("category of %s", e).isEqualTo(category);
            softly.assertThat(e.httpStatus()).as("httpStatus").hasValue(httpStatus);
            softly.assertThat(e.providerCode()).as("providerCode").contains(providerCode);
            softly.assertThat(e.isRetryable()).as("isRetryable of %s", e).isEqualTo(retryable);
            softly.assertThat(e.backend()).as("backend").isEqualTo("test");
            softly.assertThat(e.model()).as("model").isEqualTo(MODEL);
        });
    }
}
