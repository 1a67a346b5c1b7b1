package io.github.llmbridge.examples;

import io.github.llmbridge.core.LlmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Joins a future the way {@code ChatClient.chat} does: failures surface as the {@link LlmException} itself. */
final class Await {

    private Await() {}

    static <T> T result(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            throw LlmException.from(e);
        }
    }
}
