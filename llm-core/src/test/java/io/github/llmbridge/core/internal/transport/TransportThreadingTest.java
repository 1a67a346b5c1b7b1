package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport must not start a thread per call (the JDK's sendAsync does on small machines):
 * threads are bounded by the configured concurrency however many calls are made.
 */
class TransportThreadingTest {

    private static final byte[] REPLY = """
            {"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""".getBytes(StandardCharsets.UTF_8);

    private static HttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, REPLY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(REPLY);
                }
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void threadsStartedStayBoundedByConcurrencyNotByCallCount() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
        ChatRequest request = ChatRequest.builder().model("m").user("hi").build();
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(4).build()) {
            runBatch(transport, uri, request, 50); // warm up: pool threads, connections, HttpClient internals
            long before = threads.getTotalStartedThreadCount();
            int calls = 2_000;
            runBatch(transport, uri, request, calls);
            long started = threads.getTotalStartedThreadCount() - before;

            // sendAsync on a 2-core machine would start about one thread per call (2,000 here).
            assertThat(started).as("threads started during %d calls", calls).isLessThan(40);
        }
    }

    @Test
    void theJdkClientsOwnWorkRunsOnASmallFixedPoolNotACachedOne() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
        ChatRequest request = ChatRequest.builder().model("m").user("hi").build();
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("io-pool")
                .maxConcurrency(32)
                .build()) {
            runBatch(transport, uri, request, 500);

            // The JDK's default cached pool grows to about twice the calls in flight (~60 here).
            long ioThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("llm-bridge-io-pool-http-io-"))
                    .count();
            assertThat(ioThreads)
                    .isBetween(1L, (long) Math.max(2, Runtime.getRuntime().availableProcessors()));
        }
    }

    private static void runBatch(OpenAiHttpTransport transport, URI uri, ChatRequest request, int calls)
            throws Exception {
        List<CompletableFuture<ChatResponse>> futures = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            futures.add(transport.send(HttpCall.of(uri, Map.of(), ChatRequestJson.write(request), request)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(f -> assertThat(f.join().content()).isEqualTo("ok"));
    }
}
