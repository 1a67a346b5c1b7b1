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
 *
 * <p>Granting a permit starts the waiting call on the granting thread, and that call may finish
 * (and release, and start the next one) before the grant returns. So granting is a loop guarded
 * per queue and per thread: a grant or release that re-enters on the same thread only asks the
 * running loop to go round again, and the stack stays flat however long the queue.
 */
final class PermitQueue {

    /** Why a call was refused a place in the queue; never reaches a caller (the call unwraps {@link #error}). */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient LlmException error;

        Rejected(LlmException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /** A queued call; {@code counted} (guarded by the queue) says it is still in {@link #liveWaiters}. */
    private static final class Waiter extends CompletableFuture<Void> {
        boolean counted = true;
    }

    private final Bulkhead bulkhead;
    private final int maxWaiting;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Per queue, so one client's grant loop never swallows another client's release. */
    private final ThreadLocal<Drain> drainState = ThreadLocal.withInitial(Drain::new);
    /** Waiters still wanting a permit; abandoned ones stay in the deque until dequeued. */
    private int liveWaiters;

    PermitQueue(String name, int maxConcurrentCalls, int maxWaiting) {
        this.bulkhead = Bulkhead.of(
                name,
                BulkheadConfig.custom()
                        .maxConcurrentCalls(maxConcurrentCalls)
                        .maxWaitDuration(Duration.ZERO)
                        .writableStackTraceEnabled(false)
                        .build());
        this.maxWaiting = maxWaiting;
    }

    /**
     * Returns a future completed when the caller holds a permit: at once when one is free and
     * nobody is waiting, else when its turn comes. The future fails at once with {@link Rejected}
     * when the queue is full. A caller that no longer wants the permit completes or cancels the
     * future; if the permit was already granted it must {@link #release()} it.
     */
    // whenComplete is a listener here: it only drops an abandoned waiter; the caller holds the waiter itself.
    @SuppressWarnings("FutureReturnValueIgnored")
    CompletableFuture<Void> acquire() {
        Waiter waiter = new Waiter();
        synchronized (this) {
            dropAbandonedHead();
            if (waiters.isEmpty() && bulkhead.tryAcquirePermission()) {
                return CompletableFuture.completedFuture(null);
            }
            if (liveWaiters >= maxWaiting) {
                return CompletableFuture.failedFuture(new Rejected(queueFull()));
            }
            waiters.addLast(waiter);
            liveWaiters++;
        }
        waiter.whenComplete((ok, failure) -> {
            if (failure != null) {
                abandoned(waiter);
            }
        });
        // Normally a releasing thread grants it; this covers a permit freed while we enqueued.
        drain();
        return waiter;
    }

    /** Returns a permit and starts as many waiting calls as there are free permits. */
    void release() {
        bulkhead.onComplete();
        drain();
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
        Waiter[] all;
        synchronized (this) {
            all = waiters.toArray(new Waiter[0]);
            waiters.clear();
        }
        for (Waiter w : all) {
            w.completeExceptionally(failure);
        }
    }

    private void drain() {
        Drain drain = drainState.get();
        if (drain.active) {
            drain.again = true; // the loop running lower on this thread's stack picks it up
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

    private void grantWaiting() {
        while (true) {
            Waiter next;
            synchronized (this) {
                dropAbandonedHead();
                if (waiters.isEmpty() || !bulkhead.tryAcquirePermission()) {
                    return;
                }
                next = waiters.pollFirst();
                if (next.counted) {
                    next.counted = false;
                    liveWaiters--;
                }
            }
            // Completed outside the lock: the waiter's attempt starts on this thread.
            if (!next.complete(null)) {
                bulkhead.onComplete(); // abandoned just now: hand the permit on
            }
        }
    }

    private void dropAbandonedHead() {
        while (!waiters.isEmpty() && waiters.peekFirst().isDone()) {
            waiters.pollFirst(); // abandoned: abandoned() already took it off the count
        }
    }

    private synchronized void abandoned(Waiter waiter) {
        if (waiter.counted) {
            waiter.counted = false;
            liveWaiters--;
        }
    }

    private LlmException queueFull() {
        return LlmException.builder(
                        ErrorCategory.RATE_LIMITED,
                        "bulkhead queue full: " + maxWaiting
                                + " calls are already waiting for one of " + size()
                                + " concurrency permits; slow down the caller,"
                                + " or raise LLM_MAX_WAITING_CALLS or the backend's *_MAX_CONCURRENT_CALLS")
                .retryable(false)
                .build();
    }

    private static final class Drain {
        boolean active;
        boolean again;
    }
}
