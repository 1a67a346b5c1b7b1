package io.github.llmbridge.tracing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TraceStoreException;
import io.github.llmbridge.tracing.internal.RecordedCalls;
import io.github.llmbridge.tracing.internal.TraceReader;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers calls from the answers a trace store recorded: a <em>cache</em> (a call whose request
 * matches a successful recorded call is answered from the store, any other reaches the backend)
 * or strict <em>replay</em> (every call must be answered from the store; a miss fails with
 * {@link ReplayMissException} naming the request's {@link RequestHash}).
 *
 * <p>Place it inside tracing and outside resilience, as {@code LLM_CACHE} and
 * {@code LLM_REPLAY_DB} do: a hit takes no concurrency permit and makes no HTTP call, and it is
 * still traced. A hit is marked: {@link ChatResponse#backend()} is {@value #BACKEND}, its cost is
 * 0, header {@value #CACHE_HEADER} is {@code hit} and header {@value #CACHED_TRACE_HEADER} names
 * the trace of the original call; streamed, a hit is one chunk holding the whole reply,
 * marked the same way ({@link #isCached(ChatChunk)}). Its trace has backend {@value #BACKEND}, cost 0 and the
 * original's {@code response_id} and {@code response_json}; usage is the original's, since it
 * describes the answer.
 *
 * <pre>{@code
 * try (SqliteTraceStore store = SqliteTraceStore.open(Path.of("traces/run-17.db"));
 *      ChatClient judge = TracingChatClient.wrap(
 *              CachingChatClient.cache(backend, store, CacheScope.DETERMINISTIC, Duration.ofDays(7)), store)) {
 *     judge.chat(request); // answered from run-17.db when it holds this request's answer
 * }
 * }</pre>
 */
public final class CachingChatClient implements ChatClient {

    /** The backend name of a reply the cache gave. */
    public static final String BACKEND = TraceReader.CACHE_BACKEND;

    /** Header of a reply the cache gave: {@code hit}. */
    public static final String CACHE_HEADER = "x-llm-bridge-cache";

    /** Header of a reply the cache gave: the trace id of the call that got the answer. */
    public static final String CACHED_TRACE_HEADER = "x-llm-bridge-cached-trace";

    private static final Logger log = LoggerFactory.getLogger(CachingChatClient.class);

    private final ChatClient delegate;
    private final TraceStore store;
    private final boolean ownsStore;
    private final RecordedCalls calls;
    private final AnswerIndex index;
    private final CacheScope scope; // null: replay
    private final Duration maxAge; // null: none
    private final Clock clock;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong bypassed = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    private CachingChatClient(
            ChatClient delegate, TraceStore store, boolean ownsStore, CacheScope scope, Duration maxAge, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "client");
        this.store = Objects.requireNonNull(store, "store");
        if (!(store instanceof RecordedCalls.Source source)) {
            throw new IllegalArgumentException("the cache reads a SqliteTraceStore or a PostgresTraceStore, not "
                    + store.getClass().getName());
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        this.ownsStore = ownsStore;
        this.calls = source.recordedCalls();
        this.scope = scope;
        this.maxAge = maxAge;
        this.clock = clock;
        this.index = new AnswerIndex(calls, store.toString());
        long start = System.nanoTime();
        index.catchUp(true);
        log.info(
                "{} from {}: {} recorded requests indexed in {} ms",
                scope == null
                        ? "Replaying calls"
                        : "Caching " + scope.name().toLowerCase(java.util.Locale.ROOT) + " requests",
                store,
                index.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Returns a client that answers the requests {@code scope} covers from {@code store} when it
     * holds a successful call with the same {@link RequestHash} that started at most
     * {@code maxAge} ago ({@code null}: any age), and passes every other call to {@code client}.
     * Calls recorded later, by this process or another writing the same store, are found too.
     * Closing it closes {@code client}, not the store.
     *
     * @throws IllegalArgumentException when the store is not one of LLM Bridge's, or
     *                                  {@code maxAge} is not positive
     * @throws io.github.llmbridge.tracing.TraceStoreException when the store cannot be read
     */
    public static CachingChatClient cache(ChatClient client, TraceStore store, CacheScope scope, Duration maxAge) {
        return new CachingChatClient(
                client, store, false, Objects.requireNonNull(scope, "scope"), maxAge, Clock.systemUTC());
    }

    /**
     * Returns a client that answers every call from {@code store} and fails a call it cannot
     * answer with {@link ReplayMissException}; {@code client} is never called (it is closed with
     * this client). The store is read once, when this client is created.
     *
     * @throws IllegalArgumentException when the store is not one of LLM Bridge's
     * @throws io.github.llmbridge.tracing.TraceStoreException when the store cannot be read
     */
    public static CachingChatClient replay(ChatClient client, TraceStore store) {
        return new CachingChatClient(client, store, false, null, null, Clock.systemUTC());
    }

    /** As {@link #cache}, with a clock (tests). */
    static CachingChatClient cache(
            ChatClient client, TraceStore store, CacheScope scope, Duration maxAge, Clock clock) {
        return new CachingChatClient(client, store, false, scope, maxAge, clock);
    }

    /** As {@link #replay}, closing the store with the client (the {@code LLM_REPLAY_DB} decorator's). */
    public static CachingChatClient replayOwningStore(ChatClient client, TraceStore store) {
        return new CachingChatClient(client, store, true, null, null, Clock.systemUTC());
    }

    /** Returns whether a reply was given by a cache or replay rather than a backend. */
    public static boolean isCached(ChatResponse response) {
        return "hit".equals(response.headers().get(CACHE_HEADER));
    }

    /** Returns whether a streamed chunk was given by a cache or replay (a hit's one chunk). */
    public static boolean isCached(ChatChunk chunk) {
        JsonNode marker = chunk.raw().get(CACHE_HEADER);
        return marker != null && "hit".equals(marker.asText());
    }

    /** Returns the trace id of the call whose answer a cached reply repeats. */
    public static Optional<String> cachedTraceId(ChatResponse response) {
        return isCached(response) ? Optional.ofNullable(response.headers().get(CACHED_TRACE_HEADER)) : Optional.empty();
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        Lookup found = look(request);
        if (found.failure() != null) {
            return Futures.failed(found.failure());
        }
        if (found.hit() != null) {
            return CompletableFuture.completedFuture(found.hit());
        }
        return delegate.chatAsync(request);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A hit is delivered as one chunk holding the whole recorded reply (see
     * {@link #isCached(ChatChunk)}), and the future completes with the same marked reply as
     * {@link #chatAsync}; the backend is not called. A miss streams from the wrapped client; in
     * replay it fails with {@link ReplayMissException} before any chunk.
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        Lookup found = look(request);
        if (found.failure() != null) {
            return Futures.failed(found.failure());
        }
        if (found.hit() != null) {
            try {
                ChatChunks.deliver(onChunk, cachedChunk(found.hit()));
            } catch (LlmException e) { // the handler threw: the call ends as a live stream's would
                return Futures.failed(e);
            }
            return CompletableFuture.completedFuture(found.hit());
        }
        return delegate.streamAsync(request, onChunk);
    }

    /** What the store says about one request: a reply, a failure, or neither (ask the wrapped client). */
    private record Lookup(ChatResponse hit, LlmException failure) {
        static final Lookup PASS = new Lookup(null, null);
    }

    /** Looks the request up and counts the outcome; shared by the plain and the streamed call. */
    private Lookup look(ChatRequest request) {
        boolean replay = scope == null;
        if (!replay && !scope.covers(request)) {
            bypassed.incrementAndGet();
            return Lookup.PASS;
        }
        long start = System.nanoTime();
        String hash = RequestHash.of(request);
        ChatResponse hit;
        try {
            hit = lookup(hash, start);
            if (hit == null && !replay) {
                index.catchUp(false); // another process, or an earlier call of this one, may have recorded it since
                hit = lookup(hash, start);
            }
        } catch (TraceStoreException e) {
            if (replay) {
                return new Lookup(null, LlmException.from(e));
            }
            // The store is unreachable (a database server restarting): the backend answers meanwhile.
            unavailable.incrementAndGet();
            log.warn("Cache lookup in {} failed, calling the backend: {}", store, e.getMessage());
            return Lookup.PASS;
        }
        if (hit != null) {
            hits.incrementAndGet();
            return new Lookup(hit, null);
        }
        misses.incrementAndGet();
        if (replay) {
            return new Lookup(null, new ReplayMissException(hash, request.model(), store.toString()));
        }
        return Lookup.PASS;
    }

    /**
     * The one chunk of a streamed hit: the whole reply, its raw JSON a chunk-shaped object that
     * carries the two cache headers as fields, since a chunk has no headers.
     */
    private static ChatChunk cachedChunk(ChatResponse hit) {
        ChatChunk whole = ChatChunks.whole(hit);
        ObjectNode raw = Json.MAPPER.createObjectNode();
        raw.put("id", hit.id());
        raw.put("object", "chat.completion.chunk");
        raw.put("model", hit.model());
        raw.put(CACHE_HEADER, "hit");
        raw.put(CACHED_TRACE_HEADER, hit.headers().get(CACHED_TRACE_HEADER));
        ChatChunk.Builder b = ChatChunk.builder()
                .id(whole.id())
                .model(whole.model())
                .usage(whole.usage().orElse(null))
                .raw(raw);
        whole.cost().ifPresent(b::cost);
        whole.choices().forEach(b::choice);
        return b.build();
    }

    private ChatResponse lookup(String hash, long start) {
        AnswerIndex.Entry entry = index.find(hash);
        if (entry == null) {
            return null;
        }
        if (maxAge != null && entry.startedAtMs() < clock.millis() - maxAge.toMillis()) {
            return null;
        }
        Optional<TraceRecord> record = calls.at(entry.position());
        if (record.isEmpty()) {
            return null; // deleted with plain SQL since it was indexed
        }
        try {
            return RecordedReply.of(record.get(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Recorded call {} cannot be read back as a reply ({}); calling as if it were not recorded",
                    record.get().traceId(),
                    e.getMessage());
            return null;
        }
    }

    /** Returns the calls answered from the store. */
    public long hitCount() {
        return hits.get();
    }

    /** Returns the calls the store could not answer (passed on, or failed in replay). */
    public long missCount() {
        return misses.get();
    }

    /** Returns the calls passed on because the store could not be read (each one logged). */
    public long unavailableCount() {
        return unavailable.get();
    }

    /** Returns the calls passed on without a look, because the scope does not cover them. */
    public long bypassCount() {
        return bypassed.get();
    }

    /** Returns this client if it is of the given type, else asks the wrapped one. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : delegate.unwrap(type);
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    /** Closes the wrapped client, and the store when this client owns it. */
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

    @Override
    public String toString() {
        return "CachingChatClient[" + (scope == null ? "replay" : scope.name().toLowerCase(java.util.Locale.ROOT))
                + ", " + store + ", hits=" + hits + ", misses=" + misses + ", bypassed=" + bypassed + "]";
    }
}
