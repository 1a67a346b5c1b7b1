package io.github.llmbridge.core.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for a {@link ResilientChatClient}: it records every timer the client asks for (a
 * call's deadline, each wait before a retry) and runs one only when the test moves the time past
 * it, on the test's own thread. The clock stands still otherwise, also while an HTTP attempt is
 * in flight, so an attempt takes no time and "the retry started exactly 2 s after the first
 * attempt ended" holds exactly.
 *
 * <p>The calls themselves run on real threads (the transport, the stub server): the waits for
 * them here ({@link #awaitRequested}, {@link #runThroughWaits}) are bounded by real time, so a
 * broken client fails the test within {@link #REAL_LIMIT} instead of hanging it.
 */
final class VirtualTime implements Scheduler {

    /** How long, in real time, a test waits for the client to ask for a timer before failing. */
    static final Duration REAL_LIMIT = Duration.ofSeconds(10);

    /** The wall-clock time at virtual zero; any fixed instant does. */
    static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

    /** A timer the client asked for; runs only from {@link #advance}. */
    private final class Timer extends FutureTask<Void> implements ScheduledFuture<Void> {
        final long due;
        final Duration delay;

        Timer(Runnable task, long due, Duration delay) {
            super(task, null);
            this.due = due;
            this.delay = delay;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    // Guarded by this.
    private long now;
    private final List<Timer> timers = new ArrayList<>(); // every timer asked for, in order

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Instant now() {
        return EPOCH.plusNanos(now);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer(task, now + Math.max(0, delayNanos), Duration.ofNanos(delayNanos));
        timers.add(timer);
        notifyAll();
        return timer;
    }

    /** Returns how much virtual time has passed since the start. */
    synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Returns the delay of every timer asked for so far, in the order asked, run or cancelled ones included. */
    synchronized List<Duration> requested() {
        return timers.stream().map(t -> t.delay).toList();
    }

    /** Returns the delays of the timers asked for that have neither run nor been cancelled. */
    synchronized List<Duration> pending() {
        return timers.stream().filter(t -> !t.isDone()).map(t -> t.delay).toList();
    }

    /**
     * Waits until the client has asked for {@code count} timers in all, and returns the delay of
     * the last of them.
     *
     * @throws AssertionError when that many are not asked for within {@link #REAL_LIMIT}
     */
    synchronized Duration awaitRequested(int count) throws InterruptedException {
        long deadline = System.nanoTime() + REAL_LIMIT.toNanos();
        while (timers.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "the client asked for " + timers.size() + " timers, not " + count + ": " + requested());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return timers.get(count - 1).delay;
    }

    /**
     * Moves the time forward by {@code by}, running each timer that falls due on the way, earliest
     * first (in the order asked when due together), on this thread; each runs with the clock at its
     * due time. Timers its tasks ask for run too if they fall due within the step.
     */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Timer next = null;
            synchronized (this) {
                for (Timer t : timers) {
                    if (!t.isDone() && t.due <= target && (next == null || t.due < next.due)) {
                        next = t;
                    }
                }
                if (next == null) {
                    now = target;
                    return;
                }
                now = Math.max(now, next.due);
            }
            next.run(); // outside the lock: the task asks for timers and reads the clock
        }
    }

    /**
     * Lets one call run to its end with every wait it asks for passed in virtual time: whenever a
     * timer besides the call's deadline is pending, the time moves to it. The deadline itself is
     * never forced, so a call ends by its own decision (success, failure, giving up before a wait
     * that would pass the deadline). Only for one call at a time on this clock.
     *
     * @throws AssertionError when the call neither ends nor asks for a wait within {@link #REAL_LIMIT}
     */
    // whenComplete is a listener here: the call itself is awaited below, its failure is the caller's to check
    @SuppressWarnings("FutureReturnValueIgnored")
    void runThroughWaits(CompletableFuture<?> call) throws InterruptedException {
        call.whenComplete((r, t) -> {
            synchronized (this) {
                notifyAll();
            }
        });
        while (true) {
            Duration step;
            synchronized (this) {
                long deadline = System.nanoTime() + REAL_LIMIT.toNanos();
                while (!call.isDone() && pendingCount() < 2) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the call neither ended nor asked for a wait; timers " + requested());
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (call.isDone()) {
                    return;
                }
                long earliest = Long.MAX_VALUE;
                for (Timer t : timers) {
                    if (!t.isDone()) {
                        earliest = Math.min(earliest, t.due);
                    }
                }
                step = Duration.ofNanos(earliest - now);
            }
            advance(step);
        }
    }

    private int pendingCount() {
        int n = 0;
        for (Timer t : timers) {
            if (!t.isDone()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "virtual time at " + elapsed() + ", timers " + requested();
    }
}
