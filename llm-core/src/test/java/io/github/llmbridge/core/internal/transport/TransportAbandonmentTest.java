package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Futures;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that end before their reply (time limit, caller's own timeout, waiting for a slot) must
 * free their slot, never run the caller's stages on the shared timer thread, and say whether
 * they reached the server. "/slow" never answers until the test ends; "/fast" answers at once.
 */
class TransportAbandonmentTest {

    private static final byte[] REPLY = """
            {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final CountDownLatch endOfTest = new CountDownLatch(1);
    private final CountDownLatch slowRequestArrived = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (exchange.getRequestURI().getPath().startsWith("/slow")) {
                    slowRequestArrived.countDown();
                    endOfTest.await(30, TimeUnit.SECONDS);
                }
                exchange.sendResponseHeaders(200, REPLY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(REPLY);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException closedByClient) {
                // the client gave up: expected for /slow
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        endOfTest.countDown();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static ChatRequest request(Duration timeout) {
        return ChatRequest.builder().model("m").user("hi").timeout(timeout).build();
    }

    @Test
    void aTimedOutCallsStagesDoNotRunOnTheSharedTimerThread() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build()) {
            AtomicReference<String> stageThread = new AtomicReference<>();
            CompletableFuture<ChatResponse> call =
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofMillis(200)), body -> {});
            CompletableFuture<Object> stage = call.handle((r, e) -> {
                stageThread.set(Thread.currentThread().getName());
                return e;
            });
            stage.get(10, TimeUnit.SECONDS);
            assertThat(stageThread.get()).doesNotContain("timer");
        }
    }

    @Test
    void aBlockingStageOfOneTimedOutCallDoesNotDelayAnotherCallsTimeLimit() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build()) {
            CountDownLatch stageBlocked = new CountDownLatch(1);
            transport
                    .sendChat(uri("/slow"), Map.of(), request(Duration.ofMillis(100)), body -> {})
                    .exceptionally(e -> {
                        stageBlocked.countDown();
                        awaitQuietly(endOfTest); // reward code blocking in a fallback
                        return null;
                    });
            assertThat(stageBlocked.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<ChatResponse> other =
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofMillis(300)), body -> {});
            // Were timeouts completed on the single timer thread, this would wait for the end of the test.
            LlmException e = LlmException.from(other.handle((r, t) -> t).get(10, TimeUnit.SECONDS));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        }
    }

    @Test
    void aCallerTimeoutOnTheReturnedFutureFreesTheSlot() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            CompletableFuture<ChatResponse> slow =
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofSeconds(60)), body -> {});
            assertThat(slowRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();
            slow.completeOnTimeout(ChatResponse.builder().content("fallback").build(), 100, TimeUnit.MILLISECONDS);
            assertThat(slow.get(10, TimeUnit.SECONDS).content()).isEqualTo("fallback");

            // The only slot was held by /slow; it must have been released for this call to finish.
            ChatResponse next = transport
                    .sendChat(uri("/fast"), Map.of(), request(Duration.ofSeconds(60)), body -> {})
                    .get(10, TimeUnit.SECONDS);
            assertThat(next.content()).isEqualTo("ok");
        }
    }

    @Test
    void aCallerTimeoutOnAMappedFutureFreesTheSlotToo() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            CompletableFuture<String> mapped = Futures.map(
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofSeconds(60)), body -> {}),
                    ChatResponse::content);
            assertThat(slowRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();
            mapped.orTimeout(100, TimeUnit.MILLISECONDS);
            assertThat(mapped.handle((r, e) -> e).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);

            ChatResponse next = transport
                    .sendChat(uri("/fast"), Map.of(), request(Duration.ofSeconds(60)), body -> {})
                    .get(10, TimeUnit.SECONDS);
            assertThat(next.content()).isEqualTo("ok");
        }
    }

    @Test
    // the slow call only occupies the slot; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aCallThatTimesOutWaitingForASlotSaysItNeverReachedTheServer() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofSeconds(60)), body -> {});
            assertThat(slowRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<ChatResponse> queued =
                    transport.sendChat(uri("/fast"), Map.of(), request(Duration.ofMillis(200)), body -> {});
            LlmException e = LlmException.from(queued.handle((r, t) -> t).get(10, TimeUnit.SECONDS));

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isZero();
            assertThat(e.getMessage()).contains("waited 200 ms", "1 test connection slots", "never reached the server");
        }
    }

    @Test
    void aCallThatTimesOutOnTheWireCountsOneAttempt() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build()) {
            CompletableFuture<ChatResponse> call =
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofMillis(200)), body -> {});
            LlmException e = LlmException.from(call.handle((r, t) -> t).get(10, TimeUnit.SECONDS));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isEqualTo(1);
            assertThat(e.getMessage()).contains("no reply from test", "within 200 ms");
        }
    }

    @Test
    void aFallbackCallInsideATimedOutCallsStageGetsTheSlotTheTimedOutCallHeld() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            // Stages run newest first; were the exchange stopped in a stage registered at creation,
            // it would stop only after this fallback returned, and the fallback would wait for the
            // very slot the timed-out call still held until its own limit (5 s) passed.
            CompletableFuture<String> withFallback = transport
                    .sendChat(uri("/slow"), Map.of(), request(Duration.ofMillis(300)), body -> {})
                    .handle((reply, failure) -> Futures.await(transport.sendChat(
                                    uri("/fast"), Map.of(), request(Duration.ofSeconds(5)), body -> {}))
                            .content());
            assertThat(withFallback.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    @Test
    void aFallbackInsideACallerTimeoutStageOfAMappedFutureGetsTheSlotToo() throws Exception {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").maxConcurrency(1).build()) {
            CompletableFuture<String> mapped = Futures.map(
                    transport.sendChat(uri("/slow"), Map.of(), request(Duration.ofSeconds(60)), body -> {}),
                    ChatResponse::content);
            CompletableFuture<String> withFallback = mapped.handle((reply, failure) -> Futures.await(
                            transport.sendChat(uri("/fast"), Map.of(), request(Duration.ofSeconds(5)), body -> {}))
                    .content());
            assertThat(slowRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();
            mapped.orTimeout(100, TimeUnit.MILLISECONDS);
            assertThat(withFallback.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
