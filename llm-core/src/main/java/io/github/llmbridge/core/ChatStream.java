package io.github.llmbridge.core;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed reply being read: iterate its {@link ChatChunk}s as they arrive, or wait for the
 * whole reply with {@link #response()}. Close it (try-with-resources) when done; closing before
 * the end cancels the HTTP exchange, which closes the connection, and releases the client's
 * concurrency permit.
 *
 * <pre>{@code
 * try (ChatStream stream = client.stream(request)) {
 *     for (ChatChunk chunk : stream) System.out.print(chunk.content());
 *     ChatResponse whole = stream.response().join(); // usage, finish reason, attempts
 * }
 * }</pre>
 *
 * <p><b>Failures.</b> Iteration throws the call's {@link LlmException} where the stream fails,
 * after the chunks that arrived before it; a failure after output began carries that output as
 * {@link LlmException#partialContent()}. {@link #response()} fails with the same exception.
 *
 * <p><b>Memory.</b> Once {@link #iterator()} is taken, the library buffers a bounded number of
 * chunks for a slow reader; when the buffer is full it stops reading from the network until the
 * reader catches up. Before that nobody reads, so nothing waits: a caller that only wants
 * {@link #response()} gets it when the stream ends, and the chunks kept meanwhile for a late
 * iterator are no more than the reply itself.
 *
 * <p>One thread iterates; {@link #iterator()} may be called once. {@link #close()} may be called
 * from any thread.
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {

    /**
     * Returns the chunks in arrival order. {@code hasNext()} blocks until a chunk arrives or the
     * stream ends, and throws the call's {@link LlmException} if it failed; after
     * {@link #close()} it returns {@code false}.
     *
     * @throws IllegalStateException when called a second time
     */
    @Override
    Iterator<ChatChunk> iterator();

    /** Returns the chunks as a sequential {@link Stream} (the same single pass as {@link #iterator()}). */
    default Stream<ChatChunk> chunks() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Returns the reply assembled from every chunk: the same {@link ChatResponse}, field by
     * field, that {@link ChatClient#chat} returns for the same exchange (content, reasoning, tool
     * calls, finish reason, usage, cost, attempts). It completes when the stream ends, whether
     * or not the chunks are read: reading them is optional. It fails with the call's
     * {@link LlmException}; cancelling it cancels the stream.
     */
    CompletableFuture<ChatResponse> response();

    /**
     * Ends the stream: if it is still running, the HTTP exchange is cancelled (the connection is
     * closed) and {@link #response()} fails with category {@link ErrorCategory#CANCELLED}. Safe to
     * call more than once, from any thread.
     */
    @Override
    void close();
}
