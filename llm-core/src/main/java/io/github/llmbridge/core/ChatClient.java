package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.QueuedChatStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client for chat completions. Backends (a hosted API, a gateway in front of several providers)
 * and decorators (resilience, tracing) all implement this one interface, so reward code never
 * depends on which backend the environment selected.
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
     * Sends a request for a streamed reply and returns at once with the stream to read; see
     * {@link ChatStream} for iteration, the assembled reply, failures and closing.
     *
     * <pre>{@code
     * try (ChatStream stream = client.stream(request)) {
     *     for (ChatChunk chunk : stream) System.out.print(chunk.content());
     * }
     * }</pre>
     *
     * <p>Through the resilience layer a failure before the first output is retried like any
     * attempt; one after it fails the call with the output so far as
     * {@link LlmException#partialContent()} (or restarts the attempt, if configured), and two
     * timers catch a stalled server: one until the first output, one between chunks. The default
     * implementation, for clients that cannot stream, delivers the whole reply of
     * {@link #chatAsync} as one chunk.
     */
    default ChatStream stream(ChatRequest request) {
        return QueuedChatStream.open(this, request);
    }

    /**
     * Sends a request for a streamed reply without blocking: {@code onChunk} receives each
     * {@link ChatChunk} in order, on the thread that reads the reply (keep it short; while it
     * runs the library reads no further, so a slow handler slows the stream rather than filling
     * memory), and the returned future completes with the assembled reply (equal to what
     * {@link #chatAsync} returns for the same exchange) or fails with the {@link LlmException}.
     * Cancelling the future cancels the HTTP exchange. A handler that throws ends the call: the
     * future fails with category {@link ErrorCategory#CANCELLED} and the handler's exception as
     * its cause, and it is not retried.
     *
     * <pre>{@code
     * client.streamAsync(request, chunk -> out.append(chunk.content()))
     *       .thenAccept(reply -> log.info("{} tokens", reply.usage().completionTokens()));
     * }</pre>
     *
     * <p>The default implementation, for clients that cannot stream, calls {@link #chatAsync} and
     * delivers the whole reply as one chunk.
     */
    default CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return Futures.map(chatAsync(request), reply -> {
            ChatChunks.deliver(onChunk, ChatChunks.whole(reply));
            return reply;
        });
    }

    /** How many times {@link #chatJson(ChatRequest, Class)} asks again after a reply without usable JSON. */
    int DEFAULT_JSON_RETRIES = 2;

    /**
     * Sends a request and parses the reply's JSON into {@code type} (a record, bean, map, list or
     * {@code JsonNode}; see {@link JsonReplies} for what is accepted). When the reply has no JSON
     * that fits, the call is made again up to {@link #DEFAULT_JSON_RETRIES} times with the bad
     * reply and the parse error added to the conversation.
     *
     * <pre>{@code
     * record Score(double score) {}
     * double s = judge.chatJson(request, Score.class).score();
     * }</pre>
     *
     * @throws LlmException category {@link ErrorCategory#INVALID_RESPONSE} with the last reply as
     *                      {@link LlmException#partialContent()} when no try produced usable JSON;
     *                      category {@link ErrorCategory#CONTENT_FILTERED} with the refusal text in
     *                      the message when the model refused (not asked again: an empty answer
     *                      must never be scored); any other failure of the call as it is (also
     *                      behind a fail-open reply)
     */
    default <T> T chatJson(ChatRequest request, Class<T> type) {
        return chatJson(request, type, DEFAULT_JSON_RETRIES);
    }

    /** Like {@link #chatJson(ChatRequest, Class)}, asking again at most {@code outputRetries} times. */
    default <T> T chatJson(ChatRequest request, Class<T> type, int outputRetries) {
        return Futures.await(JsonCalls.call(this, request, type, outputRetries));
    }

    /** Like {@link #chatJson(ChatRequest, Class)} without blocking: the future fails with the {@link LlmException}. */
    default <T> CompletableFuture<T> chatJsonAsync(ChatRequest request, Class<T> type) {
        return JsonCalls.call(this, request, type, DEFAULT_JSON_RETRIES);
    }

    /** Sends a request and returns the reply's JSON as a tree; see {@link #chatJson(ChatRequest, Class)}. */
    default JsonNode chatJson(ChatRequest request) {
        return chatJson(request, JsonNode.class);
    }

    /**
     * Returns this client, or the layer beneath it, that is of the given type: decorators
     * (resilience, tracing) pass the question down, so the backend of a {@code fromEnv()}
     * client is reachable as its own class, for what only that backend offers. Backends also
     * answer for views they offer (e.g. {@link io.github.llmbridge.core.check.CheckTarget} and
     * {@link io.github.llmbridge.core.resilience.BackendDefaults}). A decorator of your own should
     * override this to ask its delegate when it is not of the type itself; otherwise the layers
     * around it cannot see the backend's views (the connection check skips the network steps, the
     * bulkhead falls back to 10).
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Returns the name of the backend that serves the calls, as {@code LLM_BACKEND} selects it. */
    String backend();

    /** Releases the client's threads and connections. Calls started afterwards fail as cancelled. */
    @Override
    void close();
}
