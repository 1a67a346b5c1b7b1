package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.resilience.Replies.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.CountingStubServer.Reply;
import io.github.llmbridge.core.settings.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bulkhead caps attempts in flight; waiting calls queue as futures, in order, holding no thread. */
class BulkheadTest {

    private static ChatRequest call(String name) {
        return ChatRequest.builder().model(Replies.MODEL).user(name).build();
    }

    @Test
    void fiftyConcurrentCallsNeverExceedThreeInFlightAndAllComplete() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(release));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 50);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(3)
                        .build()) {
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(client.chatAsync(call("call-" + i)));
            }
            // The caller submitted all 50 without waiting: 3 run, the rest are queued futures.
            ResilienceStats queued = client.stats();
            assertThat(queued.inFlight()).isEqualTo(3);
            assertThat(queued.waitingForPermit()).isEqualTo(47);
            stub.awaitArrivals(3); // the server holds three replies: the bulkhead is full
            release.countDown();

            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            for (int i = 0; i < 50; i++) {
                assertThat(calls.get(i).join().content()).isEqualTo("echo call-" + i);
            }
            assertThat(stub.maxInFlight()).isEqualTo(3);
            assertThat(stub.arrivals()).hasSize(50);
            ResilienceStats after = client.stats();
            assertThat(after.successes()).isEqualTo(50);
            assertThat(after.inFlight()).isZero();
            assertThat(after.waitingForPermit()).isZero();
        }
    }

    @Test
    void waitingCallsStartInArrivalOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(release));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .build()) {
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(client.chatAsync(call("call-" + i)));
                expected.add("call-" + i);
            }
            assertThat(client.stats().waitingForPermit())
                    .as("all but the first queue while its reply is held")
                    .isEqualTo(29);
            release.countDown();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(stub.arrivals()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void waitingCallsDoNotAddThreads() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch warmUpRelease = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The live thread count is sampled as each request arrives, so once per call while they flow.
        try (CountingStubServer stub = new CountingStubServer(user -> {
                    peak.accumulateAndGet(threads.getThreadCount(), Math::max);
                    return Reply.okAfter(user.equals("warm-up") ? warmUpRelease : release);
                });
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(4)
                        .build()) {
            // Warm up at full concurrency so the transport's pool and the JDK client's workers exist.
            List<CompletableFuture<ChatResponse>> warmUp = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                warmUp.add(client.chatAsync(call("warm-up")));
            }
            stub.awaitArrivals(4);
            warmUpRelease.countDown();
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            int before = threads.getThreadCount();
            peak.set(before);
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.chatAsync(call("call-" + i)));
            }
            peak.accumulateAndGet(threads.getThreadCount(), Math::max);
            stub.awaitArrivals(16 + 4); // four calls in flight, their replies held
            peak.accumulateAndGet(threads.getThreadCount(), Math::max);
            assertThat(client.stats().waitingForPermit())
                    .as("calls queued while the first four are held")
                    .isEqualTo(996);
            release.countDown();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            System.out.printf(
                    "bulkhead 4, 1000 queued calls: live threads %d before, %d at peak%n", before, peak.get());
            assertThat(stub.arrivals()).hasSize(16 + 1000);
            assertThat(peak.get() - before)
                    .as("threads added while 1000 calls waited")
                    .isLessThanOrEqualTo(4);
        }
    }

    @Test
    void thePermitIsFreeDuringABackoffWait() throws Exception {
        AtomicInteger firstCallAttempts = new AtomicInteger();
        VirtualTime time = new VirtualTime();
        try (CountingStubServer stub =
                        new CountingStubServer(user -> user.equals("first") && firstCallAttempts.incrementAndGet() == 1
                                ? Reply.status(503, "1")
                                : Reply.ok());
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .scheduler(time)
                        .build()) {
            CompletableFuture<ChatResponse> first = client.chatAsync(call("first"));
            // Timer 1 is the call's deadline, timer 2 the wait the first attempt's 503 asked for.
            assertThat(time.awaitRequested(2)).isEqualTo(Duration.ofSeconds(1));
            assertThat(client.stats().inFlight()).isZero();

            ChatResponse second = client.chatAsync(call("second")).get(5, TimeUnit.SECONDS);

            assertThat(second.content()).isEqualTo("echo second");
            assertThat(first).isNotDone();
            time.advance(Duration.ofSeconds(1));
            assertThat(first.get(5, TimeUnit.SECONDS).attempts()).hasSize(2);
            assertThat(stub.arrivals()).containsExactly("first", "second", "first");
        }
    }

    @Test
    void aFullQueueFailsAtOnceWithAClearError() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(release));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .maxWaitingCalls(2)
                        .build()) {
            List<CompletableFuture<ChatResponse>> accepted =
                    List.of(client.chatAsync(call("a")), client.chatAsync(call("b")), client.chatAsync(call("c")));

            CompletableFuture<ChatResponse> rejected = client.chatAsync(call("d"));

            assertThat(rejected).isCompletedExceptionally();
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(call("e")));
            assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.attemptCount()).isZero();
            assertThat(e.getMessage())
                    .contains("bulkhead queue full: 2 calls are already waiting for one of 1", "LLM_MAX_WAITING_CALLS");
            release.countDown();
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(stub.arrivals()).containsExactly("a", "b", "c");
        }
    }

    @Test
    // the first call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void closingFailsQueuedCallsAsCancelled() throws Exception {
        CountDownLatch never = new CountDownLatch(1); // the running call's reply is held until the stub closes
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.okAfter(never));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4)) {
            ResilientChatClient client =
                    ResilientChatClient.builder(backend).maxConcurrentCalls(1).build();
            client.chatAsync(call("running"));
            CompletableFuture<ChatResponse> queued = client.chatAsync(call("queued"));

            client.close();

            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));
            assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED);
            assertThat(queued).isCompletedExceptionally();
            assertThat(LlmException.from(queued.handle((r, t) -> t).get()).category())
                    .isEqualTo(ErrorCategory.CANCELLED);
        }
    }

    @Test
    void theBulkheadIsSizedByTheBackendsConcurrencyVariable() {
        try (HttpTestBackend backend = new HttpTestBackend("http://127.0.0.1:1", 4);
                ResilientChatClient client =
                        ResilientChatClient.wrap(backend, Settings.of(Map.of("TEST_MAX_CONCURRENT_CALLS", "7")))) {
            assertThat(client.toString()).contains("bulkhead=7");
        }
        assertThat(ResilientChatClient.concurrencyVariable("openrouter")).isEqualTo("OPENROUTER_MAX_CONCURRENT_CALLS");
        assertThat(ResilientChatClient.concurrencyVariable("litellm")).isEqualTo("LITELLM_MAX_CONCURRENT_CALLS");
        // The backends' own defaults (OpenRouter 10, LiteLLM 256) are asserted in their modules.
        try (HttpTestBackend backend = new HttpTestBackend("http://127.0.0.1:1", 4)) {
            assertThat(ResilientChatClient.defaultConcurrency(backend)).isEqualTo(10);
        }
    }

    @Test
    void theBulkheadDefaultsToWhatTheBackendSuggestsAndTheVariableStillWins() {
        try (SuggestingBackend backend = new SuggestingBackend(37)) {
            assertThat(ResilientChatClient.defaultConcurrency(backend)).isEqualTo(37);
            try (ResilientChatClient client =
                    ResilientChatClient.builder(backend).build()) {
                assertThat(client.toString()).contains("bulkhead=37");
            }
            try (ResilientChatClient client =
                    ResilientChatClient.wrap(backend, Settings.of(Map.of("SUGGESTING_MAX_CONCURRENT_CALLS", "7")))) {
                assertThat(client.toString()).contains("bulkhead=7");
            }
            try (ResilientChatClient client =
                    ResilientChatClient.builder(backend).maxConcurrentCalls(3).build()) {
                assertThat(client.toString()).contains("bulkhead=3");
            }
        }
    }

    /** A backend that suggests a bulkhead size, as backends do through unwrap. */
    private static final class SuggestingBackend implements ChatClient {
        private final int size;

        SuggestingBackend(int size) {
            this.size = size;
        }

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return CompletableFuture.completedFuture(
                    ChatResponse.builder().content("ok").build());
        }

        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return type == BackendDefaults.class
                    ? Optional.of(type.cast(new BackendDefaults(size)))
                    : ChatClient.super.unwrap(type);
        }

        @Override
        public String backend() {
            return "suggesting";
        }

        @Override
        public void close() {}
    }
}
