package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The blocking {@link ChatStream} on top of {@link ChatClient#streamAsync}: the handler puts
 * chunks into a queue of at most {@link #CAPACITY} that the iterator takes from. When it is
 * full, the handler waits, and with it the thread reading the HTTP body, which then stops
 * asking the connection for more: a slow reader slows the stream instead of filling memory.
 *
 * <p>Until {@link #iterator()} is called nobody reads, so the handler never waits: a caller that
 * only wants {@link #response()} would otherwise hold the stream still at the {@value #CAPACITY}th
 * chunk until its deadline. Chunks queued then are kept for a late iterator (no more than the
 * reply itself); once it is taken, the bound applies.
 */
public final class QueuedChatStream implements ChatStream {

    /** How many chunks wait for a slow reader before the network reading pauses. */
    public static final int CAPACITY = 256;

    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore space = new Semaphore(CAPACITY);
    private final AtomicBoolean iterated = new AtomicBoolean();
    /** Chunks queued without a permit, before anyone iterated; taking one returns no permit. */
    private final AtomicInteger unpaid = new AtomicInteger();

    private volatile boolean closed;
    private CompletableFuture<ChatResponse> response;

    private QueuedChatStream() {}

    /** Starts the streamed call on {@code client} and returns its stream. */
    // whenComplete is a listener here: it only marks the end for the iterator; failures are read from the future.
    @SuppressWarnings("FutureReturnValueIgnored")
    public static ChatStream open(ChatClient client, ChatRequest request) {
        QueuedChatStream stream = new QueuedChatStream();
        CompletableFuture<ChatResponse> future;
        try {
            future = client.streamAsync(request, stream::put);
        } catch (RuntimeException e) {
            future = Futures.failed(LlmException.from(e));
        }
        stream.response = future;
        future.whenComplete((reply, failure) -> stream.queue.add(END));
        return stream;
    }

    /** The handler: waits for space (interruptible: cancelling the exchange interrupts it). */
    private void put(ChatChunk chunk) {
        if (closed) {
            throw closedError();
        }
        try {
            if (!iterated.get()) {
                if (!space.tryAcquire()) {
                    unpaid.incrementAndGet(); // nobody reads yet: do not hold the stream still
                }
            } else {
                space.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw closedError();
        }
        if (closed) {
            throw closedError();
        }
        queue.add(chunk);
    }

    @Override
    public Iterator<ChatChunk> iterator() {
        if (!iterated.compareAndSet(false, true)) {
            throw new IllegalStateException("a ChatStream can be iterated once");
        }
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    if (closed) {
                        return false;
                    }
                    next = take();
                }
                if (next == END) {
                    queue.add(END); // later calls see the end too
                    next = null;
                    if (closed) {
                        return false;
                    }
                    Futures.await(response); // throws the call's failure
                    return false;
                }
                return true;
            }

            @Override
            public ChatChunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ChatChunk chunk = (ChatChunk) next;
                next = null;
                returnPermit();
                return chunk;
            }
        };
    }

    /** Frees the place of a chunk taken from the queue, unless it was queued without one. */
    private void returnPermit() {
        while (true) {
            int owed = unpaid.get();
            if (owed == 0) {
                space.release();
                return;
            }
            if (unpaid.compareAndSet(owed, owed - 1)) {
                return;
            }
        }
    }

    private Object take() {
        try (ExchangePool.Lease ignored = ExchangePool.beforeBlocking()) {
            return queue.take();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw LlmException.builder(ErrorCategory.CANCELLED, "interrupted while waiting for the next chunk")
                    .cause(e)
                    .build();
        }
    }

    @Override
    public CompletableFuture<ChatResponse> response() {
        return response;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        response.cancel(true);
        space.release(CAPACITY); // a handler waiting for space wakes, sees closed and stops
        queue.clear();
        queue.add(END);
    }

    private static LlmException closedError() {
        return LlmException.builder(ErrorCategory.CANCELLED, "the stream was closed")
                .retryable(false)
                .build();
    }

    @Override
    public String toString() {
        return "ChatStream[" + (closed ? "closed" : response.isDone() ? "ended" : "open") + "]";
    }
}
