package io.github.llmbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.tools.ToolLoop;
import io.github.llmbridge.core.tools.ToolLoopResult;
import io.github.llmbridge.rllm.GatewaySession;
import io.github.llmbridge.rllm.GatewayTrace;
import io.github.llmbridge.rllm.GatewayWorker;
import io.github.llmbridge.rllm.NewSession;
import io.github.llmbridge.rllm.RllmChatClient;
import io.github.llmbridge.rllm.RllmGateway;
import io.github.llmbridge.rllm.RllmGeneration;
import io.github.llmbridge.rllm.SamplingParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code rllm} backend and {@link RllmGateway} against the real {@code rllm-model-gateway}
 * 0.1.0, whose worker is the vLLM-like stub: each test asserts what the gateway recorded (its
 * traces and sessions) or answered, and what reached the worker.
 */
class GatewayInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RealServers servers() {
        return RealServers.get();
    }

    private static RllmGateway gateway() {
        return RllmGateway.builder().gatewayUrl(servers().gateway.toString()).build();
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().model("stub-model").user(text).build();
    }

    @Test
    void aChatCallIsRecordedWithTheWorkersTokenIdsAndLogprobs() {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession(
                NewSession.builder().metadata(Map.of("step", 1)).build());
        ChatResponse reply;
        try (ChatClient agent =
                RllmChatClient.builder().gatewayUrl(session.url()).build()) {
            reply = agent.chat(ask("hello gateway"));
        }

        // What the gateway answered the agent: the worker's reply, its token ids stripped.
        assertThat(reply.content()).isEqualTo("echo: hello gateway");
        assertThat(reply.promptTokenIds()).isEmpty();
        assertThat(reply.choices().get(0).tokenIds()).isEmpty();
        assertThat(reply.choices().get(0).logprobs()).isEmpty();

        // What it recorded.
        List<GatewayTrace> traces = gateway.traces(session.id(), 1, WAIT);
        assertThat(traces).hasSize(1);
        GatewayTrace t = traces.get(0);
        assertThat(t.sessionId()).isEqualTo(session.id());
        assertThat(t.model()).isEqualTo("stub-model");
        assertThat(t.messages()).containsExactly(ChatMessage.user("hello gateway"));
        assertThat(t.promptTokenIds()).isEqualTo(Tokens.of(Tokens.userPrompt("hello gateway")));
        assertThat(t.completionTokenIds()).isEqualTo(Tokens.of("echo: hello gateway"));
        assertThat(t.logprobValues()).containsExactly(Tokens.logprobs(19), within(1e-9));
        assertThat(t.logprobs().content()).extracting(TokenLogprob::token).startsWith("e", "c", "h", "o");
        assertThat(t.responseMessage().content()).isEqualTo("echo: hello gateway");
        assertThat(t.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(t.weightVersion()).isEmpty(); // 0.1.0 has no weight versions
        assertThat(gateway.session(session.id()))
                .isEqualTo(new RllmGateway.SessionInfo(session.id(), 1, Map.of("step", 1)));

        // What reached the worker: the gateway added logprobs and return_token_ids (and, in 0.1.0, an extra_body).
        assertThat(servers().stubRequests())
                .contains("\"messages\": [{\"role\": \"user\", \"content\": \"hello gateway\"}], \"logprobs\": true,"
                        + " \"extra_body\": {\"return_token_ids\": true}, \"return_token_ids\": true}");
    }

    @Test
    void aStreamedCallArrivesInChunksAndIsRecordedWithTheTokenIdsTheWorkerStreamed() throws Exception {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession();
        String text = "stream through the gateway";
        String completion = "echo: " + text;
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse reply;
        try (ChatClient agent =
                RllmChatClient.builder().gatewayUrl(session.url()).build()) {
            reply = agent.streamAsync(ask(text), chunks::add).get(30, TimeUnit.SECONDS);
        }

        // What the gateway forwarded: the worker's events one by one (4 characters each), token ids stripped.
        assertThat(chunks.stream().map(ChatChunk::content).filter(c -> !c.isEmpty()))
                .containsExactly("echo", ": st", "ream", " thr", "ough", " the", " gat", "eway");
        assertThat(reply.content()).isEqualTo(completion);
        assertThat(reply.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(reply.promptTokenIds()).isEmpty();
        assertThat(reply.choices().get(0).tokenIds()).isEmpty();
        assertThat(reply.choices().get(0).logprobs()).isEmpty();

        // What it recorded, assembled from the events: the first event's prompt ids, every event's token ids.
        GatewayTrace t = gateway.traces(session.id(), 1, WAIT).get(0);
        assertThat(t.sessionId()).isEqualTo(session.id());
        assertThat(t.promptTokenIds()).isEqualTo(Tokens.of(Tokens.userPrompt(text)));
        assertThat(t.completionTokenIds()).isEqualTo(Tokens.of(completion));
        assertThat(t.logprobValues()).containsExactly(Tokens.logprobs(completion.length()), within(1e-9));
        assertThat(t.responseMessage().content()).isEqualTo(completion);
        assertThat(t.finishReason()).isEqualTo(FinishReason.STOP);

        // What reached the worker: the stream, with the gateway's trace fields added.
        assertThat(servers().stubRequests())
                .contains("\"content\": \"" + text + "\"}], \"stream\": true, \"stream_options\":"
                        + " {\"include_usage\": true}, \"logprobs\": true,");
    }

    @Test
    void aStreamedWorkersErrorIsPassedThroughNamedButTheGatewayRecordsNoTrace() {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession();
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        try (ChatClient agent =
                RllmChatClient.builder().gatewayUrl(session.url()).build()) {
            assertThatThrownBy(() -> agent.streamAsync(
                                    ChatRequest.builder()
                                            .model("stub-error")
                                            .user("fail")
                                            .build(),
                                    chunks::add)
                            .get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
                        assertThat(e.httpStatus()).hasValue(400);
                        assertThat(e.getMessage()).contains("stub: this model always fails");
                    });
            // A later call of the same session, so there is a trace to wait for: it is the only one.
            agent.chat(ask("after the failed stream"));
        }

        assertThat(chunks).isEmpty();
        // Unlike the same error without streaming: 0.1.0 builds a streamed trace from data events only.
        assertThat(gateway.traces(session.id(), 1, WAIT))
                .extracting(t -> t.responseMessage().content())
                .containsExactly("echo: after the failed stream");
        assertThat(gateway.session(session.id()).traceCount()).isEqualTo(1);
    }

    @Test
    void anLlmSessionIsAGatewaySessionCreatedWithItsMetadataAndEveryCallOfItGoesThere() {
        RllmGateway gateway = gateway();
        String first;
        String second;
        try (ChatClient agent = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND", "rllm", "RLLM_GATEWAY_URL", servers().gateway.toString()))) {
            try (LlmSession rollout = LlmSession.open("rollout-1", Map.of("task", "t-1"))) {
                first = rollout.uid();
                agent.chat(ask("first rollout, call one"));
                agent.chat(ask("first rollout, call two"));
            }
            try (LlmSession rollout = LlmSession.open("rollout-2")) {
                second = rollout.uid();
                agent.chat(ask("second rollout"));
            }
        }

        assertThat(gateway.traces(first, 2, WAIT))
                .extracting(t -> t.responseMessage().content())
                .containsExactly("echo: first rollout, call one", "echo: first rollout, call two");
        assertThat(gateway.traces(second, 1, WAIT))
                .extracting(t -> t.responseMessage().content())
                .containsExactly("echo: second rollout");
        RllmGateway.SessionInfo info = gateway.session(first);
        assertThat(info.traceCount()).isEqualTo(2);
        assertThat(info.metadata())
                .containsEntry("task", "t-1")
                .containsEntry("session_name", "rollout-1")
                .containsEntry("session_uids", List.of(first));
    }

    @Test
    void aSessionTheTrainerCreatedIsUsedThroughTheLlmSessionsMetadata() {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession(NewSession.builder()
                .id("interop-handed-over")
                .metadata(Map.of("by", "trainer"))
                .build());
        try (ChatClient agent =
                        RllmChatClient.builder().gatewayUrl(servers().gateway).build();
                LlmSession ignored = LlmSession.open("agent", Map.of(RllmChatClient.SESSION_ID, session.id()))) {
            agent.chat(ask("handed over"));
        }

        assertThat(gateway.traces(session.id(), 1, WAIT)).hasSize(1);
        // Not created again by the agent: the trainer's metadata stands.
        assertThat(gateway.session(session.id()).metadata()).isEqualTo(Map.of("by", "trainer"));
    }

    @Test
    void bothRoundsOfAToolCallAreRecorded() {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession();
        record Weather(String city) {}
        ToolLoop loop = ToolLoop.builder()
                .tool("get_weather", "Current weather in a city", Weather.class, w -> "18 C in " + w.city())
                .build();
        ToolLoopResult result;
        try (ChatClient agent =
                RllmChatClient.builder().gatewayUrl(session.url()).build()) {
            result = loop.run(agent, ask("weather in Paris?"));
        }

        assertThat(result.content()).isEqualTo("echo: tool said 18 C in Paris");
        List<GatewayTrace> traces = gateway.traces(session.id(), 2, WAIT);
        assertThat(traces).hasSize(2);
        assertThat(traces.get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(traces.get(0).responseMessage().toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualTo("{\"city\": \"Paris\"}");
        });
        assertThat(traces.get(0).completionTokenIds()).isEqualTo(Tokens.of("{\"city\": \"Paris\"}"));
        assertThat(traces.get(1).messages()).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool");
        assertThat(traces.get(1).messages().get(2).toolCallId()).hasValue("call_stub_1");
        assertThat(traces.get(1).completionTokenIds()).isEqualTo(Tokens.of("echo: tool said 18 C in Paris"));
    }

    @Test
    void aWorkersErrorIsPassedThroughNamedAndRecordedAsATrace() {
        RllmGateway gateway = gateway();
        GatewaySession session = gateway.createSession();
        LlmException e;
        try (ChatClient agent =
                RllmChatClient.builder().gatewayUrl(session.url()).build()) {
            e = catchThrowableOfType(
                    LlmException.class,
                    () -> agent.chat(ChatRequest.builder()
                            .model("stub-error")
                            .user("fail")
                            .build()));
        }

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.httpStatus()).hasValue(400);
        assertThat(e.getMessage()).contains("stub: this model always fails");
        GatewayTrace t = gateway.traces(session.id(), 1, WAIT).get(0);
        assertThat(t.error())
                .hasValueSatisfying(
                        err -> assertThat(err.get("message").asText()).contains("always fails"));
        assertThat(t.completionTokenIds().isEmpty()).isTrue();
        assertThat(t.finishReason()).isEqualTo(FinishReason.MISSING);
    }

    @Test
    void aGatewayWithoutAWorkerAnswersABare500ThatTheMessageExplains() {
        try (ChatClient agent = RllmChatClient.builder()
                .gatewayUrl(servers().gatewayWithoutWorker + "/sessions/lonely/v1")
                .build()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> agent.chat(ask("anyone?")));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.httpStatus()).hasValue(500);
            assertThat(e.getMessage()).contains("Internal Server Error").contains("no healthy worker");
        }
        assertThat(RllmGateway.builder()
                        .gatewayUrl(servers().gatewayWithoutWorker.toString())
                        .build()
                        .workers())
                .isEmpty();
    }

    @Test
    void healthWorkersGenerationAndTheConnectionCheckSeeTheRealGateway() {
        RllmGateway gateway = gateway();

        assertThat(gateway.health()).isTrue();
        assertThat(gateway.generation()).isEqualTo(RllmGeneration.MODEL_GATEWAY_0_1_0);
        assertThat(gateway.workers())
                .singleElement()
                .satisfies(w -> {
                    assertThat(w.url()).isEqualTo(servers().stub.toString());
                    assertThat(w.apiPath()).isEqualTo("/v1");
                })
                .extracting(GatewayWorker::healthy)
                .isEqualTo(true);
        try (ChatClient client = RllmChatClient.builder()
                .gatewayUrl(servers().gateway + "/sessions/doctor/v1")
                .build()) {
            ConnectionReport report = ConnectionCheck.run(client, "stub-model", Duration.ofSeconds(30));
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.step("gateway").orElseThrow().detail()).contains("0.1.0");
            assertThat(report.step("workers").orElseThrow().detail()).isEqualTo("1 of 1 workers healthy");
        }
    }

    @Test
    void aSessionIdWithASlashIsRefusedBecauseThisReleaseCannotRouteIt() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> gateway().createSession(NewSession.builder().id("task/17").build()));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("cannot route");
        // What 0.1.0 does with such a session's call: 404, which the message explains.
        try (ChatClient agent =
                        RllmChatClient.builder().gatewayUrl(servers().gateway).build();
                LlmSession ignored = LlmSession.open("agent", Map.of(RllmChatClient.SESSION_ID, "task/17"))) {
            LlmException call = catchThrowableOfType(LlmException.class, () -> agent.chat(ask("lost")));
            assertThat(call.httpStatus()).hasValue(404);
            assertThat(call.getMessage()).contains("the gateway has no such endpoint");
        }
    }

    @Test
    void flushAnswersFlushed() {
        assertThat(gateway().flush(WAIT)).isTrue();
    }

    @Test
    void sessionSamplingParamsAreRefusedBecauseThisReleaseWouldIgnoreThem() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> gateway()
                        .createSession(NewSession.builder()
                                .samplingParams(SamplingParams.builder()
                                        .temperature(0.0)
                                        .build())
                                .build()));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("rllm-model-gateway 0.1.0");
    }
}
