package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.internal.SharedScheduler;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the resilience layer reads the time and sets its timers: a call's deadline, the wait
 * before each retry, and the times stamped on each {@link io.github.llmbridge.core.Attempt}. In
 * production it is {@link #SYSTEM}: {@code System.nanoTime()}, {@code Instant.now()} and the
 * library's one shared timer. Tests put virtual time in its place, so that "waited exactly 2 s as
 * {@code Retry-After} said, then succeeded on attempt 2" is asserted without 2 s passing.
 *
 * <p>Package-private on purpose, like {@link ResilientChatClient.Builder}'s setter for it: a user
 * has no reason to change the time, and the tests that do live in this package. Time inside the
 * backend (the transport's own per-attempt limit) stays real.
 */
interface Scheduler {

    /** The real clocks and the library's shared timer; what every client uses unless a test says otherwise. */
    Scheduler SYSTEM = new Scheduler() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
            return SharedScheduler.runLater(task, delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public String toString() {
            return "system time";
        }
    };

    /** Returns a monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** Returns the wall-clock time, stamped on attempts as their start. */
    Instant now();

    /**
     * Runs {@code task} once {@code delayNanos} have passed, never on a timer thread that other
     * timers share: the task may complete a caller's future, and the caller's stages may block
     * (see {@link SharedScheduler#completions()}).
     *
     * @return a future to cancel the task before it is due
     */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos);
}
