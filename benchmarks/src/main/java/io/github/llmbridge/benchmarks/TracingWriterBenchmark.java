package io.github.llmbridge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TracingChatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The tracing writer on its own (moved here from llm-tracing-sqlite's test sources, where it was
 * {@code TracingBenchmark}):
 * <ol>
 *   <li>sustained throughput: traces of ~2 KB request+response JSON enqueued as fast as one thread
 *       can, timed until {@code flush} confirms they are committed (target 50,000/s);</li>
 *   <li>latency the decorator adds on the caller's thread: {@code chatAsync} on a backend double
 *       that answers at once (so completion, trace building and enqueueing also run on the
 *       caller's thread), traced minus untraced, median (target 20 µs, from the tracing issue).</li>
 * </ol>
 */
final class TracingWriterBenchmark {

    /** Per measured round: traces per second committed, and the caller-thread medians in µs. */
    record Result(
            int requestJsonBytes,
            int responseJsonBytes,
            List<Double> tracesPerSecond,
            List<Double> untracedMicros,
            List<Double> tracedMicros,
            List<Double> tracedP99Micros) {}

    private TracingWriterBenchmark() {}

    static Result run(int tracesPerRound, int callsPerRound, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("tracing-benchmark");
        ChatRequest request = request();
        ChatResponse response = response();
        int requestBytes =
                Json.MAPPER.writeValueAsString(ChatRequestJson.write(request)).length();
        int responseBytes = Json.MAPPER.writeValueAsString(response.raw()).length();
        List<Double> throughput = new ArrayList<>();
        List<Double> untraced = new ArrayList<>();
        List<Double> traced = new ArrayList<>();
        List<Double> tracedP99 = new ArrayList<>();
        try {
            try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("throughput.db"));
                    LlmSession session = LlmSession.open("benchmark", Map.of("step", 1))) {
                CallTrace trace =
                        new CallTrace(request, session, Instant.now(), Duration.ofMillis(42), "bench", response, null);
                for (int round = 0; round <= rounds; round++) { // round 0 warms up
                    long start = System.nanoTime();
                    for (int i = 0; i < tracesPerRound; i++) {
                        store.enqueue(trace);
                    }
                    if (!store.flush(Duration.ofMinutes(5))) {
                        throw new IllegalStateException("flush failed: " + store);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (round > 0) {
                        throughput.add(tracesPerRound / seconds);
                    }
                }
            }
            try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("latency.db"))) {
                ChatClient bare = new AnsweringClient(response);
                ChatClient withTracing = TracingChatClient.wrap(bare, store);
                for (int round = 0; round <= rounds; round++) {
                    long[] plain = time(bare, request, callsPerRound);
                    long[] tracedNanos = time(withTracing, request, callsPerRound);
                    store.flush(Duration.ofMinutes(5)); // between rounds, untimed: keep the queue from filling
                    if (round > 0) {
                        untraced.add(Stats.percentile(plain, 0.5) / 1e3);
                        traced.add(Stats.percentile(tracedNanos, 0.5) / 1e3);
                        tracedP99.add(Stats.percentile(tracedNanos, 0.99) / 1e3);
                    }
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        return new Result(requestBytes, responseBytes, throughput, untraced, traced, tracedP99);
    }

    static long[] time(ChatClient client, ChatRequest request, int calls) {
        long[] nanos = new long[calls];
        try (LlmSession session = LlmSession.open("latency")) {
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                CompletableFuture<ChatResponse> f = client.chatAsync(request);
                nanos[i] = System.nanoTime() - start;
                if (!f.isDone()) {
                    f.join();
                }
            }
        }
        java.util.Arrays.sort(nanos);
        return nanos;
    }

    /** A judge request of about 1 KB: a rubric and an answer. */
    static ChatRequest request() {
        String rubric = "Score the answer from 0 to 10 for correctness, completeness and clarity. ".repeat(6);
        String answer =
                "The capital of Australia is Canberra, chosen as a compromise between Sydney and Melbourne. ".repeat(6);
        return ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .system(rubric)
                .user(answer)
                .temperature(0.0)
                .maxTokens(800)
                .metadata("rollout", 7)
                .tags("judge")
                .build();
    }

    /** A reply of about 1 KB as a provider sends it. */
    static ChatResponse response() {
        String content =
                "{\"score\": 8, \"reason\": \"" + "Correct and clear, with a brief justification. ".repeat(16) + "\"}";
        JsonNode raw = Json.MAPPER
                .createObjectNode()
                .put("id", "gen-1234567890")
                .put("model", "openai/gpt-4o-mini")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .set(
                        "choices",
                        Json.MAPPER
                                .createArrayNode()
                                .add(Json.MAPPER
                                        .createObjectNode()
                                        .put("index", 0)
                                        .put("finish_reason", "stop")
                                        .set(
                                                "message",
                                                Json.MAPPER
                                                        .createObjectNode()
                                                        .put("role", "assistant")
                                                        .put("content", content))));
        return ChatResponse.builder()
                .id("gen-1234567890")
                .model("openai/gpt-4o-mini")
                .content(content)
                .usage(new Usage(230, 190, 420, 0, 0))
                .cost(0.00012)
                .backend("bench")
                .raw(raw)
                .build();
    }

    /** A backend double that answers every call at once, on the calling thread. */
    static final class AnsweringClient implements ChatClient {
        private final CompletableFuture<ChatResponse> reply;

        AnsweringClient(ChatResponse reply) {
            this.reply = CompletableFuture.completedFuture(reply);
        }

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return reply;
        }

        @Override
        public String backend() {
            return "bench";
        }

        @Override
        public void close() {}
    }
}
