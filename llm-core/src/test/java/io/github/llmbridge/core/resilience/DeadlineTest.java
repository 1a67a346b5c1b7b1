package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.llmbridge.core.resilience.Replies.PATH;
import static io.github.llmbridge.core.resilience.Replies.failure;
import static io.github.llmbridge.core.resilience.Replies.ok;
import static io.github.llmbridge.core.resilience.Replies.request;
import static io.github.llmbridge.core.resilience.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import io.github.llmbridge.core.resilience.CountingStubServer.Reply;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One deadline bounds the whole call: attempts, backoff waits and waiting for a permit. The
 * deadlines run on {@link VirtualTime}, so each is asserted to the millisecond without waiting for
 * it; {@link #aClientBuiltNormallyEndsTheCallOnTheRealClock} checks that the real clock is the
 * default.
 */
class DeadlineTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    @Test
    void aServerThatNeverAnswersFailsAtTheDeadlineAndSeesTheConnectionClosed() throws Exception {
        VirtualTime time = new VirtualTime();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpTestBackend backend = new HttpTestBackend("http://127.0.0.1:" + server.getLocalPort(), 4);
                ResilientChatClient client =
                        ResilientChatClient.builder(backend).scheduler(time).build()) {
            CompletableFuture<Void> requestRead = new CompletableFuture<>();
            CompletableFuture<Long> closedByClient =
                    CompletableFuture.supplyAsync(() -> acceptAndWaitForClose(server, requestRead));
            CompletableFuture<ChatResponse> call = client.chatAsync(request(Duration.ofMillis(800)));
            requestRead.get(10, TimeUnit.SECONDS);

            time.advance(Duration.ofMillis(799));
            assertThat(call).as("a millisecond before the deadline").isNotDone();
            time.advance(Duration.ofMillis(1));

            long failedAt = System.nanoTime();
            assertThat(call).as("ended by the deadline, on this thread").isCompletedExceptionally();
            LlmException e = failure(call);
            assertThat(time.requested()).as("one timer, the deadline").containsExactly(Duration.ofMillis(800));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isEqualTo(1);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(a.httpStatus()).isZero();
                assertThat(a.duration()).isEqualTo(Duration.ofMillis(800));
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
     * Accepts one connection, reads the request (completing {@code requestRead} at its first
     * bytes) and never answers; returns the {@code nanoTime} at which the client closed it, or -1
     * if it did not within 10 s.
     */
    private static long acceptAndWaitForClose(ServerSocket server, CompletableFuture<Void> requestRead) {
        try (Socket s = server.accept();
                InputStream in = s.getInputStream()) {
            s.setSoTimeout(10_000);
            byte[] buffer = new byte[8192];
            while (true) {
                if (in.read(buffer) < 0) {
                    return System.nanoTime();
                }
                requestRead.complete(null);
            }
        } catch (IOException e) {
            return e.getMessage() != null
                            && e.getMessage().toLowerCase(Locale.ROOT).contains("reset")
                    ? System.nanoTime()
                    : -1;
        }
    }

    @Test
    void retriesStopAtTheDeadlineWithoutSchedulingAWaitPastIt() throws Exception {
        // A fresh connection per request: the JDK client may re-send a request that found a pooled
        // connection closed, which the server would count as a second request of one attempt.
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(503).withHeader("Connection", "close")));
        VirtualTime time = new VirtualTime();
        Backoff backoff = new Backoff(Duration.ofMillis(200), 1, Duration.ofMillis(200));
        try (HttpTestBackend backend = new HttpTestBackend(wm.baseUrl(), 4)) {
            ResilientChatClient client = ResilientChatClient.builder(backend)
                    .maxAttempts(50)
                    .backoff(backoff)
                    .random(new Random(11))
                    .scheduler(time)
                    .build();
            CompletableFuture<ChatResponse> call = client.chatAsync(request(Duration.ofSeconds(1)).toBuilder()
                    .user("retries-until-the-deadline")
                    .build());

            time.runThroughWaits(call);

            LlmException e = failure(call);
            assertThat(time.elapsed()).as("ended before its deadline").isLessThan(Duration.ofSeconds(1));
            // On the virtual clock an attempt takes no time, so the deadline never cuts one off:
            // the call ends because the next wait would pass it.
            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.getMessage()).contains("not retried: waiting", "would pass the call's deadline");
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
            // Every planned wait ended before the deadline, and the one not started would have
            // ended at or past it: the same seed draws the same waits.
            Instant deadline = VirtualTime.EPOCH.plusSeconds(1);
            assertThat(e.attempts())
                    .allSatisfy(a -> assertThat(a.start().plus(a.duration()).plus(a.waitAfter()))
                            .isBefore(deadline));
            Random same = new Random(11);
            List<Duration> drawn = new ArrayList<>();
            for (int attempt = 1; attempt <= e.attemptCount(); attempt++) {
                drawn.add(backoff.wait(attempt, same));
            }
            List<Duration> planned = new ArrayList<>(drawn.subList(0, drawn.size() - 1));
            planned.add(Duration.ZERO);
            assertThat(e.attempts()).extracting(Attempt::waitAfter).containsExactlyElementsOf(planned);
            Attempt last = e.attempts().get(e.attemptCount() - 1);
            assertThat(last.start().plus(last.duration()).plus(drawn.get(drawn.size() - 1)))
                    .isAfterOrEqualTo(deadline);
        }
    }

    @Test
    void timeWaitingForAPermitCountsAgainstTheDeadline() throws Exception {
        VirtualTime time = new VirtualTime();
        CountDownLatch release = new CountDownLatch(1);
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(release));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .scheduler(time)
                        .build()) {
            CompletableFuture<ChatResponse> holder = client.chatAsync(Replies.asking("permit-holder"));
            stub.awaitArrivals(1);
            CompletableFuture<ChatResponse> queued = client.chatAsync(Replies.asking("never-sent").toBuilder()
                    .timeout(Duration.ofMillis(400))
                    .build());
            assertThat(client.stats().waitingForPermit()).isEqualTo(1);

            time.advance(Duration.ofMillis(399));
            assertThat(queued).as("a millisecond before its deadline").isNotDone();
            time.advance(Duration.ofMillis(1));

            LlmException e = failure(queued);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attemptCount()).isZero();
            assertThat(e.getMessage()).contains("while waiting for one of 1 concurrency permits");
            assertThat(client.stats().waitingForPermit()).isZero();
            release.countDown();
            assertThat(holder.get(5, TimeUnit.SECONDS).content()).isEqualTo("echo permit-holder");
            assertThat(stub.arrivals()).containsExactly("permit-holder");
        }
    }

    @Test
    void theDeadlineComesFromTheEnvironmentAndARequestOverridesIt() throws Exception {
        VirtualTime time = new VirtualTime();
        CountDownLatch release = new CountDownLatch(1);
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(release));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .applySettings(
                                Settings.of(Map.of("LLM_TIMEOUT_SECONDS", "0.3", "LITELLM_DEFAULT_TIMEOUT", "100")))
                        .scheduler(time)
                        .build()) {
            CompletableFuture<ChatResponse> fromEnvironment = client.chatAsync(request());
            CompletableFuture<ChatResponse> overridden = client.chatAsync(request(Duration.ofSeconds(5)));
            assertThat(time.requested())
                    .as("the deadlines armed")
                    .containsExactly(Duration.ofMillis(300), Duration.ofSeconds(5));

            time.advance(Duration.ofMillis(300));

            LlmException e = failure(fromEnvironment);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage()).contains("deadline of 0.3 s");
            assertThat(overridden).isNotDone();
            release.countDown();
            assertThat(overridden.get(5, TimeUnit.SECONDS).content()).isEqualTo("echo Score this answer.");
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
            CompletableFuture<Void> requestRead = new CompletableFuture<>();
            CompletableFuture<Long> closedByClient =
                    CompletableFuture.supplyAsync(() -> acceptAndWaitForClose(server, requestRead));
            CompletableFuture<ChatResponse> call = client.chatAsync(request());
            requestRead.get(10, TimeUnit.SECONDS);

            call.cancel(true);
            long cancelledAt = System.nanoTime();

            assertThat(Duration.ofNanos(closedByClient.get(5, TimeUnit.SECONDS) - cancelledAt))
                    .isLessThan(Duration.ofMillis(500));
            assertThat(client.stats().failuresByCategory()).containsEntry(ErrorCategory.CANCELLED, 1L);
            assertThat(client.stats().inFlight()).isZero();
        }
    }

    @Test
    void aClientBuiltNormallyEndsTheCallOnTheRealClock() throws Exception {
        ChatClient silent = new ChatClient() {
            @Override
            public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
                return new CompletableFuture<>(); // never answers
            }

            @Override
            public String backend() {
                return "silent";
            }

            @Override
            public void close() {}
        };
        try (ResilientChatClient client = ResilientChatClient.builder(silent).build()) {
            long start = System.nanoTime();

            LlmException e = failure(client.chatAsync(request(Duration.ofMillis(50))));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.attempts()).singleElement().satisfies(a -> {
                assertThat(a.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(Duration.between(a.start(), Instant.now())).isLessThan(Duration.ofMinutes(1));
            });
        }
    }
}
