package io.github.llmbridge.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.http.ChatRequestJson;
import io.github.llmbridge.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: measures the two numbers the tracing issue sets targets for, on this machine.
 * <ol>
 *   <li>Sustained writer throughput: traces of ~2 KB request+response JSON enqueued as fast as one
 *       thread can, timed until {@code flush} confirms they are committed (target 50,000/s).</li>
 *   <li>Latency the decorator adds on the caller's thread: {@code chatAsync} on a backend double that
 *       answers at once (so completion, trace building and enqueueing also run on the caller's
 *       thread), traced minus untraced, median (target 20 µs).</li>
 * </ol>
 * Run it as the README's "Tracing" section shows. Optional arguments: traces per throughput round
 * (default 200000), calls per latency round (default 100000).
 */
public final class TracingBenchmark {

    private TracingBenchmark() {
    }

    /** Runs both measurements and prints the results. */
    public static void main(String[] args) throws Exception {
        int traces = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        System.out.printf("JDK %s, %d cores, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"));
        Path dir = Files.createTempDirectory("tracing-benchmark");
        ChatRequest request = request();
        ChatResponse response = response(request);
        System.out.printf("request JSON %d bytes + response JSON %d bytes per trace%n",
                Json.MAPPER.writeValueAsString(ChatRequestJson.write(request)).length(),
                Json.MAPPER.writeValueAsString(response.raw()).length());

        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("throughput.db"));
             LlmSession session = LlmSession.open("benchmark", Map.of("step", 1))) {
            CallTrace trace = new CallTrace(request, session, Instant.now(), Duration.ofMillis(42), "bench", response, null);
            for (int round = 0; round < 4; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < traces; i++) {
                    store.enqueue(trace);
                }
                if (!store.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("flush failed: " + store);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s throughput: %,d traces in %.2f s = %,.0f traces/s committed%n",
                        round == 0 ? "warm-up" : "round " + round, traces, seconds, traces / seconds);
            }
        }

        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("latency.db"))) {
            ChatClient bare = new FakeChatClient("bench", r -> CompletableFuture.completedFuture(response));
            ChatClient traced = TracingChatClient.wrap(bare, store);
            for (int round = 0; round < 4; round++) {
                long[] plain = time(bare, request, calls);
                long[] withTracing = time(traced, request, calls);
                store.flush(Duration.ofMinutes(5)); // between rounds, untimed: keep the queue from filling
                System.out.printf("%s caller thread: untraced median %.2f µs, traced median %.2f µs (p99 %.2f µs)"
                        + " -> added %.2f µs%n", round == 0 ? "warm-up" : "round " + round, median(plain) / 1e3,
                        median(withTracing) / 1e3, percentile(withTracing, 0.99) / 1e3,
                        (median(withTracing) - median(plain)) / 1e3);
            }
        }
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    private static long[] time(ChatClient client, ChatRequest request, int calls) {
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
        return nanos;
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** A judge request of about 1 KB: a rubric and an answer. */
    private static ChatRequest request() {
        String rubric = "Score the answer from 0 to 10 for correctness, completeness and clarity. ".repeat(6);
        String answer = "The capital of Australia is Canberra, chosen as a compromise between Sydney and Melbourne. "
                .repeat(6);
        return ChatRequest.builder().model("openai/gpt-4o-mini").system(rubric).user(answer).temperature(0.0)
                .maxTokens(800).metadata("rollout", 7).tags("judge").build();
    }

    /** A reply of about 1 KB as a provider sends it. */
    private static ChatResponse response(ChatRequest request) {
        String content = "{\"score\": 8, \"reason\": \"" + "Correct and clear, with a brief justification. ".repeat(16)
                + "\"}";
        JsonNode raw = Json.MAPPER.createObjectNode().put("id", "gen-1234567890").put("model", "openai/gpt-4o-mini")
                .put("object", "chat.completion").put("created", 1_700_000_000L)
                .set("choices", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode().put("index", 0)
                        .put("finish_reason", "stop").set("message", Json.MAPPER.createObjectNode()
                                .put("role", "assistant").put("content", content))));
        return ChatResponse.builder().id("gen-1234567890").model("openai/gpt-4o-mini").content(content)
                .usage(new Usage(230, 190, 420, 0, 0)).cost(0.00012).backend("bench").raw(raw).build();
    }
}
