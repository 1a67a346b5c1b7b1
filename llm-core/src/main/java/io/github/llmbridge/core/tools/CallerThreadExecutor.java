package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.ExchangePool;
import io.github.llmbridge.core.internal.Futures;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An executor whose tasks run on the thread that waits in {@link #runUntilDone}: the blocking
 * {@link ToolLoop#run} waits for the loop's future there and runs each round's tools in between,
 * so the tools see the caller's thread-locals while the rounds' calls stay asynchronous.
 */
final class CallerThreadExecutor implements Executor {

    private static final Runnable WAKE_UP = () -> {};

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the queued tasks on this thread until {@code done} completes, then returns its value
     * or throws its {@link LlmException}. Tasks still queued then are dropped: the loop has ended.
     * An interrupt cancels {@code done} and throws {@link ErrorCategory#CANCELLED}, keeping the flag.
     */
    // the whenComplete stage only wakes this thread; nothing waits on it.
    @SuppressWarnings("FutureReturnValueIgnored")
    <T> T runUntilDone(CompletableFuture<T> done) {
        done.whenComplete((value, failure) -> tasks.add(WAKE_UP));
        // Called from inside a transport thread's stage, the wait must not shrink that pool.
        try (ExchangePool.Lease ignored = ExchangePool.beforeBlocking()) {
            while (!done.isDone()) {
                tasks.take().run();
            }
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
            throw LlmException.builder(ErrorCategory.CANCELLED, "interrupted while running the tool loop")
                    .cause(e)
                    .build();
        }
        return Futures.await(done);
    }
}
