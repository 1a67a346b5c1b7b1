package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out the permits of a Resilience4j {@code SemaphoreBulkhead} in arrival order without
 * parking a thread per waiting call: a call that finds no permit free gets a future that the
 * thread releasing a permit completes. The bulkhead itself never waits ({@code maxWaitDuration}
 * 0); this queue is the waiting room, bounded so a runaway producer fails fast instead of
 * filling the heap.
 */
final class PermitQueue {

    /** Per-thread guard so a permit released while granting permits does not recurse. */
    private static final ThreadLocal<Drain> DRAIN = ThreadLocal.withInitial(Drain::new);

    private final Bulkhead bulkhead;
    private final int maxWaiting;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    /** Waiters still wanting a permit; abandoned ones stay in the deque until dequeued. */
    private int liveWaiters;

    PermitQueue(String name, int maxConcurrentCalls, int maxWaiting) {
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(maxConcurrentCalls)
                .maxWaitDuration(Duration.ZERO).writableStackTraceEnabled(false).build());
        this.maxWaiting = maxWaiting;
    }

    /**
     * Returns a future completed when the caller holds a permit: at once when one is free and
     * nobody is waiting, else when its turn comes. The future fails at once when the queue is
     * full. A caller that no longer wants the permit completes or cancels the future; if the
     * permit was already granted it must {@link #release()} it.
     */
    CompletableFuture<Void> acquire() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        synchronized (this) {
            dropAbandonedHead();
            if (waiters.isEmpty() && bulkhead.tryAcquirePermission()) {
                return CompletableFuture.completedFuture(null);
            }
            if (liveWaiters >= maxWaiting) {
                return CompletableFuture.failedFuture(queueFull());
            }
            waiters.addLast(waiter);
            liveWaiters++;
        }
        waiter.whenComplete((ok, failure) -> {
            if (failure != null) {
                abandoned();
            }
        });
        // Normally a releasing thread grants it; this covers a permit freed while we enqueued.
        grantWaiting();
        return waiter;
    }

    /** Returns a permit and starts as many waiting calls as there are free permits. */
    void release() {
        bulkhead.onComplete();
        Drain drain = DRAIN.get();
        if (drain.active) {
            drain.again = true; // the outer loop on this thread picks the permit up
            return;
        }
        drain.active = true;
        try {
            do {
                drain.again = false;
                grantWaiting();
            } while (drain.again);
        } finally {
            drain.active = false;
        }
    }

    /** Returns how many calls are waiting for a permit. */
    synchronized int waiting() {
        return liveWaiters;
    }

    /** Returns how many permits are taken. */
    int inUse() {
        Bulkhead.Metrics m = bulkhead.getMetrics();
        return m.getMaxAllowedConcurrentCalls() - m.getAvailableConcurrentCalls();
    }

    /** Returns the number of permits. */
    int size() {
        return bulkhead.getMetrics().getMaxAllowedConcurrentCalls();
    }

    /** Fails every waiting call, e.g. when the client closes. */
    void failWaiting(LlmException failure) {
        CompletableFuture<Void>[] all;
        synchronized (this) {
            @SuppressWarnings("unchecked")
            CompletableFuture<Void>[] copy = waiters.toArray(new CompletableFuture[0]);
            all = copy;
            waiters.clear();
        }
        for (CompletableFuture<Void> w : all) {
            w.completeExceptionally(failure);
        }
    }

    private void grantWaiting() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                dropAbandonedHead();
                if (waiters.isEmpty() || !bulkhead.tryAcquirePermission()) {
                    return;
                }
                next = waiters.pollFirst();
            }
            // Completed outside the lock: the waiter's attempt starts on this thread.
            if (next.complete(null)) {
                granted();
            } else {
                bulkhead.onComplete(); // abandoned just now (and counted off by abandoned()): hand the permit on
            }
        }
    }

    private void dropAbandonedHead() {
        while (!waiters.isEmpty() && waiters.peekFirst().isDone()) {
            waiters.pollFirst(); // abandoned: abandoned() already took it off the count
        }
    }

    private synchronized void granted() {
        liveWaiters--;
    }

    private synchronized void abandoned() {
        // A waiter failed or was cancelled before it was granted (granted ones complete normally).
        liveWaiters--;
    }

    private LlmException queueFull() {
        return LlmException.builder(ErrorCategory.RATE_LIMITED, "bulkhead queue full: " + maxWaiting
                + " calls are already waiting for one of " + size() + " concurrency permits; slow down the caller,"
                + " or raise LLM_MAX_WAITING_CALLS or the backend's *_MAX_CONCURRENT_CALLS")
                .retryable(false).build();
    }

    private static final class Drain {
        boolean active;
        boolean again;
    }
}
