package io.github.llmbridge.rllm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trainer's side of the gateway ({@link RllmGateway}), against the shapes of
 * {@code rllm-model-gateway}'s {@code server.py} and {@code models.py}: sessions, typed traces,
 * flush, workers, health, which generation answers, and waiting for it to come up.
 */
class RllmGatewayTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** A non-streaming call as 0.1.0 records it (TraceRecord.model_dump()), with a tool call. */
    static final String TOOL_CALL_TRACE = """
            {"trace_id": "t-1", "session_id": "s-1", "model": "Qwen/Qwen3-4B",
             "messages": [{"role": "user", "content": "Weather in Paris?"}],
             "prompt_token_ids": [151644, 872, 198],
             "response_message": {"role": "assistant", "content": null, "reasoning_content": "Need the tool.",
                "tool_calls": [{"id": "call_1", "type": "function",
                                "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
             "completion_token_ids": [7, 8],
             "logprobs": [-0.25, -0.5],
             "finish_reason": "tool_calls",
             "weight_version": 12,
             "latency_ms": 41.5, "token_counts": {"prompt": 3, "completion": 2}, "timestamp": 1795970703.25,
             "metadata": {},
             "raw_request": {"model": "Qwen/Qwen3-4B", "logprobs": true, "return_token_ids": true},
             "raw_response": {"choices": [{"index": 0, "finish_reason": "tool_calls",
                "logprobs": {"content": [{"token": "<tool", "logprob": -0.25, "bytes": [60], "top_logprobs": []},
                                         {"token": "_call>", "logprob": -0.5, "bytes": null, "top_logprobs": []}]}}]}}
            """;

    /** A worker's error reply, which 0.1.0 records as a trace too. */
    static final String ERROR_TRACE = """
            {"trace_id": "t-2", "session_id": "s-1", "model": "stub-error",
             "messages": [{"role": "user", "content": "hi"}], "prompt_token_ids": [], "response_message": {},
             "completion_token_ids": [], "logprobs": null, "finish_reason": null, "latency_ms": 4.8,
             "token_counts": {}, "timestamp": 1795970703.3, "metadata": {},
             "raw_request": {"model": "stub-error"},
             "raw_response": {"error": {"message": "stub: this model always fails", "code": 400}}}
            """;

    private static RllmGateway gateway() {
        return RllmGateway.builder()
                .gatewayUrl("http://127.0.0.1:" + wm.getPort())
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static void gatewayGeneration(boolean newer) {
        wm.stubFor(get("/health").willReturn(okJson("{\"status\": \"ok\"}")));
        wm.stubFor(get("/health/workers").willReturn(okJson("{\"workers\": [], \"healthy\": 0, \"total\": 0}")));
        wm.stubFor(get("/admin/weight_version")
                .willReturn(
                        newer
                                ? okJson("{\"weight_version\": null}")
                                : notFound().withBody("{\"detail\":\"Not Found\"}")));
    }

    @Test
    void createsASessionWithItsIdAndMetadataAndHandsBackItsUrl() {
        wm.stubFor(post("/sessions")
                .willReturn(okJson("{\"session_id\": \"step-3/task-17\", \"url\": \"/sessions/step-3/task-17/v1\"}")));

        GatewaySession s = gateway()
                .createSession(NewSession.builder()
                        .id("step-3/task-17")
                        .metadata(Map.of("step", 3))
                        .build());

        assertThat(s.id()).isEqualTo("step-3/task-17");
        assertThat(s.url()).hasToString("http://127.0.0.1:" + wm.getPort() + "/sessions/step-3%2Ftask-17/v1");
        assertThat(s.metadata()).containsEntry("step", 3);
        wm.verify(postRequestedFor(urlEqualTo("/sessions"))
                .withRequestBody(equalToJson("{\"session_id\": \"step-3/task-17\", \"metadata\": {\"step\": 3}}")));
    }

    @Test
    void samplingParamsGoToANewerGateway() {
        gatewayGeneration(true);
        wm.stubFor(post("/sessions").willReturn(okJson("{\"session_id\": \"abc\"}")));

        gateway()
                .createSession(NewSession.builder()
                        .samplingParams(SamplingParams.builder()
                                .temperature(1.0)
                                .topP(0.95)
                                .put("top_k", 20)
                                .build())
                        .build());

        wm.verify(postRequestedFor(urlEqualTo("/sessions"))
                .withRequestBody(
                        equalToJson("{\"sampling_params\": {\"temperature\": 1.0, \"top_p\": 0.95, \"top_k\": 20}}")));
    }

    @Test
    void samplingParamsAreRefusedBeforeSendingToA010GatewayThatWouldIgnoreThem() {
        gatewayGeneration(false);

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> gateway()
                        .createSession(NewSession.builder()
                                .samplingParams(SamplingParams.builder()
                                        .temperature(0.0)
                                        .build())
                                .build()));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("0.1.0").contains("ignores a session's sampling_params");
        wm.verify(0, postRequestedFor(urlEqualTo("/sessions")));
    }

    @Test
    void readsTracesAsTypedValuesWithTokenIdsLogprobsAndToolCalls() {
        wm.stubFor(get("/sessions/s-1/traces").willReturn(okJson("[" + TOOL_CALL_TRACE + "," + ERROR_TRACE + "]")));

        List<GatewayTrace> traces = gateway().traces("s-1");

        assertThat(traces).hasSize(2);
        GatewayTrace call = traces.get(0);
        assertThat(call.traceId()).isEqualTo("t-1");
        assertThat(call.sessionId()).isEqualTo("s-1");
        assertThat(call.model()).isEqualTo("Qwen/Qwen3-4B");
        assertThat(call.messages()).containsExactly(ChatMessage.user("Weather in Paris?"));
        assertThat(call.promptTokenIds()).isEqualTo(TokenIds.of(151644, 872, 198));
        assertThat(call.completionTokenIds()).isEqualTo(TokenIds.of(7, 8));
        assertThat(call.logprobValues()).containsExactly(-0.25, -0.5);
        assertThat(call.logprobs().content())
                .extracting(TokenLogprob::token, TokenLogprob::logprob)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("<tool", -0.25),
                        org.assertj.core.groups.Tuple.tuple("_call>", -0.5));
        assertThat(call.responseMessage().toolCalls()).singleElement().satisfies(tc -> {
            assertThat(tc.name()).isEqualTo("get_weather");
            assertThat(tc.arguments()).isEqualTo("{\"city\": \"Paris\"}");
        });
        assertThat(call.responseMessage().reasoning()).hasValue("Need the tool.");
        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(call.weightVersion()).hasValue(12);
        assertThat(call.latency()).isEqualTo(Duration.ofNanos(41_500_000));
        assertThat(call.error()).isEmpty();

        GatewayTrace failed = traces.get(1);
        assertThat(failed.error())
                .hasValueSatisfying(e -> assertThat(e.get("message").asText()).contains("always fails"));
        assertThat(failed.completionTokenIds().isEmpty()).isTrue();
        assertThat(failed.logprobs().content()).isEmpty();
        assertThat(failed.finishReason()).isEqualTo(FinishReason.MISSING);
        assertThat(failed.weightVersion()).isEmpty();
    }

    @Test
    void aStreamedCallsTraceGivesLogprobsFromTheRecordedValues() {
        wm.stubFor(get("/sessions/s-2/traces").willReturn(okJson("""
                [{"trace_id": "t-3", "session_id": "s-2", "completion_token_ids": [1, 2],
                  "logprobs": [-1.5, -0.5], "finish_reason": "stop", "raw_response": null,
                  "response_message": {"role": "assistant", "content": "Hi"}}]
                """)));

        GatewayTrace t = gateway().traces("s-2").get(0);

        assertThat(t.logprobs().content()).extracting(TokenLogprob::logprob).containsExactly(-1.5, -0.5);
        assertThat(t.logprobs().contentLogprobSum()).isEqualTo(-2.0);
        assertThat(t.responseMessage().content()).isEqualTo("Hi");
    }

    @Test
    void tracesWithAnExpectedCountFlushesThenWaitsForTheLateWrite() {
        wm.stubFor(post("/admin/flush").willReturn(okJson("{\"status\": \"flushed\"}")));
        wm.stubFor(get("/sessions/s-1/traces")
                .inScenario("late write")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[" + TOOL_CALL_TRACE + "]"))
                .willSetStateTo("written"));
        wm.stubFor(get("/sessions/s-1/traces")
                .inScenario("late write")
                .whenScenarioStateIs("written")
                .willReturn(okJson("[" + TOOL_CALL_TRACE + "," + ERROR_TRACE + "]")));

        List<GatewayTrace> traces = gateway().traces("s-1", 2, Duration.ofSeconds(5));

        assertThat(traces).extracting(GatewayTrace::traceId).containsExactly("t-1", "t-2");
        wm.verify(1, postRequestedFor(urlEqualTo("/admin/flush")));
        wm.verify(2, getRequestedFor(urlEqualTo("/sessions/s-1/traces")));
    }

    @Test
    void tracesWithAnExpectedCountTimesOutSayingHowManyThereWere() {
        wm.stubFor(post("/admin/flush").willReturn(okJson("{\"status\": \"flushed\"}")));
        wm.stubFor(get("/sessions/s-1/traces").willReturn(okJson("[" + TOOL_CALL_TRACE + "]")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> gateway().traces("s-1", 3, Duration.ofMillis(300)));

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage()).contains("has 1 traces after 300 ms, not the 3 expected");
    }

    @Test
    void flushIsTrueWhenFlushedAndFalseWhenTheGatewayDoesNotAnswerInTime() {
        wm.stubFor(post("/admin/flush").willReturn(okJson("{\"status\": \"flushed\"}")));
        assertThat(gateway().flush(Duration.ofSeconds(5))).isTrue();

        wm.stubFor(post("/admin/flush")
                .willReturn(okJson("{\"status\": \"flushed\"}").withFixedDelay(2_000)));
        assertThat(gateway().flush(Duration.ofMillis(200))).isFalse();
    }

    @Test
    void anErrorReplyIsAnLlmExceptionWithTheGatewaysMessage() {
        wm.stubFor(get("/sessions/nope")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"Session nope not found\"}")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> gateway().session("nope"));

        assertThat(e.httpStatus()).hasValue(404);
        assertThat(e.getMessage()).contains("Session nope not found");
    }

    @Test
    void readsASessionsMetadataAndTraceCount() {
        wm.stubFor(
                get("/sessions/s-1")
                        .willReturn(
                                okJson(
                                        "{\"session_id\": \"s-1\", \"trace_count\": 2, \"created_at\": 1.5, \"metadata\": {\"step\": 3}}")));

        RllmGateway.SessionInfo info = gateway().session("s-1");

        assertThat(info).isEqualTo(new RllmGateway.SessionInfo("s-1", 2, Map.of("step", 3)));
    }

    @Test
    void addsAWorkerAndListsWorkersWithTheirHealth() {
        wm.stubFor(post("/admin/workers")
                .willReturn(
                        okJson("{\"worker_id\": \"w-9\", \"url\": \"http://127.0.0.1:8000\", \"api_path\": \"/v1\"}")));
        wm.stubFor(get("/health/workers").willReturn(okJson("""
                {"workers": [{"worker_id": "w-9", "url": "http://127.0.0.1:8000", "api_path": "/v1",
                              "model_name": "qwen", "weight": 1, "healthy": false, "active_requests": 2}],
                 "healthy": 0, "total": 1}
                """)));

        GatewayWorker added = gateway().addWorker("http://127.0.0.1:8000/v1", "qwen");

        assertThat(added).isEqualTo(new GatewayWorker("w-9", "http://127.0.0.1:8000", "/v1", "qwen", true, 0));
        wm.verify(postRequestedFor(urlEqualTo("/admin/workers"))
                .withRequestBody(equalToJson("{\"url\": \"http://127.0.0.1:8000/v1\", \"model_name\": \"qwen\"}")));
        assertThat(gateway().workers())
                .containsExactly(new GatewayWorker("w-9", "http://127.0.0.1:8000", "/v1", "qwen", false, 2));
    }

    @Test
    void tellsTheGenerationsApartWithGetsOnly() {
        gatewayGeneration(false);
        assertThat(gateway().generation()).isEqualTo(RllmGeneration.MODEL_GATEWAY_0_1_0);
        wm.resetAll();

        gatewayGeneration(true);
        assertThat(gateway().generation()).isEqualTo(RllmGeneration.MODEL_GATEWAY);
        wm.resetAll();

        // A LiteLLM proxy: /health needs a key; rLLM's has a POST-only /admin/flush-tracer (405 to a GET).
        wm.stubFor(get("/health").willReturn(aResponse().withStatus(401).withBody("{\"error\": {}}")));
        wm.stubFor(get("/health/liveliness").willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get("/admin/flush-tracer").willReturn(aResponse().withStatus(405)));
        assertThat(gateway().generation()).isEqualTo(RllmGeneration.LITELLM_PROXY_RLLM);
        wm.stubFor(get("/admin/flush-tracer").willReturn(notFound()));
        assertThat(gateway().generation()).isEqualTo(RllmGeneration.LITELLM_PROXY);
        wm.resetAll();

        assertThat(gateway().generation()).isEqualTo(RllmGeneration.UNKNOWN);
        wm.verify(0, postRequestedFor(urlPathEqualTo("/admin/flush-tracer")));
    }

    @Test
    void waitUntilReadyPollsHealthUntilTheGatewayIsUp() {
        wm.stubFor(get("/health")
                .inScenario("start")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        wm.stubFor(get("/health")
                .inScenario("start")
                .whenScenarioStateIs("up")
                .willReturn(okJson("{\"status\": \"ok\"}")));

        gateway().waitUntilReady(Duration.ofSeconds(10));

        wm.verify(2, getRequestedFor(urlEqualTo("/health")));
        assertThat(gateway().health()).isTrue();
    }

    @Test
    void waitUntilReadyTimesOutSayingWhatTheLastCheckSaw() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RllmGateway nothing =
                RllmGateway.builder().gatewayUrl("http://127.0.0.1:" + port).build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> nothing.waitUntilReady(Duration.ofMillis(400)));

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .contains("was not up after 400 ms")
                .contains("last check of GET /health")
                .contains("rllm-model-gateway --port 9090");
        assertThat(nothing.health()).isFalse();
    }
}
