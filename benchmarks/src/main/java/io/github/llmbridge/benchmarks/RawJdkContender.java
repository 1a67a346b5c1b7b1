package io.github.llmbridge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * (a) The floor: what a caller writes by hand with {@code java.net.http} and Jackson. Per call it
 * writes the JSON body, POSTs it with a blocking {@code send()} (one caller thread per concurrent
 * call, the fastest honest raw approach on a 2-core machine: {@code sendAsync} starts a thread per
 * call there, see docs/ARCHITECTURE.md#why-send-on-a-bounded-pool-and-not-sendasync) over
 * HTTP/1.1, parses the reply into a tree and reads the content and the token counts. The JDK
 * client gets a small fixed executor (its default, a cached pool, is slower). No retries, time
 * limits beyond the JDK's, error mapping or size cap.
 */
final class RawJdkContender implements Contender {

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String id() {
        return "a";
    }

    @Override
    public String label() {
        return "raw JDK send() + Jackson";
    }

    @Override
    public Driver open(URI stubBaseUrl, int concurrency) {
        // The JDK's default executor is an unbounded cached pool that grows to ~2x the calls in
        // flight; a small fixed one is faster, so the floor gets it too (as LLM Bridge's transport).
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService io = Executors.newFixedThreadPool(ioThreads, task -> {
            Thread t = new Thread(task, "raw-http-io");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(io)
                .build();
        URI endpoint = stubBaseUrl.resolve("/v1/chat/completions");
        return new Blocking() {
            @Override
            public String call() throws Exception {
                byte[] body = mapper.writeValueAsBytes(Payloads.rawBody(mapper));
                HttpRequest request = HttpRequest.newBuilder(endpoint)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + Payloads.API_KEY)
                        .timeout(Duration.ofSeconds(600))
                        .build();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                }
                JsonNode root = mapper.readTree(response.body());
                JsonNode usage = root.path("usage");
                if (usage.path("total_tokens").asLong() <= 0) {
                    throw new IllegalStateException("no usage in the reply");
                }
                return root.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText(null);
            }

            @Override
            public void close() {
                io.shutdown(); // HttpClient has no close() on JDK 17; its selector thread ends once unreachable
            }
        };
    }
}
