package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** maxConcurrency bounds the exchanges in flight; the rest wait without blocking the caller. */
class TransportConcurrencyTest {

    private static final byte[] REPLY = """
            {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""".getBytes(StandardCharsets.UTF_8);

    @Test
    void neverMoreThanMaxConcurrencyExchangesReachTheServer() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                release.await(10, TimeUnit.SECONDS); // hold every request until the test has queued all calls
                inFlight.decrementAndGet();
                exchange.sendResponseHeaders(200, REPLY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(REPLY);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        ChatRequest request = ChatRequest.builder().model("m").user("hi").build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(3).build()) {
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            long submitStart = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                calls.add(transport.sendChat(uri, Map.of(), request, body -> {}));
            }
            long submitNanos = System.nanoTime() - submitStart;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (inFlight.get() < 3) {
                assertThat(System.nanoTime()).as("3 requests reach the server").isLessThan(giveUp);
                Thread.onSpinWait();
            }
            assertThat(calls).noneMatch(CompletableFuture::isDone); // 3 held by the server, 17 queued
            release.countDown();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(peak.get()).isEqualTo(3);
            assertThat(calls).allSatisfy(c -> assertThat(c.join().content()).isEqualTo("ok"));
            // Submitting 20 calls while all 3 slots were taken did not wait for any of them.
            assertThat(TimeUnit.NANOSECONDS.toSeconds(submitNanos)).isLessThan(5);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBlockingCallInsideADependentStageDoesNotDeadlockTheExchangeThreads() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, REPLY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(REPLY);
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .timeout(java.time.Duration.ofSeconds(20))
                .build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
        // One exchange thread, and every reply's continuation blocks on a second call: without
        // compensation the nested calls could never run and all would wait for their 20 s limit.
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            List<CompletableFuture<String>> chains = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                chains.add(transport
                        .sendChat(uri, Map.of(), request, body -> {})
                        .thenApply(first -> io.github.llmbridge.core.internal.Futures.await(
                                        transport.sendChat(uri, Map.of(), request, body -> {}))
                                .content()));
            }
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(chains).allSatisfy(c -> assertThat(c.join()).isEqualTo("ok"));
        } finally {
            server.stop(0);
        }
    }
}
