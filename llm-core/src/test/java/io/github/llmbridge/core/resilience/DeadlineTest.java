package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.llmbridge.core.resilience.Replies.PATH;
import static io.github.llmbridge.core.resilience.Replies.ok;
import static io.github.llmbridge.core.resilience.Replies.request;
import static io.github.llmbridge.core.resilience.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One deadline bounds the whole call: attempts, backoff waits and waiting for a permit. */
class DeadlineTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void aServerThatNeverAnswersFailsAtTheDeadlineAndSeesTheConnectionClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpTestBackend backend = new HttpTestBackend("http://127.0.0.1:" + server.getLocalPort(), 4);
                ResilientChatClient client =
                        ResilientChatClient.builder(backend).build()) {
            CompletableFuture<Long> closedByClient = CompletableFuture.supplyAsync(() -> acceptAndWaitForClose(server));
            long start = System.nanoTime();

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> client.chat(request(Duration.ofMillis(800))));

            long failedAt = System.nanoTime();
            Duration took = Duration.ofNanos(failedAt - start);
            assertThat(took).isBetween(Duration.ofMillis(790), Duration.ofMillis(1500));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isEqualTo(1);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(a.httpStatus()).isZero();
            });
            assertThat(e.getMessage()).contains("did not finish within its deadline of 0.8 s", "during attempt 1");
            long closedAt = closedByClient.get(5, TimeUnit.SECONDS);
            assertThat(closedAt).as("the server saw the connection closed").isPositive();
            // The deadline itself aborts the exchange: the transport's own limit would be a second later.
            assertThat(Duration.ofNanos(closedAt - failedAt)).isLessThan(Duration.ofMillis(500));
            assertThat(client.stats().failuresByCategory()).containsEntry(ErrorCategory.TIMEOUT, 1L);
        }
    }

    /**
     * Accepts one connection, reads the request and never answers; returns the {@code nanoTime}
     * at which the client closed it, or -1 if it did not within 10 s.
     */
    private static long acceptAndWaitForClose(ServerSocket server) {
        try (Socket s = server.accept();
                InputStream in = s.getInputStream()) {
            s.setSoTimeout(10_000);
            byte[] buffer = new byte[8192];
            while (true) {
                if (in.read(buffer) < 0) {
                    return System.nanoTime();
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null
                            && e.getMessage().toLowerCase(Locale.ROOT).contains("reset")
                    ? System.nanoTime()
                    : -1;
        }
    }

    @Test
    void retriesStopAtTheDeadlineWithoutSchedulingAWaitPastIt() {
        // A fresh connection per request: the JDK client may re-send a request that found a pooled
        // connection closed, which the server would count as a second request of one attempt.
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(503).withHeader("Connection", "close")));
        try (HttpTestBackend backend = new HttpTestBackend(wm.baseUrl(), 4)) {
            ResilientChatClient client = ResilientChatClient.builder(backend)
                    .maxAttempts(50)
                    .backoff(new Backoff(Duration.ofMillis(200), 1, Duration.ofMillis(200)))
                    .build();
            long start = System.nanoTime();

            LlmException e = catchThrowableOfType(
                    LlmException.class,
                    () -> client.chat(request(Duration.ofSeconds(1)).toBuilder()
                            .user("retries-until-the-deadline")
                            .build()));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
            assertThat(e.category()).isIn(ErrorCategory.SERVER_ERROR, ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isGreaterThanOrEqualTo(2);
            // Counted by this test's own message: delayed replies of earlier tests can still land in the journal.
            int served = wm.findAll(postRequestedFor(urlEqualTo(PATH))
                            .withRequestBody(containing("retries-until-the-deadline")))
                    .size();
            assertThat(served).isEqualTo(e.attemptCount());
            long waited = e.attempts().stream()
                    .mapToLong(a -> a.waitAfter().toMillis())
                    .sum();
            assertThat(waited).isLessThan(1000);
            // Every planned wait ended before the deadline (start + 1 s, give or take the clock's grain).
            java.time.Instant deadline = e.attempts().get(0).start().plusMillis(1000);
            assertThat(e.attempts())
                    .allSatisfy(a -> assertThat(a.start().plus(a.duration()).plus(a.waitAfter()))
                            .isBeforeOrEqualTo(deadline.plusMillis(20)));
        }
    }

    @Test
    void timeWaitingForAPermitCountsAgainstTheDeadline() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok().withFixedDelay(1500)));
        try (HttpTestBackend backend = new HttpTestBackend(wm.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .build()) {
            CompletableFuture<ChatResponse> holder =
                    client.chatAsync(request().toBuilder().user("permit-holder").build());
            long start = System.nanoTime();

            LlmException e = catchThrowableOfType(
                    LlmException.class,
                    () -> client.chat(request(Duration.ofMillis(400)).toBuilder()
                            .user("never-sent")
                            .build()));

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(390), Duration.ofMillis(1200));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isZero();
            assertThat(e.getMessage()).contains("while waiting for one of 1 concurrency permits");
            assertThat(client.stats().waitingForPermit()).isZero();
            assertThat(holder.get(5, TimeUnit.SECONDS).content()).isEqualTo("ok");
            wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("permit-holder")));
            wm.verify(0, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("never-sent")));
        }
    }

    @Test
    void theDeadlineComesFromTheEnvironmentAndARequestOverridesIt() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok().withFixedDelay(1000)));
        try (HttpTestBackend backend = new HttpTestBackend(wm.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.wrap(
                        backend, Settings.of(Map.of("LLM_TIMEOUT_SECONDS", "0.3", "LITELLM_DEFAULT_TIMEOUT", "100")))) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage()).contains("deadline of 0.3 s");

            assertThat(client.chat(request(Duration.ofSeconds(5))).content()).isEqualTo("ok");
        }
    }

    @Test
    void anAttemptTimeoutShorterThanTheDeadlineIsRetried() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok().withFixedDelay(2000)));
        try (HttpTestBackend backend = new HttpTestBackend(wm.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxAttempts(2)
                        .attemptTimeout(Duration.ofMillis(300))
                        .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(1)))
                        .build()) {
            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> client.chat(request(Duration.ofSeconds(10))));

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attempts())
                    .extracting(Attempt::errorCategory)
                    .containsExactly(ErrorCategory.TIMEOUT, ErrorCategory.TIMEOUT);
            assertThat(e.getMessage()).contains("gave up after 2 attempts");
        }
    }

    @Test
    void cancellingTheCallCancelsTheInFlightExchange() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpTestBackend backend = new HttpTestBackend("http://127.0.0.1:" + server.getLocalPort(), 4);
                ResilientChatClient client =
                        ResilientChatClient.builder(backend).build()) {
            CompletableFuture<Long> closedByClient = CompletableFuture.supplyAsync(() -> acceptAndWaitForClose(server));
            CompletableFuture<ChatResponse> call = client.chatAsync(request());
            Thread.sleep(300); // let the request reach the server

            call.cancel(true);
            long cancelledAt = System.nanoTime();

            assertThat(Duration.ofNanos(closedByClient.get(5, TimeUnit.SECONDS) - cancelledAt))
                    .isLessThan(Duration.ofMillis(500));
            assertThat(client.stats().failuresByCategory()).containsEntry(ErrorCategory.CANCELLED, 1L);
            assertThat(client.stats().inFlight()).isZero();
        }
    }
}
