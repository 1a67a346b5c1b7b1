package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.internal.SharedScheduler;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler handed to Resilience4j's retry: waits on the client's {@link Scheduler} (the
 * shared timer in production), which runs each retry on the completions pool. Resilience4j runs
 * the whole retry step on the scheduler's thread (the next attempt, and when that attempt
 * finishes at once, the call's completion and the caller's own stages); on the one shared timer
 * thread a single blocking caller would stall every timer in the JVM, deadlines included. Only
 * {@code schedule(Runnable, ...)} and {@code execute} are supported, which is all Resilience4j's
 * retry uses.
 */
final class OffTimerScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final Scheduler scheduler;

    /** One per client, made when the client is built, so a call allocates none. */
    OffTimerScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return scheduler.schedule(command, unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        SharedScheduler.completions().execute(command);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, ...) is supported");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, ...) is supported");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, ...) is supported");
    }

    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("the shared scheduler is not shut down");
    }

    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException("the shared scheduler is not shut down");
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
