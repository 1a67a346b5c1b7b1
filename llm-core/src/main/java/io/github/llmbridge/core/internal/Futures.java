package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Plumbing between futures: waiting without wrapping, and cancellation that travels upstream. */
public final class Futures {

    private Futures() {}

    /**
     * Waits for a call's future and returns its value, throwing the {@link LlmException} itself
     * on failure. An interrupt cancels the call.
     */
    public static <T> T await(CompletableFuture<T> future) {
        if (future.isDone()) {
            return getDone(future);
        }
        try (ExchangePool.Lease ignored = ExchangePool.beforeBlocking()) {
            return getDone(future);
        }
    }

    private static <T> T getDone(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw LlmException.from(e.getCause());
        } catch (CancellationException e) {
            throw cancelled("the call was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelled("interrupted while waiting for the reply", e);
        }
    }

    /**
     * Returns a future completed with {@code mapping} applied to {@code upstream}'s value, or
     * with {@code upstream}'s failure unwrapped to the {@link LlmException} (also when the mapping
     * throws). Unlike {@code thenApply}, a caller that abandons the returned future (cancel,
     * {@code orTimeout}, {@code completeOnTimeout}) abandons {@code upstream} too.
     */
    // whenComplete is a listener here: the callback settles downstream itself and catches what mapping throws.
    @SuppressWarnings("FutureReturnValueIgnored")
    public static <T, R> CompletableFuture<R> map(CompletableFuture<T> upstream, Function<T, R> mapping) {
        AbandonableFuture<R> downstream = new AbandonableFuture<>(() -> upstream.cancel(true));
        upstream.whenComplete((value, failure) -> {
            if (failure != null) {
                downstream.settleExceptionally(LlmException.from(failure));
                return;
            }
            try {
                downstream.settle(mapping.apply(value));
            } catch (RuntimeException e) {
                downstream.settleExceptionally(LlmException.from(e));
            }
        });
        return downstream;
    }

    /** Returns a future already failed with the exception. */
    public static <T> CompletableFuture<T> failed(LlmException failure) {
        CompletableFuture<T> future = new CompletableFuture<>();
        future.completeExceptionally(failure);
        return future;
    }

    private static LlmException cancelled(String message, Throwable cause) {
        return LlmException.builder(ErrorCategory.CANCELLED, message)
                .cause(cause)
                .attemptCount(0)
                .build();
    }
}
