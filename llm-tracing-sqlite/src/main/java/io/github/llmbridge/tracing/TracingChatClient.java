package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.TraceBacklog;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.Futures;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one trace per logical call, success or failure, in a {@link TraceStore}. It is the
 * outermost layer, so a trace covers the whole call: every retry, fallback model and wait.
 *
 * <pre>{@code
 * try (SqliteTraceStore store = SqliteTraceStore.open(Path.of("traces.db"));
 *      ChatClient judge = TracingChatClient.wrap(backend, store);
 *      LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3))) {
 *     judge.chat(request);                     // recorded under session "step-42"
 * }
 * }</pre>
 *
 * <p>On the calling thread {@code chatAsync} only notes the time and the current
 * {@link LlmSession}; when the call completes (on whichever thread completes it) the outcome is
 * handed to the store's queue as a {@link CallTrace}, and the returned future completes right
 * after. The database is never touched on either thread. Where the store's queue is full under
 * {@link FullQueuePolicy#BLOCK}, the returned future completes only once the trace is queued: a
 * blocking {@code chat()} waits there, on its own thread, and no pool thread is parked.
 */
public final class TracingChatClient implements ChatClient {

    private static final Logger log = LoggerFactory.getLogger(TracingChatClient.class);

    private final ChatClient delegate;
    private final TraceStore store;
    private final boolean ownsStore;
    private final AtomicLong untraced = new AtomicLong();
    private final TraceBacklog backlog = new TraceBacklog() {
        @Override
        public long queued() {
            return store.pendingCount();
        }

        @Override
        public long dropped() {
            return store.droppedCount();
        }

        @Override
        public long lost() {
            return store.lostCount();
        }
    };

    private TracingChatClient(ChatClient delegate, TraceStore store, boolean ownsStore) {
        this.delegate = Objects.requireNonNull(delegate, "client");
        this.store = Objects.requireNonNull(store, "store");
        this.ownsStore = ownsStore;
    }

    /**
     * Returns a client that traces every call of {@code client} to {@code store}. Closing it
     * closes {@code client} but not the store, which may be shared.
     */
    public static TracingChatClient wrap(ChatClient client, TraceStore store) {
        return new TracingChatClient(client, store, false);
    }

    /** Returns a client whose {@link #close()} also closes the store (the {@code LLM_TRACE_DB} decorator's). */
    static TracingChatClient owningStore(ChatClient client, TraceStore store) {
        return new TracingChatClient(client, store, true);
    }

    /**
     * Returns the store a client traces to, when it is a tracing client, e.g. one that
     * {@code ChatClients.fromEnv()} built with {@code LLM_TRACE_DB} set:
     * <pre>{@code
     * TracingChatClient.storeOf(client).ifPresent(s -> s.flush(Duration.ofSeconds(30)));
     * }</pre>
     */
    public static Optional<TraceStore> storeOf(ChatClient client) {
        return client.unwrap(TracingChatClient.class).map(t -> t.store);
    }

    /**
     * Returns this client if it is of the given type, a {@link TraceBacklog} view of its store, or
     * else asks the traced one.
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == TraceBacklog.class) {
            return Optional.of(type.cast(backlog));
        }
        return type.isInstance(this) ? Optional.of(type.cast(this)) : delegate.unwrap(type);
    }

    /** Returns the store this client traces to. */
    public TraceStore store() {
        return store;
    }

    @Override
    // whenComplete is a listener here: the callbacks settle downstream; trace() catches and counts its failures.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        LlmSession session = LlmSession.current().orElse(null); // captured here: completion runs elsewhere
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        CompletableFuture<ChatResponse> upstream;
        try {
            upstream = delegate.chatAsync(request);
        } catch (RuntimeException e) {
            upstream = Futures.failed(LlmException.from(e));
        }
        CompletableFuture<ChatResponse> inner = upstream;
        AbandonableFuture<ChatResponse> downstream = new AbandonableFuture<>(() -> inner.cancel(true));
        inner.whenComplete((response, failure) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            LlmException error = failure != null
                    ? LlmException.from(failure)
                    : response == null
                            ? LlmException.builder(
                                            ErrorCategory.INVALID_RESPONSE, "the client returned no reply (null)")
                                    .retryable(false)
                                    .build()
                            : null;
            ChatResponse reply = error == null ? response : null;
            CompletableFuture<Void> admitted = trace(request, session, startedAt, latency, reply, error, null);
            if (admitted.isDone()) {
                settle(downstream, reply, error);
            } else {
                // Completed on the library's completion pool once the writer made room, in a task of its own.
                admitted.whenComplete((ignored, t) -> settle(downstream, reply, error));
            }
        });
        return downstream;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The trace records the assembled reply (or the failure, with its partial output), and in
     * its stream columns the time from the call to the first chunk with output, how many chunks
     * reached {@code onChunk}, and whether the stream ended cleanly.
     */
    @Override
    // whenComplete is a listener here: the callbacks settle downstream; trace() catches and counts its failures.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        LlmSession session = LlmSession.current().orElse(null);
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        AtomicInteger chunks = new AtomicInteger();
        AtomicLong firstOutputNanos = new AtomicLong(-1);
        Consumer<ChatChunk> counting = chunk -> {
            chunks.incrementAndGet();
            if (chunk.hasOutput()) {
                firstOutputNanos.compareAndSet(-1, System.nanoTime() - start);
            }
            onChunk.accept(chunk);
        };
        CompletableFuture<ChatResponse> upstream;
        try {
            upstream = delegate.streamAsync(request, counting);
        } catch (RuntimeException e) {
            upstream = Futures.failed(LlmException.from(e));
        }
        CompletableFuture<ChatResponse> inner = upstream;
        AbandonableFuture<ChatResponse> downstream = new AbandonableFuture<>(() -> inner.cancel(true));
        inner.whenComplete((response, failure) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            LlmException error = failure != null
                    ? LlmException.from(failure)
                    : response == null
                            ? LlmException.builder(
                                            ErrorCategory.INVALID_RESPONSE, "the client returned no reply (null)")
                                    .retryable(false)
                                    .build()
                            : null;
            ChatResponse reply = error == null ? response : null;
            long first = firstOutputNanos.get();
            StreamStats stats =
                    new StreamStats(first < 0 ? null : Duration.ofNanos(first), chunks.get(), error == null);
            CompletableFuture<Void> admitted = trace(request, session, startedAt, latency, reply, error, stats);
            if (admitted.isDone()) {
                settle(downstream, reply, error);
            } else {
                admitted.whenComplete((ignored, t) -> settle(downstream, reply, error));
            }
        });
        return downstream;
    }

    /**
     * Builds the trace and hands it to the store; returns the stage that completes once it is
     * queued. A failure here (a {@code backend()} of null, a store that throws or returns no
     * stage) must not break the call it traces: it is logged, counted in {@link #untracedCount()},
     * and the call completes at once with its own outcome.
     */
    private CompletableFuture<Void> trace(
            ChatRequest request,
            LlmSession session,
            Instant startedAt,
            Duration latency,
            ChatResponse reply,
            LlmException error,
            StreamStats stream) {
        CallTrace trace = null;
        try {
            trace = new CallTrace(request, session, startedAt, latency, delegate.backend(), reply, error, stream);
            CompletionStage<Void> queued = store.enqueue(trace);
            return Objects.requireNonNull(queued, "the store's enqueue returned null")
                    .toCompletableFuture();
        } catch (RuntimeException | Error e) {
            long total = untraced.incrementAndGet();
            log.error(
                    "Could not trace {} to {} ({} calls untraced in total): {}",
                    trace != null ? trace : "a call to " + request.model(),
                    store,
                    total,
                    e.toString(),
                    e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Returns how many calls went untraced because building their trace or handing it to the store failed (each is logged). */
    public long untracedCount() {
        return untraced.get();
    }

    private static void settle(AbandonableFuture<ChatResponse> downstream, ChatResponse reply, LlmException error) {
        if (error != null) {
            downstream.settleExceptionally(error);
        } else {
            downstream.settle(reply);
        }
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    /** Closes the wrapped client, then (when this client owns it) the store, which flushes. */
    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            if (ownsStore) {
                store.close();
            }
        }
    }

    /** Shows the wrapped client and the store. */
    @Override
    public String toString() {
        return "TracingChatClient[" + delegate + " -> " + store + ", untraced=" + untraced.get() + "]";
    }
}
