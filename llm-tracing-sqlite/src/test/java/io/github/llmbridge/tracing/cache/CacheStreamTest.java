package io.github.llmbridge.tracing.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.testing.ScriptedStream;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import io.github.llmbridge.tracing.TracingChatClient;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed calls through the cache and replay: a hit is one marked chunk, a miss streams from beneath. */
class CacheStreamTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path db;
    private final AtomicInteger backendCalls = new AtomicInteger();

    @BeforeEach
    void newDatabase() {
        db = dir.resolve("traces.db");
    }

    private FakeChatClient countingBackend() {
        return new FakeChatClient("fake", r -> {
            backendCalls.incrementAndGet();
            return CompletableFuture.completedFuture(FakeChatClient.reply(r));
        });
    }

    private static ChatRequest judge(String text) {
        return ChatRequest.builder().model("judge").user(text).temperature(0.0).build();
    }

    /** Records one answer to {@code request} in the store, as a plain traced call. */
    private void record(SqliteTraceStore store, ChatRequest request) {
        try (ChatClient recording = TracingChatClient.wrap(countingBackend(), store)) {
            recording.chat(request);
        }
        assertThat(store.flush(FLUSH)).isTrue();
    }

    @Test
    void aStreamedHitIsOneMarkedChunkWithTheWholeAnswerAndNoBackendCall() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            record(store, judge("2+2?"));
            String original = store.find(TraceQuery.builder().build()).get(0).traceId();
            ScriptedChatClient beneath = new ScriptedChatClient(); // no steps: any call to it fails
            try (CachingChatClient cache = CachingChatClient.cache(beneath, store, CacheScope.DETERMINISTIC, null);
                    ChatClient client = TracingChatClient.wrap(cache, store)) {
                List<ChatChunk> chunks = new ArrayList<>();
                ChatResponse reply =
                        client.streamAsync(judge("2+2?"), chunks::add).join();

                assertThat(chunks).hasSize(1);
                ChatChunk only = chunks.get(0);
                assertThat(only.content()).isEqualTo("echo: 2+2?");
                assertThat(only.finishReason()).hasValue(FinishReason.STOP);
                assertThat(only.usage()).hasValue(new Usage(10, 5, 15, 2, 1));
                assertThat(only.cost()).hasValue(0.0);
                assertThat(CachingChatClient.isCached(only)).isTrue();
                assertThat(only.raw().get(CachingChatClient.CACHED_TRACE_HEADER).asText())
                        .isEqualTo(original);

                assertThat(reply.content()).isEqualTo("echo: 2+2?");
                assertThat(reply.backend()).isEqualTo("cache");
                assertThat(CachingChatClient.cachedTraceId(reply)).hasValue(original);
                assertThat(cache.hitCount()).isEqualTo(1);
                assertThat(cache.missCount()).isZero();
                assertThat(beneath.calls()).isEmpty();
                assertThat(backendCalls).hasValue(1); // the recording call only
            }
            assertThat(store.flush(FLUSH)).isTrue();
            TraceRecord cached = store.find(TraceQuery.builder().build()).stream()
                    .max(Comparator.comparing(TraceRecord::startedAt))
                    .orElseThrow();
            assertThat(cached.backend()).isEqualTo("cache");
            assertThat(cached.status()).isEqualTo(TraceStatus.OK);
            assertThat(cached.stream().chunks()).isEqualTo(1);
            assertThat(cached.stream().endedCleanly()).isTrue();
            assertThat(cached.stream().timeToFirstToken()).isNotNull();
        }
    }

    @Test
    void theBlockingStreamOfAHitYieldsTheOneMarkedChunk() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            record(store, judge("2+2?"));
            try (CachingChatClient cache =
                            CachingChatClient.cache(new ScriptedChatClient(), store, CacheScope.DETERMINISTIC, null);
                    ChatStream stream = cache.stream(judge("2+2?"))) {
                List<ChatChunk> chunks = new ArrayList<>();
                stream.forEach(chunks::add);

                assertThat(chunks).extracting(ChatChunk::content).containsExactly("echo: 2+2?");
                assertThat(CachingChatClient.isCached(chunks.get(0))).isTrue();
                assertThat(CachingChatClient.isCached(stream.response().join())).isTrue();
            }
        }
    }

    /**
     * A streaming backend double: delivers its answer in two chunks and completes with the reply
     * whose raw body is a {@code chat.completion}, as the transport's assembled reply is.
     */
    private final class TwoChunkBackend implements ChatClient {
        final AtomicInteger streamed = new AtomicInteger();

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            throw new AssertionError("the cache turned a streamed miss into a plain call");
        }

        @Override
        public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
            streamed.incrementAndGet();
            backendCalls.incrementAndGet();
            ChatResponse reply = FakeChatClient.reply(request);
            String content = reply.content();
            onChunk.accept(ChatChunk.ofContent(content.substring(0, 4)));
            onChunk.accept(ChatChunk.ofContent(content.substring(4)));
            return CompletableFuture.completedFuture(reply);
        }

        @Override
        public String backend() {
            return "fake";
        }

        @Override
        public void close() {}
    }

    @Test
    void aStreamedMissStreamsFromTheLayerBeneathAndItsTracedAnswerIsThenAHit() {
        TwoChunkBackend beneath = new TwoChunkBackend();
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                CachingChatClient cache = CachingChatClient.cache(beneath, store, CacheScope.DETERMINISTIC, null);
                ChatClient client = TracingChatClient.wrap(cache, store)) {
            List<ChatChunk> chunks = new ArrayList<>();
            ChatResponse live = client.streamAsync(judge("hi"), chunks::add).join();

            assertThat(chunks).extracting(ChatChunk::content).containsExactly("echo", ": hi");
            assertThat(chunks).noneMatch(CachingChatClient::isCached);
            assertThat(CachingChatClient.isCached(live)).isFalse();
            assertThat(cache.missCount()).isEqualTo(1);
            assertThat(beneath.streamed).hasValue(1);

            // The streamed answer was traced, so the same request streamed again is a hit.
            assertThat(store.flush(FLUSH)).isTrue();
            List<ChatChunk> again = new ArrayList<>();
            ChatResponse hit = client.streamAsync(judge("hi"), again::add).join();
            assertThat(again).extracting(ChatChunk::content).containsExactly("echo: hi");
            assertThat(CachingChatClient.isCached(hit)).isTrue();
            assertThat(beneath.streamed).hasValue(1);
            assertThat(cache.hitCount()).isEqualTo(1);
        }
    }

    @Test
    void aStreamedSampledRequestBypassesTheCacheAndStreamsFromBeneath() {
        ChatRequest sampled =
                ChatRequest.builder().model("m").user("a poem").temperature(0.7).build();
        ScriptedChatClient beneath = new ScriptedChatClient().stream(ScriptedStream.of("ro", "ses"));
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                CachingChatClient cache = CachingChatClient.cache(beneath, store, CacheScope.DETERMINISTIC, null)) {
            List<String> seen = new ArrayList<>();
            cache.streamAsync(sampled, c -> seen.add(c.content())).join();

            assertThat(seen).containsExactly("ro", "ses");
            assertThat(beneath.calls()).hasSize(1);
            assertThat(cache.bypassCount()).isEqualTo(1);
            assertThat(cache.missCount()).isZero();
        }
    }

    @Test
    void aStreamedReplayMissFailsWithTheRequestHashBeforeAnyChunk() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            record(store, judge("recorded"));
        }
        ScriptedChatClient unreachable = new ScriptedChatClient();
        ChatRequest other = judge("never asked");
        try (CachingChatClient replay = CachingChatClient.replayOwningStore(unreachable, SqliteTraceStore.open(db))) {
            List<ChatChunk> chunks = new ArrayList<>();
            CompletableFuture<ChatResponse> call = replay.streamAsync(other, chunks::add);

            assertThatThrownBy(call::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(ReplayMissException.class, e -> {
                        assertThat(e.requestHash()).isEqualTo(RequestHash.of(other));
                        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                        assertThat(e.isRetryable()).isFalse();
                    })
                    .hasMessageContaining("request hash " + RequestHash.of(other));
            assertThat(chunks).isEmpty();
            assertThat(unreachable.calls()).isEmpty();
            assertThat(replay.missCount()).isEqualTo(1);

            List<ChatChunk> recorded = new ArrayList<>();
            ChatResponse answer =
                    replay.streamAsync(judge("recorded"), recorded::add).join();
            assertThat(recorded).extracting(ChatChunk::content).containsExactly("echo: recorded");
            assertThat(CachingChatClient.isCached(answer)).isTrue();
        }
    }

    @Test
    void aHandlerThatThrowsOnAHitEndsTheCallCancelled() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            record(store, judge("2+2?"));
            IllegalStateException boom = new IllegalStateException("reader gave up");
            try (CachingChatClient cache =
                    CachingChatClient.cache(new ScriptedChatClient(), store, CacheScope.DETERMINISTIC, null)) {
                CompletableFuture<ChatResponse> call = cache.streamAsync(judge("2+2?"), c -> {
                    throw boom;
                });

                assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getCause()).isSameAs(boom);
                });
                assertThat(cache.hitCount()).isEqualTo(1);
            }
        }
    }
}
