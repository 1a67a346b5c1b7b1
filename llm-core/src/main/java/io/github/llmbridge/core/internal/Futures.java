package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
    public static <T, R> CompletableFuture<R> map(CompletableFuture<T> upstream, Function<T, R> mapping) {
        return map(upstream, mapping, UnaryOperator.identity());
    }

    /**
     * As {@link #map(CompletableFuture, Function)}, and an upstream failure passes through
     * {@code failureMapping} (e.g. to add what the caller knows about the call).
     */
    // whenComplete is a listener here: the callback settles downstream itself and catches what mapping throws.
    @SuppressWarnings("FutureReturnValueIgnored")
    public static <T, R> CompletableFuture<R> map(
            CompletableFuture<T> upstream, Function<T, R> mapping, UnaryOperator<LlmException> failureMapping) {
        AbandonableFuture<R> downstream = new AbandonableFuture<>(() -> upstream.cancel(true));
        upstream.whenComplete((value, failure) -> {
            if (failure != null) {
                LlmException error = LlmException.from(failure);
                try {
                    error = failureMapping.apply(error);
                } catch (RuntimeException e) {
                    error.addSuppressed(e);
                }
                downstream.settleExceptionally(error);
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
