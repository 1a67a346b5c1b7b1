package io.github.llmbridge.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A future that knows whether its owner settled it or someone else did first (the caller with
 * {@code cancel}, {@code orTimeout} or {@code completeOnTimeout}, or a timer). In the second case
 * it runs the abandon hook <em>before</em> completing, so the work behind it (an HTTP exchange
 * holding a connection slot) is stopped before the caller's own stages run, not after: stages
 * registered on a {@code CompletableFuture} run newest first, so a hook added with
 * {@code whenComplete} at creation would run last, after a blocking fallback had finished.
 *
 * <p>Exactly one party settles it: the owner through {@link #settle}/{@link #settleExceptionally},
 * or anyone else through the usual {@code complete}, {@code completeExceptionally} and
 * {@code cancel}. Dependent stages are plain {@code CompletableFuture}s.
 *
 * @param <T> the value type
 */
public final class AbandonableFuture<T> extends CompletableFuture<T> {

    private final AtomicBoolean claimed = new AtomicBoolean();
    private final Runnable onAbandon;
    private volatile boolean abandoned;

    /**
     * Creates the future.
     *
     * @param onAbandon runs once, on the abandoning thread, when someone other than the owner
     *                  settles the future; it must be quick and must not throw
     */
    public AbandonableFuture(Runnable onAbandon) {
        this.onAbandon = onAbandon;
    }

    /** Completes with the owner's value, unless someone settled the future first. */
    public boolean settle(T value) {
        return claimed.compareAndSet(false, true) && super.complete(value);
    }

    /** Fails with the owner's exception, unless someone settled the future first. */
    public boolean settleExceptionally(Throwable failure) {
        return claimed.compareAndSet(false, true) && super.completeExceptionally(failure);
    }

    /**
     * Returns whether someone other than the owner has claimed the future. It is set before the
     * hook runs, so an owner that publishes new work and then checks this flag never misses an
     * abandonment that the hook could not see.
     */
    public boolean isAbandoned() {
        return abandoned;
    }

    @Override
    public boolean complete(T value) {
        return abandon() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        return abandon() && super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return abandon() && super.cancel(mayInterruptIfRunning);
    }

    private boolean abandon() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        abandoned = true;
        onAbandon.run();
        return true;
    }
}
