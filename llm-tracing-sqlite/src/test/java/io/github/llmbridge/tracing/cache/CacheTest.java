package io.github.llmbridge.tracing.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import io.github.llmbridge.tracing.TracingChatClient;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache and replay over a SQLite store: what is answered from the traces, and what is not. */
class CacheTest {

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

    @Test
    void aRecordedDeterministicCallIsAnsweredFromTheStoreMarkedAndTracedWithALinkToTheOriginal() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(
                        CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null), store)) {
            ChatResponse first = client.chat(judge("2+2?"));
            assertThat(store.flush(FLUSH)).isTrue();
            ChatResponse second = client.chat(judge("2+2?"));

            assertThat(backendCalls).hasValue(1);
            assertThat(CachingChatClient.isCached(first)).isFalse();
            assertThat(CachingChatClient.isCached(second)).isTrue();
            assertThat(second.content()).isEqualTo(first.content());
            assertThat(second.backend()).isEqualTo("cache");
            assertThat(second.cost()).hasValue(0.0);
            assertThat(second.usage()).isEqualTo(first.usage());
            assertThat(second.id()).isEqualTo(first.id());

            assertThat(store.flush(FLUSH)).isTrue();
            List<TraceRecord> traces = store.find(TraceQuery.builder().build()).stream()
                    .sorted(Comparator.comparing(TraceRecord::startedAt))
                    .toList();
            assertThat(traces).hasSize(2);
            TraceRecord original = traces.get(0);
            TraceRecord cached = traces.get(1);
            assertThat(CachingChatClient.cachedTraceId(second)).hasValue(original.traceId());
            assertThat(original.backend()).isEqualTo("fake");
            assertThat(cached.backend()).isEqualTo("cache");
            assertThat(cached.cost()).isEqualTo(0.0);
            assertThat(cached.status()).isEqualTo(TraceStatus.OK);
            assertThat(cached.responseId()).isEqualTo(original.responseId()).isNotNull();
            assertThat(cached.responseJson()).isEqualTo(original.responseJson());
        }
    }

    @Test
    void aRequestThatDiffersInModelMessagesOrSamplingIsAMiss() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(
                        CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null), store)) {
            client.chat(judge("2+2?"));
            assertThat(store.flush(FLUSH)).isTrue();

            client.chat(ChatRequest.builder()
                    .model("other")
                    .user("2+2?")
                    .temperature(0.0)
                    .build());
            client.chat(judge("2+3?"));
            client.chat(ChatRequest.builder()
                    .model("judge")
                    .user("2+2?")
                    .temperature(0.0)
                    .maxTokens(5)
                    .build());

            assertThat(backendCalls).hasValue(4);
            assertThat(client.unwrap(CachingChatClient.class).orElseThrow().missCount())
                    .isEqualTo(4);
        }
    }

    @Test
    void metadataTagsAndTheSessionDoNotChangeWhatIsAsked() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(
                        CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null), store)) {
            client.chat(judge("2+2?"));
            assertThat(store.flush(FLUSH)).isTrue();
            try (LlmSession ignored = LlmSession.open("step-412", Map.of("epoch", 3))) {
                ChatResponse reply = client.chat(ChatRequest.builder()
                        .model("judge")
                        .user("2+2?")
                        .temperature(0.0)
                        .metadata("rubric", "math")
                        .tags("judge")
                        .build());
                assertThat(CachingChatClient.isCached(reply)).isTrue();
            }
            assertThat(backendCalls).hasValue(1);
        }
    }

    @Test
    void aSampledRequestReachesTheBackendEveryTimeUnlessTheScopeIsAll() {
        ChatRequest sampled = ChatRequest.builder()
                .model("m")
                .user("write a poem")
                .temperature(0.7)
                .build();
        ChatRequest unset =
                ChatRequest.builder().model("m").user("write a poem").build();
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            try (CachingChatClient cache =
                            CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null);
                    ChatClient client = TracingChatClient.wrap(cache, store)) {
                client.chat(sampled);
                client.chat(unset);
                assertThat(store.flush(FLUSH)).isTrue();
                client.chat(sampled);
                client.chat(unset);
                assertThat(backendCalls).hasValue(4);
                assertThat(cache.bypassCount()).isEqualTo(4);
                assertThat(cache.hitCount()).isZero();
            }
            try (ChatClient all = CachingChatClient.cache(countingBackend(), store, CacheScope.ALL, null)) {
                assertThat(CachingChatClient.isCached(all.chat(sampled))).isTrue();
                assertThat(CachingChatClient.isCached(all.chat(unset))).isTrue();
                assertThat(backendCalls).hasValue(4);
            }
        }
    }

    @Test
    void aSeedMakesASampledRequestDeterministic() {
        ChatRequest seeded = ChatRequest.builder()
                .model("m")
                .user("write a poem")
                .temperature(0.7)
                .seed(42L)
                .build();
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(
                        CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null), store)) {
            client.chat(seeded);
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(CachingChatClient.isCached(client.chat(seeded))).isTrue();
            assertThat(backendCalls).hasValue(1);
        }
    }

    @Test
    void anAnswerOlderThanTheMaximumAgeIsNotGiven() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            try (ChatClient client = TracingChatClient.wrap(countingBackend(), store)) {
                client.chat(judge("2+2?"));
            }
            assertThat(store.flush(FLUSH)).isTrue();
            Clock twoHoursLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
            try (ChatClient stale = CachingChatClient.cache(
                    countingBackend(), store, CacheScope.DETERMINISTIC, Duration.ofHours(1), twoHoursLater)) {
                assertThat(CachingChatClient.isCached(stale.chat(judge("2+2?"))))
                        .isFalse();
                assertThat(backendCalls).hasValue(2);
            }
            try (ChatClient fresh = CachingChatClient.cache(
                    countingBackend(), store, CacheScope.DETERMINISTIC, Duration.ofHours(3), twoHoursLater)) {
                assertThat(CachingChatClient.isCached(fresh.chat(judge("2+2?"))))
                        .isTrue();
                assertThat(backendCalls).hasValue(2);
            }
        }
    }

    @Test
    void aFailedCallIsNeverAnAnswer() {
        AtomicInteger attempts = new AtomicInteger();
        FakeChatClient failingOnce = new FakeChatClient(
                "fake",
                r -> attempts.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.SERVER_ERROR, "boom")
                                .build())
                        : CompletableFuture.completedFuture(FakeChatClient.reply(r)));
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(
                        CachingChatClient.cache(failingOnce, store, CacheScope.DETERMINISTIC, null), store)) {
            assertThatThrownBy(() -> client.chat(judge("2+2?"))).isInstanceOf(LlmException.class);
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(CachingChatClient.isCached(client.chat(judge("2+2?")))).isFalse();
            assertThat(attempts).hasValue(2);
        }
    }

    @Test
    void answersAnotherStoreRecordsInTheSameDatabaseAfterTheCacheOpenedAreFound() {
        try (SqliteTraceStore mine = SqliteTraceStore.open(db);
                SqliteTraceStore another = SqliteTraceStore.open(db);
                ChatClient cached = CachingChatClient.cache(countingBackend(), mine, CacheScope.DETERMINISTIC, null)) {
            try (ChatClient other = TracingChatClient.wrap(countingBackend(), another)) {
                other.chat(judge("2+2?"));
            }
            assertThat(another.flush(FLUSH)).isTrue();

            assertThat(CachingChatClient.isCached(cached.chat(judge("2+2?")))).isTrue();
            assertThat(backendCalls).hasValue(1);
        }
    }

    @Test
    void replayAnswersARecordedRunAndFailsAnyOtherCallNamingItsHash() {
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                ChatClient client = TracingChatClient.wrap(countingBackend(), store)) {
            client.chat(ChatRequest.builder()
                    .model("judge")
                    .user("sampled")
                    .temperature(1.0)
                    .build());
        }
        FakeChatClient unreachable = new FakeChatClient("offline", r -> {
            throw new AssertionError("replay called the backend");
        });
        ChatRequest other = judge("never asked");
        try (ChatClient replay = CachingChatClient.replayOwningStore(unreachable, SqliteTraceStore.open(db))) {
            ChatResponse answer = replay.chat(ChatRequest.builder()
                    .model("judge")
                    .user("sampled")
                    .temperature(1.0)
                    .build());
            assertThat(answer.content()).isEqualTo("echo: sampled");
            assertThat(CachingChatClient.isCached(answer)).isTrue();

            assertThatThrownBy(() -> replay.chat(other))
                    .isInstanceOfSatisfying(ReplayMissException.class, e -> {
                        assertThat(e.requestHash()).isEqualTo(RequestHash.of(other));
                        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                        assertThat(e.isRetryable()).isFalse();
                    })
                    .hasMessageContaining("request hash " + RequestHash.of(other))
                    .hasMessageContaining("LLM_REPLAY_DB");
        }
        assertThat(backendCalls).hasValue(1);
        assertThat(unreachable.closed).isTrue();
    }

    @Test
    void aStoreThatCannotBeReadLetsTheBackendAnswerAndIsCounted() {
        SqliteTraceStore store = SqliteTraceStore.open(db);
        try (CachingChatClient cache =
                CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null)) {
            store.close(); // as unreadable as a database server that went away

            ChatResponse reply = cache.chat(judge("2+2?"));

            assertThat(reply.content()).isEqualTo("echo: 2+2?");
            assertThat(backendCalls).hasValue(1);
            assertThat(cache.unavailableCount()).isEqualTo(1);
        }
    }
}
