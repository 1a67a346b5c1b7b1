package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Random outcomes, random threads, random cancellation and deadlines: every future completes,
 * every permit comes back, no attempt outlives its call, the history is consistent, and no
 * caller continuation runs on the shared timer thread.
 */
class ResilienceStressTest {

    static final int BULKHEAD = 4;

    static final class Chaos implements ChatClient {
        final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "chaos-timer");
            t.setDaemon(true);
            return t;
        });
        final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "chaos-worker");
            t.setDaemon(true);
            return t;
        });
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<CompletableFuture<ChatResponse>, Boolean> open = new ConcurrentHashMap<>();
        final LongAdder sent = new LongAdder();

        @Override
        // the timer tasks complete f, which the caller holds; nothing waits on the tasks.
        @SuppressWarnings("FutureReturnValueIgnored")
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest r) {
            sent.increment();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            CompletableFuture<ChatResponse> f = new Counted(this);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int p = rnd.nextInt(100);
            if (p < 8) {
                f.complete(ok(r));
            } else if (p < 16) {
                f.completeExceptionally(err(ErrorCategory.SERVER_ERROR, 503));
            } else if (p < 20) {
                f.completeExceptionally(err(ErrorCategory.MODEL_NOT_FOUND, 404));
            } else if (p < 20 + 2) {
                // never answers: only cancellation ends it
            } else {
                int kind = rnd.nextInt(10);
                Runnable done = () -> {
                    if (kind < 6) f.complete(ok(r));
                    else if (kind < 8) f.completeExceptionally(err(ErrorCategory.SERVER_ERROR, 503));
                    else if (kind < 9)
                        f.completeExceptionally(LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                                .httpStatus(429)
                                .retryAfter(Duration.ofMillis(rnd.nextInt(5)))
                                .build());
                    else f.completeExceptionally(err(ErrorCategory.MODEL_NOT_FOUND, 404));
                };
                long delay = rnd.nextLong(3000);
                if (rnd.nextBoolean()) {
                    timers.schedule(() -> workers.execute(done), delay, TimeUnit.MICROSECONDS);
                } else {
                    timers.schedule(done, delay, TimeUnit.MICROSECONDS);
                }
            }
            return f;
        }

        static ChatResponse ok(ChatRequest r) {
            return ChatResponse.builder().model(r.model()).content("ok").build();
        }

        static LlmException err(ErrorCategory c, int status) {
            return LlmException.builder(c, "boom " + status).httpStatus(status).build();
        }

        @Override
        public String backend() {
            return "chaos";
        }

        @Override
        public void close() {}
    }

    /** Counts itself out before any dependent runs, so the next grant is not counted early. */
    static final class Counted extends CompletableFuture<ChatResponse> {
        final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        final Chaos chaos;

        Counted(Chaos chaos) {
            this.chaos = chaos;
        }

        private void end() {
            if (ended.compareAndSet(false, true)) chaos.inFlight.decrementAndGet();
        }

        @Override
        public boolean complete(ChatResponse v) {
            end();
            return super.complete(v);
        }

        @Override
        public boolean completeExceptionally(Throwable t) {
            end();
            return super.completeExceptionally(t);
        }

        @Override
        public boolean cancel(boolean b) {
            end();
            return super.cancel(b);
        }
    }

    /** Waits at most {@code seconds} for every future to complete, however it completes; returns either way. */
    private static void awaitAll(List<CompletableFuture<ChatResponse>> futures, int seconds) throws Exception {
        try {
            CompletableFuture.allOf(
                            futures.stream().map(f -> f.handle((r, t) -> null)).toArray(CompletableFuture[]::new))
                    .get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException reportedByTheAssertions) {
            // the caller counts what is not done and fails with the numbers
        }
    }

    /**
     * Waits at most 5 s for the counters to settle; returns either way, and the assertions say
     * what did not. A permit can come back just after its call's future completed (a permit
     * granted as the deadline fired is handed back on the granting thread), and the counters
     * publish no event: there is nothing to latch onto, so this looks again every millisecond.
     */
    private static void awaitSettled(BooleanSupplier settled) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!settled.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1); // between looks at plain counters (see above), not a guess at a duration
        }
    }

    @Test
    // the listener only counts into the adders asserted below, and the cancel task needs no handle.
    @SuppressWarnings("FutureReturnValueIgnored")
    void permitsAllComeBack() throws Exception {
        int calls = Integer.getInteger("stress.calls", 8000);
        Chaos chaos = new Chaos();
        ResilientChatClient client = ResilientChatClient.builder(chaos)
                .maxConcurrentCalls(BULKHEAD)
                .maxAttempts(3)
                .maxWaitingCalls(2000)
                .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(4)))
                .fallbackModels(List.of("b/fallback"))
                .build();
        ScheduledExecutorService cancels = Executors.newScheduledThreadPool(2);
        List<CompletableFuture<ChatResponse>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, LongAdder> continuationThreads = new ConcurrentHashMap<>();
        LongAdder historyProblems = new LongAdder();
        ExecutorService submitters = Executors.newFixedThreadPool(8);
        for (int s = 0; s < 8; s++) {
            submitters.execute(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < calls / 8; i++) {
                    ChatRequest req = ChatRequest.builder()
                            .model("a/m")
                            .user("q")
                            .timeout(Duration.ofMillis(20 + rnd.nextInt(300)))
                            .build();
                    CompletableFuture<ChatResponse> f = client.chatAsync(req);
                    futures.add(f);
                    f.whenComplete((r, t) -> {
                        String name = Thread.currentThread().getName().replaceAll("-?\\d+$", "");
                        continuationThreads
                                .computeIfAbsent(name, k -> new LongAdder())
                                .increment();
                        if (r != null) {
                            List<Attempt> a = r.attempts();
                            if (a.isEmpty() || !a.get(a.size() - 1).succeeded()) historyProblems.increment();
                        } else if (!(t instanceof java.util.concurrent.CancellationException)) {
                            LlmException e = LlmException.from(t);
                            if (e.attemptCount() != e.attempts().size()) historyProblems.increment();
                        }
                    });
                    int c = rnd.nextInt(10);
                    if (c < 2) {
                        cancels.schedule(() -> f.cancel(true), rnd.nextInt(20), TimeUnit.MILLISECONDS);
                    } else if (c < 3) {
                        f.orTimeout(rnd.nextInt(1, 30), TimeUnit.MILLISECONDS);
                    }
                    if (rnd.nextInt(50) == 0) {
                        try {
                            // Not a wait for anything: a gap in the stream of submissions, so that
                            // real deadlines, cancellations and replies land between them. No latch
                            // or virtual clock stands in for it; those would order the very races
                            // this test is for.
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
        }
        submitters.shutdown();
        assertThat(submitters.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<ChatResponse>> snapshot;
        synchronized (futures) {
            snapshot = new ArrayList<>(futures);
        }
        awaitAll(snapshot, 60);
        long notDone = snapshot.stream().filter(f -> !f.isDone()).count();
        awaitSettled(() ->
                client.stats().inFlight() == 0 && client.stats().waitingForPermit() == 0 && chaos.inFlight.get() == 0);
        ResilienceStats stats = client.stats();
        System.out.printf(
                "resilience stress: calls=%d notDone=%d sent=%d maxInFlight=%d chaosOpen=%d historyProblems=%d%n  stats=%s%n  continuation threads=%s%n",
                snapshot.size(),
                notDone,
                chaos.sent.sum(),
                chaos.maxInFlight.get(),
                chaos.inFlight.get(),
                historyProblems.sum(),
                stats,
                continuationThreads);
        assertThat(notDone).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.waitingForPermit()).isZero();
        assertThat(chaos.maxInFlight.get()).isLessThanOrEqualTo(BULKHEAD);
        assertThat(chaos.inFlight.get()).as("exchanges never cancelled").isZero();
        assertThat(historyProblems.sum()).isZero();
        assertThat(continuationThreads.keySet()).noneMatch(n -> n.contains("timer") && n.startsWith("llm-bridge"));
    }

    @Test
    void closeWithWaitersAndRetriesInFlight() throws Exception {
        for (int round = 0; round < 10; round++) {
            Chaos chaos = new Chaos();
            ResilientChatClient client = ResilientChatClient.builder(chaos)
                    .maxConcurrentCalls(BULKHEAD)
                    .maxAttempts(3)
                    .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(4)))
                    // Ends the calls whose attempt never answers; a round lasts as long as its slowest call.
                    .deadline(Duration.ofMillis(250))
                    .build();
            List<CompletableFuture<ChatResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 500; i++)
                fs.add(client.chatAsync(
                        ChatRequest.builder().model("a/m").user("q").build()));
            // Not a wait for anything: close() lands 0 to 2 ms into the real retry timers' flow,
            // a different point each round. Virtual time would stop the very races this is for.
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            client.close();
            awaitAll(fs, 10);
            awaitSettled(() -> client.stats().inFlight() == 0 && client.stats().waitingForPermit() == 0);
            ResilienceStats s = client.stats();
            assertThat(fs).allMatch(CompletableFuture::isDone);
            assertThat(s.inFlight()).as("round %d %s", round, s).isZero();
            assertThat(s.waitingForPermit()).as("round %d %s", round, s).isZero();
        }
    }
}
