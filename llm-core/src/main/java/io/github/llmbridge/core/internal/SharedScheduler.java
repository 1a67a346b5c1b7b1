package io.github.llmbridge.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that fires the library's timers (attempt timeouts, later backoff waits).
 * Timer tasks only hand work to other threads (see {@link #completions()}), so one is enough.
 */
public final class SharedScheduler {

    private static final ScheduledThreadPoolExecutor SCHEDULER = create();
    private static final ExecutorService COMPLETIONS = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads("completion"));

    private SharedScheduler() {}

    /** Returns the shared scheduler. Do not shut it down. */
    public static ScheduledExecutorService get() {
        return SCHEDULER;
    }

    /**
     * Returns the executor on which timers complete futures. A completed future runs its
     * dependent stages on the completing thread, and those may block (a reward function calling
     * {@code chat()} in {@code exceptionally}); done on the timer thread, that would stall every
     * other timer. Threads are created on demand and retire after a minute idle.
     */
    public static Executor completions() {
        return COMPLETIONS;
    }

    /**
     * Runs a task on the {@link #completions()} pool once the delay has passed: the wait is on the
     * shared timer, the work never is (see {@link #completions()}). If no completion thread can
     * be started the task runs on the timer thread rather than not at all.
     *
     * @return the timer's future, to cancel the task before it is due
     */
    public static ScheduledFuture<?> runLater(Runnable task, long delay, TimeUnit unit) {
        return SCHEDULER.schedule(() -> runElsewhere(task), delay, unit);
    }

    private static void runElsewhere(Runnable task) {
        try {
            COMPLETIONS.execute(task);
        } catch (Throwable cannotHandOver) { // e.g. no native thread left: late is better than never
            task.run();
        }
    }

    // the keep-alive no-op runs for the JVM's life: it is never cancelled and cannot fail.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, new DaemonThreads("timer"));
        s.setRemoveOnCancelPolicy(true); // cancelled timeouts of finished calls must not pile up
        // Every call arms a time limit and cancels it when the reply comes. A task that becomes
        // the head of the timer queue wakes the timer thread; with one call at a time the queue is
        // otherwise empty, so each call would wake it twice for nothing. A no-op that is always
        // due within a second stays at the head instead, and limits (seconds to minutes) queue
        // behind it quietly: one wake-up a second in place of two per call.
        s.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
        return s;
    }
}
