package io.github.llmbridge.core.tools;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test says so. {@link #advance} runs the timers that fall due, on
 * the calling thread; {@link #jump} moves the time without running them, as a timer that fires
 * late would.
 */
final class VirtualClock implements LoopClock {

    private long now = 1_000_000_000L;
    private final List<Timer> timers = new ArrayList<>();
    private final List<Duration> requested = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        requested.add(Duration.ofNanos(delayNanos));
        Timer t = new Timer(now + delayNanos, task);
        timers.add(t);
        return t;
    }

    /** Moves the time on and runs every timer due by then, in order. */
    void advance(Duration by) {
        List<Timer> due = new ArrayList<>();
        synchronized (this) {
            now += by.toNanos();
            for (Timer t : List.copyOf(timers)) {
                if (t.at <= now) {
                    timers.remove(t);
                    if (!t.cancelled) {
                        due.add(t);
                    }
                }
            }
        }
        due.forEach(t -> t.task.run());
    }

    /** Moves the time on without running timers. */
    synchronized void jump(Duration by) {
        now += by.toNanos();
    }

    /** Returns the delays timers were armed with, in order. */
    synchronized List<Duration> requested() {
        return List.copyOf(requested);
    }

    /** Returns whether a timer is armed and not cancelled. */
    synchronized boolean hasLiveTimer() {
        return timers.stream().anyMatch(t -> !t.cancelled);
    }

    private static final class Timer implements ScheduledFuture<Object> {
        final long at;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
