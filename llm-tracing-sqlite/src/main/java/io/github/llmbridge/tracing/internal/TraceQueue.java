package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.FullQueuePolicy;
import io.github.llmbridge.tracing.TraceStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between callers and the writer thread. Under {@link FullQueuePolicy#BLOCK} a
 * trace that finds the queue full is not refused and no thread is parked: it waits in a second,
 * FIFO line beside the queue, with a future that completes when the writer has made room and
 * moved it into the queue. That line holds at most one trace per call in flight, so memory stays
 * bounded by the caller's own concurrency.
 *
 * <p>Everything is guarded by one lock. Producers hold it for an {@code addLast}; the writer holds
 * it once per batch. The writer is signalled only when it sleeps on an empty queue or a batch it
 * is collecting has filled up, so a busy writer costs producers no wake-up calls.
 */
public final class TraceQueue {

    /** Returned when the trace is in the queue. */
    public static final CompletionStage<Void> ACCEPTED = CompletableFuture.completedStage(null);
    /** Returned when the trace was dropped: queue full under {@code DROP}, or the store closed. */
    public static final CompletionStage<Void> DROPPED = CompletableFuture.completedStage(null);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<CallTrace> items = new ArrayDeque<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final int capacity;
    private final FullQueuePolicy policy;

    // all guarded by lock
    private long accepted;
    private boolean closed;
    private boolean writerIdle;
    private int wakeAtSize = Integer.MAX_VALUE;
    private int hurries;

    public TraceQueue(int capacity, FullQueuePolicy policy) {
        this.capacity = capacity;
        this.policy = policy;
    }

    /** Queues a trace; see {@link TraceStore#enqueue}. Returns {@link #ACCEPTED}, {@link #DROPPED} or a pending stage. */
    public CompletionStage<Void> offer(CallTrace trace) {
        lock.lock();
        try {
            if (closed) {
                return DROPPED;
            }
            if (waiting.isEmpty() && items.size() < capacity) {
                items.addLast(trace);
                accepted++;
                if (writerIdle || items.size() >= wakeAtSize) {
                    arrived.signal();
                }
                return ACCEPTED;
            }
            if (policy == FullQueuePolicy.DROP) {
                return DROPPED;
            }
            Waiting w = new Waiting(trace, new CompletableFuture<>());
            waiting.addLast(w);
            accepted++;
            if (waiting.size() == 1 && wakeAtSize != Integer.MAX_VALUE) {
                arrived.signal(); // the writer is collecting a batch: take it now, this caller waits for room
            }
            return w.admitted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for traces, then moves up to {@code max} of them into {@code batch}. When fewer than
     * {@code max} (or the capacity, if smaller) are queued it waits up to {@code delayNanos} for
     * more, unless someone is flushing, callers are waiting beside the full queue, or the queue is
     * closing. Traces waiting beside a full queue are admitted as room
     * frees up, and their futures completed on another thread (never the writer's).
     *
     * @return {@code false} when the queue is closed and empty: the writer should stop
     */
    public boolean takeBatch(List<CallTrace> batch, int max, long delayNanos) throws InterruptedException {
        List<CompletableFuture<Void>> admitted;
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (closed) {
                    return false;
                }
                writerIdle = true;
                try {
                    arrived.await();
                } finally {
                    writerIdle = false;
                }
            }
            // A queue smaller than the batch can never hold a full batch, and callers waiting beside
            // a full queue wait for this batch to be taken: neither is worth the batch delay.
            int full = Math.min(max, capacity);
            if (delayNanos > 0 && items.size() < full && !closed && hurries == 0 && waiting.isEmpty()) {
                wakeAtSize = full;
                try {
                    long remaining = delayNanos;
                    while (remaining > 0 && items.size() < full && !closed && hurries == 0 && waiting.isEmpty()) {
                        remaining = arrived.awaitNanos(remaining);
                    }
                } finally {
                    wakeAtSize = Integer.MAX_VALUE;
                }
            }
            for (int i = Math.min(max, items.size()); i > 0; i--) {
                batch.add(items.pollFirst());
            }
            admitted = admitWaiting();
        } finally {
            lock.unlock();
        }
        release(admitted);
        return true;
    }

    private List<CompletableFuture<Void>> admitWaiting() {
        if (waiting.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Void>> admitted = new ArrayList<>();
        while (!waiting.isEmpty() && items.size() < capacity) {
            Waiting w = waiting.pollFirst();
            items.addLast(w.trace);
            admitted.add(w.admitted);
        }
        return admitted;
    }

    /** Returns how many traces were accepted so far (queued or waiting beside the queue). */
    public long acceptedCount() {
        lock.lock();
        try {
            return accepted;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many traces are queued or waiting, not yet taken by the writer. */
    public int pending() {
        lock.lock();
        try {
            return items.size() + waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the writer to commit what it has without waiting for a full batch, until {@link #endHurry()}. */
    public void beginHurry() {
        lock.lock();
        try {
            hurries++;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a {@link #beginHurry()}. */
    public void endHurry() {
        lock.lock();
        try {
            hurries--;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new traces from now on; the writer drains what is queued and then stops. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns everything still queued or waiting (the writer gave up); their futures
     * complete so no caller waits forever.
     */
    public List<CallTrace> abandonAll() {
        List<CallTrace> left;
        List<CompletableFuture<Void>> released = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(items);
            items.clear();
            for (Waiting w : waiting) {
                left.add(w.trace);
                released.add(w.admitted);
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
        release(released);
        return left;
    }

    /**
     * Completes the futures of admitted traces, each in its own task on the library's completion
     * pool, never on the writer thread (the callers' stages run on the completing thread).
     *
     * <p>One task each, because a caller's continuation may block: on one thread, a continuation
     * of the first that joins the second ({@code a.thenApply(r -> b.join())}) would deadlock, and
     * a slow one would hold back every caller admitted after it. The completion pool suits this
     * because it is unbounded but caching: a bounded pool would deadlock the same way once all
     * its threads were blocked in such continuations, while this one reuses idle threads and only
     * starts one when every thread is busy running a continuation, so its size follows the
     * callers' own concurrency (bounded, as the waiting line is, by the calls in flight).
     */
    private static void release(List<CompletableFuture<Void>> admitted) {
        for (CompletableFuture<Void> f : admitted) {
            SharedScheduler.completions().execute(() -> f.complete(null));
        }
    }

    private record Waiting(CallTrace trace, CompletableFuture<Void> admitted) {}
}
