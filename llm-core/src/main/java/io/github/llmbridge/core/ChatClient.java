package io.github.llmbridge.core;

import io.github.llmbridge.core.internal.Futures;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A client for chat completions. Backends (OpenRouter, a LiteLLM proxy) and decorators
 * (resilience, tracing) all implement this one interface, so reward code never depends on which
 * backend the environment selected.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClients.fromEnv()) {
 *     String answer = client.chat(ChatRequest.builder().model("openai/gpt-4o-mini").user("2+2?").build()).content();
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe and meant to be shared by all threads of a trainer.
 */
public interface ChatClient extends AutoCloseable {

    /**
     * Sends a request and waits for the reply. This is {@link #chatAsync} joined, with the
     * failure unwrapped: callers see the {@link LlmException} itself, never a
     * {@code CompletionException}. If the waiting thread is interrupted the call is cancelled and
     * an exception of category {@link ErrorCategory#CANCELLED} is thrown with the interrupt flag kept.
     *
     * @throws LlmException for every failure, with a category to branch on
     */
    default ChatResponse chat(ChatRequest request) {
        return Futures.await(chatAsync(request));
    }

    /**
     * Starts a request and returns at once; the calling thread never blocks, not for a network
     * connection, a concurrency permit or a retry wait. The future completes with the reply or
     * exceptionally with an {@link LlmException}. Cancelling it cancels the HTTP exchange.
     */
    CompletableFuture<ChatResponse> chatAsync(ChatRequest request);

    /**
     * Returns this client, or the layer beneath it, that is of the given type: decorators
     * (resilience, tracing) pass the question down, so the backend of a {@code fromEnv()}
     * client is reachable, e.g. {@code client.unwrap(OpenRouterChatClient.class)}.
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Returns the name of the backend that serves the calls ({@code openrouter}, {@code litellm}, ...). */
    String backend();

    /** Releases the client's threads and connections. Calls started afterwards fail as cancelled. */
    @Override
    void close();
}
