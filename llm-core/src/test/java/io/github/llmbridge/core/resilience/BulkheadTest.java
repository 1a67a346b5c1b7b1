package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.resilience.Replies.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.Settings;
import io.github.llmbridge.core.resilience.CountingStubServer.Reply;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.ok(40));
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
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.ok(5));
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
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(stub.arrivals()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void waitingCallsDoNotAddThreads() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.ok(20));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(4)
                        .build()) {
            // Warm up at full concurrency so the transport's pool and the JDK client's workers exist.
            List<CompletableFuture<ChatResponse>> warmUp = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                warmUp.add(client.chatAsync(call("warm-up")));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            int before = threads.getThreadCount();
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.chatAsync(call("call-" + i)));
            }
            int peak = threads.getThreadCount();
            for (int i = 0; i < 20 && !calls.get(999).isDone(); i++) {
                Thread.sleep(50);
                peak = Math.max(peak, threads.getThreadCount());
            }
            assertThat(client.stats().waitingForPermit())
                    .as("most calls still queued while sampling")
                    .isGreaterThan(500);
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            System.out.printf("bulkhead 4, 1000 queued calls: live threads %d before, %d at peak%n", before, peak);
            assertThat(peak - before)
                    .as("threads added while 1000 calls waited")
                    .isLessThanOrEqualTo(4);
        }
    }

    @Test
    void thePermitIsFreeDuringABackoffWait() throws Exception {
        AtomicInteger firstCallAttempts = new AtomicInteger();
        try (CountingStubServer stub =
                        new CountingStubServer(user -> user.equals("first") && firstCallAttempts.incrementAndGet() == 1
                                ? new Reply(503, 0, "1")
                                : Reply.ok(0));
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 4);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxConcurrentCalls(1)
                        .build()) {
            CompletableFuture<ChatResponse> first = client.chatAsync(call("first"));
            while (stub.arrivals().isEmpty() || client.stats().retries() == 0) {
                Thread.sleep(5); // until the first call failed and is waiting out its Retry-After
            }
            assertThat(client.stats().inFlight()).isZero();

            ChatResponse second = client.chatAsync(call("second")).get(5, TimeUnit.SECONDS);

            assertThat(second.content()).isEqualTo("echo second");
            assertThat(first).isNotDone();
            assertThat(first.get(5, TimeUnit.SECONDS).attempts()).hasSize(2);
            assertThat(stub.arrivals()).containsExactly("first", "second", "first");
        }
    }

    @Test
    void aFullQueueFailsAtOnceWithAClearError() throws Exception {
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.ok(300));
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
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(stub.arrivals()).containsExactly("a", "b", "c");
        }
    }

    @Test
    // the first call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void closingFailsQueuedCallsAsCancelled() throws Exception {
        try (CountingStubServer stub = new CountingStubServer(user -> Reply.ok(500));
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
        assertThat(ResilientChatClient.defaultConcurrency("openrouter")).isEqualTo(10);
        assertThat(ResilientChatClient.defaultConcurrency("litellm")).isEqualTo(256);
    }
}
