package io.github.llmbridge.core.internal.errors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.internal.transport.HttpCall;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How every error reply the two gateways send (docs/WIRE.md) becomes an {@link LlmException}: one
 * test per row of the mapping table, each checking category, HTTP status, provider code and
 * retryability, plus backend and model, through the public transport against a loopback stub.
 * These are the generic rules; what only one backend's server sends is tested with that
 * backend's {@link ErrorDialect} in its module (e.g. OpenRouterErrorDialectTest).
 */
class ErrorMappingTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String MODEL = "acme/chat-model-1";
    private static final String PATH = "/v1/chat/completions";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static OpenAiHttpTransport transport;

    @BeforeAll
    static void startTransport() {
        transport = OpenAiHttpTransport.builder().backend("test").secret(KEY).build();
    }

    @AfterAll
    static void closeTransport() {
        transport.close();
    }

    @Nested
    class BadRequests {

        @Test
        void liteLlmBadRequestIsBadRequestWithItsStringCode() {
            replyWith(json(400, """
                    {"error":{"message":"litellm.BadRequestError: temperature must be between 0 and 2",
                              "type":"invalid_request_error","param":null,"code":"400"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.BAD_REQUEST, 400, "400", false);
            assertThat(e.getMessage()).contains("400 Bad Request", "temperature must be between 0 and 2");
        }

        @Test
        void contextLengthExceededCodeIsContextLengthExceeded() {
            replyWith(json(400, """
                    {"error":{"message":"Please reduce the length of the messages.",
                              "type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONTEXT_LENGTH_EXCEEDED, 400, "context_length_exceeded", false);
        }

        @Test
        void contextWindowMessageWithoutCodeIsContextLengthExceeded() {
            replyWith(json(400, """
                    {"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.",
                              "type":"invalid_request_error","param":"messages","code":null}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONTEXT_LENGTH_EXCEEDED, 400, null, false);
            assertThat(e.getMessage()).contains("maximum context length is 8192 tokens");
        }

        @Test
        void liteLlmInvalidModelNameIsModelNotFound() {
            replyWith(json(400, """
                    {"error":{"message":"{'error': '/chat/completions: Invalid model name passed in model=foo. Call `/v1/models` to view available models for your key.'}",
                              "type":"None","param":"None","code":"400"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.MODEL_NOT_FOUND, 400, "400", false);
            assertThat(e.getMessage()).contains("model=foo", "check the model id");
        }

        @Test
        void payloadTooLargeIsBadRequestNotRetried() {
            replyWith(aResponse()
                    .withStatus(413)
                    .withHeader("Content-Type", "text/html")
                    .withBody("""
                    <html><head><title>413 Request Entity Too Large</title></head><body>
                    <center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.BAD_REQUEST, 413, null, false);
            assertThat(e.getMessage()).contains("413 Payload Too Large");
        }

        @Test
        void unprocessableEntityIsBadRequestShowingFastApiDetail() {
            replyWith(json(422, """
                    {"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.BAD_REQUEST, 422, null, false);
            assertThat(e.getMessage()).contains("422", "field required");
        }
    }

    @Nested
    class KeysCreditsAndPermissions {

        @Test
        void unauthorizedIsAuthenticationWithAHintAboutTheKey() {
            replyWith(json(401, """
                    {"error":{"message":"Authentication Error, Invalid proxy server token passed.",
                              "type":"auth_error","param":"None","code":"401"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.AUTHENTICATION, 401, "401", false);
            assertThat(e.getMessage()).contains("check the API key");
        }

        @Test
        void openRouterOutOfCreditsIsInsufficientCreditsNotRetried() {
            replyWith(json(402, """
                    {"error":{"code":402,"message":"Insufficient credits","metadata":{"limit_source":"openrouter_credits"}}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 402, "402", false);
            assertThat(e.getMessage()).contains("Insufficient credits", "out of credits");
        }

        @Test
        void forbiddenWithoutModerationSignalsIsPermission() {
            replyWith(json(403, """
                    {"error":{"message":"key not allowed to access model. This key can only access models=['gpt-4o']. Tried to access foo",
                              "type":"key_model_access_denied","param":"model","code":"403"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.PERMISSION, 403, "403", false);
        }

        @Test
        void forbiddenWithModerationReasonsIsContentFiltered() {
            // The message deliberately avoids the word "moderation": the metadata alone must decide.
            replyWith(json(403, """
                    {"error":{"code":403,"message":"Your input was flagged",
                              "metadata":{"reasons":["violence"],"flagged_input":"...","provider_name":"OpenAI"}}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONTENT_FILTERED, 403, "403", false);
            assertThat(e.getMessage()).contains("(provider OpenAI)", "(flagged for: violence)");
            assertThat(e.providerMetadata())
                    .hasValueSatisfying(
                            m -> assertThat(m.path("reasons").get(0).asText()).isEqualTo("violence"));
        }
    }

    @Nested
    class NotFound {

        @Test
        void openRouterNoEndpointsIsModelNotFound() {
            replyWith(json(404, """
                    {"error":{"message":"No endpoints found for foo/bar.","code":404}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.MODEL_NOT_FOUND, 404, "404", false);
            assertThat(e.getMessage()).contains("No endpoints found for foo/bar", "check the model id");
        }

        @Test
        void routerNotFoundDetailIsConfigurationPointingAtTheBaseUrl() {
            replyWith(json(404, """
                    {"detail":"Not Found"}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONFIGURATION, 404, null, false);
            assertThat(e.getMessage()).contains("Not Found", "base URL is probably wrong");
        }
    }

    @Nested
    class Redirects {

        @Test
        void redirectIsConfigurationNamingWhereItPoints() {
            replyWith(aResponse()
                    .withStatus(301)
                    .withHeader("Location", "https://gateway.example.invalid/v1/chat/completions"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONFIGURATION, 301, null, false);
            assertThat(e.getMessage()).contains("https://gateway.example.invalid/v1/chat/completions");
        }
    }

    @Nested
    class TransientClientStatuses {

        @Test
        void requestTimeoutIsTimeoutAndRetried() {
            replyWith(json(408, """
                    {"error":{"message":"litellm.Timeout: Request timed out.","type":null,"param":null,"code":"408"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.TIMEOUT, 408, "408", true);
        }

        @Test
        void conflictIsRetried() {
            replyWith(json(409, """
                    {"error":{"message":"The request conflicted with another request.","type":"conflict","code":"409"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 409, "409", true);
        }
    }

    @Nested
    class RateLimits {

        private static final String RATE_LIMIT_BODY = """
                {"error":{"message":"litellm.RateLimitError: Rate limit reached for gpt-4o","type":"throttling_error","param":null,"code":"429"}}""";

        @Test
        void tooManyRequestsIsRateLimitedWithRetryAfterSeconds() {
            replyWith(json(429, RATE_LIMIT_BODY).withHeader("Retry-After", "2"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 429, "429", true);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
            assertThat(e.headers()).containsEntry("retry-after", "2");
        }

        @Test
        void retryAfterAsAnHttpDateBecomesTheRemainingWait() {
            String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneId.of("GMT")).plusSeconds(5));
            replyWith(json(429, RATE_LIMIT_BODY).withHeader("Retry-After", inFiveSeconds));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 429, "429", true);
            // The tolerance covers the date's whole-second resolution, not the call's duration.
            assertThat(e.retryAfter())
                    .hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(6)));
        }

        @Test
        void retryAfterMsGivesMillisecondPrecision() {
            replyWith(json(429, RATE_LIMIT_BODY).withHeader("retry-after-ms", "1500"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 429, "429", true);
            assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
        }

        @Test
        void rateLimitWithoutAdviceHasNoRetryAfter() {
            replyWith(json(429, """
                    {"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 429, "429", true);
            assertThat(e.retryAfter()).isEmpty();
        }

        @Test
        void openRouterRateLimitErrorTypeWinsOverA400Status() {
            // classify() reads OpenRouter's metadata.error_type before the status: it is the
            // upstream provider's own classification, relayed under whatever status OpenRouter
            // chose, and is more specific than a generic 400. So this is a retryable rate limit.
            replyWith(json(400, """
                    {"error":{"code":400,"message":"Provider returned error",
                              "metadata":{"error_type":"rate_limit_exceeded","provider_name":"Together"}}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 400, "400", true);
        }
    }

    @Nested
    class QuotaAndServerAdvice {

        @Test
        void openAisInsufficientQuota429IsInsufficientCreditsNotARateLimit() {
            replyWith(json(429, """
                    {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
                              "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 429, "insufficient_quota", false);
            assertThat(e.overloadSignal()).isEmpty();
            assertThat(e.getMessage()).contains("exceeded your current quota", "waiting will not clear it");
        }

        @Test
        void aQuotaMessageAGatewayForwardsWithoutItsTypeIsStillFinal() {
            replyWith(json(429, """
                    {"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - You exceeded your current quota, please check your plan and billing details.",
                              "type":"throttling_error","param":null,"code":"429"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 429, "429", false);
        }

        @Test
        void aSpendLimitCodeIsFinal() {
            replyWith(json(429, """
                    {"error":{"message":"The project has reached its monthly spend limit.",
                              "type":"insufficient_quota","code":"project_spend_limit_exceeded"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INSUFFICIENT_CREDITS, 429, "project_spend_limit_exceeded", false);
        }

        @Test
        void aRateLimitIsAnOverloadSignalAndAnOutageIsNot() {
            replyWith(json(429, """
                    {"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"""));
            assertThat(callFails().overloadSignal()).contains("429 rate limit");

            replyWith(json(503, """
                    {"error":{"message":"The server is overloaded or not ready yet.","type":"server_error"}}"""));
            assertThat(callFails().overloadSignal()).isEmpty();
        }

        @Test
        void xShouldRetryFalseWinsOverARetryableStatus() {
            replyWith(json(503, """
                    {"error":{"message":"status 503","type":"server_error"}}""").withHeader("x-should-retry", "false"));

            assertMapped(callFails(), ErrorCategory.SERVER_ERROR, 503, null, false);
        }

        @Test
        void xShouldRetryTrueWinsOverAFinalStatus() {
            replyWith(json(400, """
                    {"error":{"message":"try again","type":"invalid_request_error"}}""").withHeader("X-Should-Retry", "true"));

            assertMapped(callFails(), ErrorCategory.BAD_REQUEST, 400, null, true);
        }

        @Test
        void aContentPolicyViolationTypeIsContentFiltered() {
            replyWith(json(400, """
                    {"error":{"code":400,"message":"Input flagged","metadata":{"error_type":"content_policy_violation"}}}"""));

            assertMapped(callFails(), ErrorCategory.CONTENT_FILTERED, 400, "400", false);
        }

        @Test
        void liteLlmsContextWindowErrorInWordsTheGenericRulesDoNotKnowIsLeftToLiteLlmsDialect() {
            // The LiteLLM dialect reads the exception name (LiteLlmFailureSemanticsTest); generic rules stay generic.
            replyWith(json(400, """
                    {"error":{"message":"litellm.ContextWindowExceededError: litellm.BadRequestError: VertexAIException - The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
                              "type":null,"param":null,"code":"400"}}"""));

            assertMapped(callFails(), ErrorCategory.BAD_REQUEST, 400, "400", false);
        }
    }

    @Nested
    class ServerErrors {

        private static final String BAD_GATEWAY_HTML = "<html><head><title>502 Bad Gateway</title></head><body>"
                + "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

        @Test
        void genericInternalServerErrorIsServerErrorAndRetried() {
            replyWith(json(500, """
                    {"error":{"message":"litellm.InternalServerError: something broke","type":null,"param":null,"code":"500"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 500, "500", true);
            assertThat(e.getMessage()).contains("500 Internal Server Error", "something broke");
        }

        @Test
        void liteLlmUpstreamConnectionErrorIsConnectionBlamingTheUpstream() {
            replyWith(json(500, """
                    {"error":{"message":"litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error. Received Model Group=gpt-4o\\nAvailable Model Group Fallbacks=None LiteLLM Retried: 2 times, LiteLLM Max Retries: 2",
                              "type":null,"param":null,"code":"500"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.CONNECTION, 500, "500", true);
            assertThat(e.getMessage()).contains("could not reach its upstream", ":" + wm.getPort());
        }

        @Test
        void htmlBadGatewayPageIsServerErrorShowingTheStartOfThePage() {
            replyWith(aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody(BAD_GATEWAY_HTML));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 502, null, true);
            assertThat(e.getMessage())
                    .contains("HTTP 502", "<title>502 Bad Gateway</title>")
                    .doesNotContainIgnoringCase("Unexpected character")
                    .doesNotContainIgnoringCase("JsonParseException")
                    .doesNotContainIgnoringCase("not valid JSON");
        }

        @Test
        void longHtmlBodyIsCutToASnippet() {
            String page = "<html><head><title>502 Bad Gateway</title></head><body>"
                    + "<p>upstream connect error or disconnect/reset before headers. reset reason: overflow</p>"
                            .repeat(40)
                    + "</body></html>";
            assertThat(page).hasSizeGreaterThan(1000);
            replyWith(aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody(page));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 502, null, true);
            String snippet = e.getMessage().substring(e.getMessage().indexOf("<html>"));
            assertThat(snippet).hasSizeLessThanOrEqualTo(200 + "...".length()).endsWith("...");
        }

        @Test
        void serviceUnavailableIsServerErrorAndRetried() {
            replyWith(json(503, """
                    {"error":{"message":"litellm.ServiceUnavailableError: The server is overloaded","type":null,"param":null,"code":"503"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 503, "503", true);
        }

        @Test
        void gatewayTimeoutIsRetried() {
            replyWith(aResponse().withStatus(504).withBody("upstream request timeout"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 504, null, true);
            assertThat(e.getMessage()).contains("504 Gateway Timeout", "upstream request timeout");
        }

        @Test
        void serverErrorWithEmptyBodySaysSo() {
            replyWith(aResponse().withStatus(500));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 500, null, true);
            assertThat(e.getMessage()).contains("500", "empty body");
        }
    }

    @Nested
    class UnusableSuccessfulReplies {

        @Test
        void emptyBodyIsInvalidResponse() {
            replyWith(aResponse().withStatus(200).withHeader("Content-Type", "application/json"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INVALID_RESPONSE, 200, null, true);
            assertThat(e.getMessage()).contains("empty");
        }

        @Test
        void truncatedJsonIsInvalidResponse() {
            replyWith(json(200, """
                    {"id":"x","choices":[{"mess"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INVALID_RESPONSE, 200, null, true);
            assertThat(e.getMessage()).contains("not valid JSON", "{\"id\":\"x\"");
        }

        @Test
        void htmlPageIsInvalidResponseNotRetriedSayingWhereTheCallWent() {
            replyWith(aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody(
                            "<!DOCTYPE html><html><head><title>Acme Cloud</title></head><body>Welcome</body></html>"));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INVALID_RESPONSE, 200, null, false);
            assertThat(e.getMessage())
                    .contains("HTML page", "base URL", wm.baseUrl() + PATH, "<title>Acme Cloud</title>");
        }

        @Test
        void replyWithoutChoicesIsInvalidResponse() {
            replyWith(json(200, """
                    {"id":"x"}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.INVALID_RESPONSE, 200, null, true);
            assertThat(e.getMessage()).contains("no choices");
        }
    }

    @Nested
    class ErrorsInsideSuccessfulReplies {

        @Test
        void finishReasonErrorIsMappedByItsCodeAndKeepsThePartialContent() {
            replyWith(json(200, """
                    {"id":"gen-1","model":"acme/chat-model-1","choices":[{"index":0,
                      "message":{"role":"assistant","content":"Half an ans"},
                      "finish_reason":"error",
                      "error":{"code":502,"message":"Provider returned error","metadata":{"provider_name":"Acme"}}}]}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 200, "502", true);
            assertThat(e.partialContent()).contains("Half an ans");
            assertThat(e.getMessage()).contains("inside an HTTP 200 reply", "Provider returned error");
        }

        @Test
        void topLevelRateLimitErrorWithoutChoicesIsRateLimited() {
            replyWith(json(200, """
                    {"error":{"code":429,"message":"Rate limited upstream"}}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.RATE_LIMITED, 200, "429", true);
            assertThat(e.partialContent()).isEmpty();
        }

        @Test
        void finishReasonErrorWithoutAnErrorObjectIsStillAnError() {
            replyWith(json(200, """
                    {"id":"gen-3","choices":[{"index":0,"message":{"role":"assistant","content":"Half an ans"},
                      "finish_reason":"error"}]}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.SERVER_ERROR, 200, null, true);
            assertThat(e.partialContent()).contains("Half an ans");
        }

        @Test
        void inBodyBadRequestIsNotRetried() {
            replyWith(json(200, """
                    {"id":"gen-2","choices":[{"index":0,"message":{"role":"assistant","content":""},
                      "finish_reason":"error","error":{"code":400,"message":"Invalid tool schema"}}]}"""));

            LlmException e = callFails();

            assertMapped(e, ErrorCategory.BAD_REQUEST, 200, "400", false);
            assertThat(e.partialContent())
                    .as("empty content is no partial content")
                    .isEmpty();
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

    /** Sends one chat call to the stub and returns the exception its future failed with. */
    private static LlmException callFails() {
        ChatRequest request = ChatRequest.builder().model(MODEL).user("Say hi").build();
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

    private static void assertMapped(
            LlmException e, ErrorCategory category, int httpStatus, String providerCode, boolean retryable) {
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(e.category()).as("category of %s", e).isEqualTo(category);
            softly.assertThat(e.httpStatus()).as("httpStatus").hasValue(httpStatus);
            if (providerCode == null) {
                softly.assertThat(e.providerCode()).as("providerCode").isEmpty();
            } else {
                softly.assertThat(e.providerCode()).as("providerCode").contains(providerCode);
            }
            softly.assertThat(e.isRetryable()).as("isRetryable of %s", e).isEqualTo(retryable);
            softly.assertThat(e.backend()).as("backend").isEqualTo("test");
            softly.assertThat(e.model()).as("model").isEqualTo(MODEL);
        });
    }
}
