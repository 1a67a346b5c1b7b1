package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.AdaptiveConcurrency;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ConcurrencyStats;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LiteLLM's failures named as LiteLLM's own source makes them (docs/WIRE.md#litellm-proxy), through
 * the resilience layer as {@code fromEnv} stacks it: each asserts the category, how many attempts
 * reached the proxy, and what was recorded (status, overload signal, the call id sent). The
 * bodies are the proxy's: {@code code} is the HTTP status as a string, {@code type} and
 * {@code param} often the string "None", the message led by LiteLLM's exception class.
 */
class LiteLlmFailureSemanticsTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String MODEL = "gpt-4o-mini";
    private static final String OK = """
            {"id":"chatcmpl-1","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private ResilientChatClient client;

    @BeforeEach
    void client() {
        client = ResilientChatClient.builder(LiteLlmChatClient.builder()
                        .serverUrl("http://127.0.0.1:" + wm.getPort())
                        .apiKey("sk-litellm-test-0123456789")
                        .build())
                .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(5)))
                .adaptiveConcurrency(new AdaptiveConcurrency(1, 8, 0.5))
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ResponseDefinitionBuilder proxyError(int status, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"" + message + "\",\"type\":\"None\",\"param\":\"None\",\"code\":\""
                        + status + "\"}}");
    }

    private static ResponseDefinitionBuilder ok() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(OK);
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

    private LlmException failsOnce(ResponseDefinitionBuilder reply) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(reply));
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> client.chat(
                        ChatRequest.builder().model(MODEL).user("Grade it.").build()));
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.attemptCount()).as("attempts of %s", e).isEqualTo(1);
        assertThat(e.isRetryable()).isFalse();
        return e;
    }

    private static List<String> callIdsSent() {
        return wm.findAll(postRequestedFor(urlEqualTo(PATH))).stream()
                .map(r -> r.getHeader("x-litellm-call-id"))
                .toList();
    }

    @Test
    void aTagRoutingRefusalIsAPermissionProblemNotTheKey() {
        LlmException e = failsOnce(proxyError(
                401,
                "Not allowed to access model due to tags configuration. Passed model=gpt-4o-mini and tags=['judge']"));

        assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSION);
        assertThat(e.httpStatus()).hasValue(401);
        assertThat(e.getMessage()).contains("routes by tags", "not the API key").doesNotContain("check the API key");
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.errorCategory()).isEqualTo(ErrorCategory.PERMISSION);
            assertThat(a.callId()).isEqualTo(callIdsSent().get(0));
        });
    }

    @Test
    void aContentPolicyViolationIsContentFiltered() {
        LlmException e = failsOnce(proxyError(
                400,
                "litellm.ContentPolicyViolationError: litellm.ContentPolicyViolationError: AzureException - The response"
                        + " was filtered due to the prompt triggering Azure OpenAI's content management policy."));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.providerCode()).hasValue("400");
    }

    @Test
    void theContextWindowIsReadFromLiteLlmsExceptionNameSinceItsCodeIsTheStatus() {
        LlmException e = failsOnce(proxyError(
                400,
                "litellm.ContextWindowExceededError: litellm.BadRequestError: VertexAIException - The input token count"
                        + " (1200000) exceeds the maximum number of tokens allowed (1048576)."));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTEXT_LENGTH_EXCEEDED);
        assertThat(e.providerCode())
                .as("never context_length_exceeded through LiteLLM")
                .hasValue("400");
    }

    @Test
    void aCrossedProviderBudgetIsFinalAndNoOverloadSignal() {
        LlmException e =
                failsOnce(proxyError(429, "No deployments available - crossed budget. Passed model=gpt-4o-mini"));

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.overloadSignal()).isEmpty();
        assertThat(client.stats().concurrency(MODEL).orElseThrow().drops()).isZero();
    }

    @Test
    void anUpstreamQuotaThroughTheProxyIsFinal() {
        LlmException e = failsOnce(proxyError(
                429,
                "litellm.RateLimitError: RateLimitError: OpenAIException - You exceeded your current quota, please check"
                        + " your plan and billing details."));

        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.attempts())
                .singleElement()
                .extracting(Attempt::overloadSignal)
                .isNull();
    }

    @Test
    void noDeploymentsAvailableIsAnOverloadSignalThatIsRetriedAndDecreasesTheLimit() {
        replySequence(
                proxyError(
                                429,
                                "No deployments available for selected model, Try again in 5 seconds. Passed"
                                        + " model=gpt-4o-mini")
                        .withHeader("Retry-After", "0"),
                ok());

        ChatResponse r =
                client.chat(ChatRequest.builder().model(MODEL).user("Grade it.").build());

        wm.verify(2, postRequestedFor(urlEqualTo(PATH)));
        assertThat(r.attempts()).hasSize(2);
        assertThat(r.attempts().get(0).errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(r.attempts().get(0).overloadSignal()).isEqualTo("LiteLLM: no deployments available");
        ConcurrencyStats limit = client.stats().concurrency(MODEL).orElseThrow();
        assertThat(limit.limit())
                .as("one call was in flight when refused: half of it, the floor")
                .isEqualTo(1);
        assertThat(limit.recentDecreases())
                .singleElement()
                .satisfies(d -> assertThat(d.signal()).isEqualTo("LiteLLM: no deployments available"));
    }

    @Test
    void eachAttemptSendsItsOwnCallIdAndRecordsIt() {
        replySequence(proxyError(503, "litellm.ServiceUnavailableError: overloaded"), ok());

        ChatResponse r =
                client.chat(ChatRequest.builder().model(MODEL).user("Grade it.").build());

        List<String> sent = callIdsSent();
        assertThat(sent).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(r.attempts()).extracting(Attempt::callId).containsExactlyElementsOf(sent);
        assertThat(r.header("x-litellm-call-id"))
                .as("the reply carries the last one")
                .contains(sent.get(1));
    }

    @Test
    void aCallThatGotNoAnswerStillCarriesTheIdItWasSentWith() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ResilientChatClient once = ResilientChatClient.builder(LiteLlmChatClient.builder()
                        .serverUrl("http://127.0.0.1:" + wm.getPort())
                        .build())
                .maxAttempts(1)
                .build();

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> once.chat(ChatRequest.builder().model(MODEL).user("Hi").build()));
        once.close();

        String sent = callIdsSent().get(0);
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.headers()).containsEntry("x-litellm-call-id", sent);
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.callId()).isEqualTo(sent);
            assertThat(a.overloadSignal()).isEqualTo("connection reset");
        });
    }

    @Test
    void bodyModeMetadataGoesAsStringsSoAProxyForwardingItToOpenAiIsNotRefused() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok()));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("rubric", "helpfulness");
        nested.put("weights", List.of(0.5, 0.5));

        client.chat(ChatRequest.builder()
                .model(MODEL)
                .user("Grade it.")
                .metadata("step", 42)
                .metadata("temperature", 0.7)
                .metadata("greedy", true)
                .metadata("uids", List.of("a", "b"))
                .metadata("rubric", nested)
                .metadata("tags", List.of("judge"))
                .metadata("name", "run-7")
                .build());

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"step": "42", "temperature": "0.7", "greedy": "true",
                              "uids": "[\\"a\\",\\"b\\"]",
                              "rubric": "{\\"rubric\\":\\"helpfulness\\",\\"weights\\":[0.5,0.5]}",
                              "name": "run-7"},
                 "tags": ["judge"]}""")));
    }
}
