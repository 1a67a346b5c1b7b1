package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.internal.SharedScheduler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where a tool loop reads the time and arms its deadline. In production it is {@link #SYSTEM}
 * ({@code System.nanoTime()} and the library's shared timer); tests put virtual time in its place,
 * so "the second round was sent with exactly the 600 ms left" is asserted without waiting.
 * Package-private, like the resilience layer's scheduler: users have no reason to change the time.
 */
interface LoopClock {

    /** The real clock and the library's shared timer. */
    LoopClock SYSTEM = new LoopClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
            // runLater hands the task to the completions pool: it settles the caller's future,
            // whose stages may block, and must not do so on the shared timer thread.
            return SharedScheduler.runLater(task, delayNanos, TimeUnit.NANOSECONDS);
        }
    };

    /** Returns a monotonic time in nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once {@code delayNanos} have passed; the future cancels it before then. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos);
}
