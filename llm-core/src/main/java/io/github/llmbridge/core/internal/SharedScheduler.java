package io.github.llmbridge.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One daemon thread that fires the library's timers (attempt timeouts, later backoff waits).
 * Timer tasks only complete or cancel futures; they never do I/O, so one thread is enough.
 */
public final class SharedScheduler {

    private static final ScheduledThreadPoolExecutor SCHEDULER = create();

    private SharedScheduler() {
    }

    /** Returns the shared scheduler. Do not shut it down. */
    public static ScheduledExecutorService get() {
        return SCHEDULER;
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, new DaemonThreads("timer"));
        s.setRemoveOnCancelPolicy(true); // cancelled timeouts of finished calls must not pile up
        return s;
    }
}
