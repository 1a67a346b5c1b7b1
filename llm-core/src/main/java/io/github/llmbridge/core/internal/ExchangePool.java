package io.github.llmbridge.core.internal;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded pool of daemon threads on which a transport runs its blocking HTTP exchanges.
 * Threads are created on demand up to the size and retire after a minute idle.
 *
 * <p>Replies are completed on these threads, so a caller's dependent stage (a
 * {@code thenApply} without an executor) runs here too. If such a stage makes a blocking
 * {@code chat()} call, it would hold a thread the nested call needs, and with every thread doing
 * it the pool would deadlock until the time limits fire. {@link #beforeBlocking()} prevents that:
 * while one of the pool's threads waits, the pool may start one more thread, the way
 * {@code ForkJoinPool.managedBlock} compensates.
 */
public final class ExchangePool {

    private static final ThreadLocal<ExchangePool> OWNER = new ThreadLocal<>();

    private final ThreadPoolExecutor executor;
    private final int size;
    private int lent;

    /**
     * Creates a pool.
     *
     * @param name used in thread names, {@code llm-bridge-<name>-<n>}
     * @param size how many exchanges run at once
     */
    public ExchangePool(String name, int size) {
        this.size = size;
        DaemonThreads threads = new DaemonThreads(name);
        this.executor = new ThreadPoolExecutor(
                size,
                size,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                task -> threads.newThread(() -> {
                    OWNER.set(this);
                    task.run();
                }));
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues a task.
     *
     * @throws java.util.concurrent.RejectedExecutionException after {@link #shutdown()}
     */
    public Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    /** Returns how many exchanges run at once (not counting threads lent to blocked waiters). */
    public int size() {
        return size;
    }

    /** Stops accepting tasks; queued and running ones finish. */
    public void shutdown() {
        executor.shutdown();
    }

    /**
     * Call before the current thread blocks waiting for a reply. If it is an exchange thread, its
     * pool gets one extra thread until the returned handle is closed.
     *
     * @return a handle to close when the wait is over (does nothing on other threads)
     */
    public static Lease beforeBlocking() {
        ExchangePool pool = OWNER.get();
        if (pool == null) {
            return () -> {};
        }
        pool.resize(+1);
        AtomicBoolean returned = new AtomicBoolean();
        return () -> {
            if (returned.compareAndSet(false, true)) {
                pool.resize(-1);
            }
        };
    }

    private synchronized void resize(int delta) {
        lent += delta;
        int target = size + lent;
        // The maximum must never be below the core size, so the order depends on the direction.
        if (delta > 0) {
            executor.setMaximumPoolSize(target);
            executor.setCorePoolSize(target); // starts a thread at once if tasks are queued
        } else {
            executor.setCorePoolSize(target);
            executor.setMaximumPoolSize(target);
        }
    }

    /** Ends a compensation; closing it again does nothing. */
    @FunctionalInterface
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
