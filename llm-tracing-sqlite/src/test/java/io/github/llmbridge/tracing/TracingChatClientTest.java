package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the decorator records for each call: sessions, outcomes, attempts, and that rows reach the file. */
class TracingChatClientTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SqliteTraceStore store;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeEach
    void openStore() {
        store = SqliteTraceStore.open(dir.resolve("nested/dirs/traces.db"));
    }

    @AfterEach
    void closeStore() {
        store.close();
        pool.shutdownNow();
    }

    private static ChatRequest request(String text) {
        return ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .system("grade")
                .user(text)
                .temperature(0.0)
                .build();
    }

    @Test
    void recordsASuccessfulCallWithEveryColumn() {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        ChatRequest request = request("2+2?").toBuilder()
                .metadata("rubric", "math")
                .tags("judge", "v2")
                .build();
        Instant before = Instant.now();

        ChatResponse reply = client.chat(request);

        assertThat(reply.content()).isEqualTo("echo: 2+2?");
        assertThat(store.flush(FLUSH)).isTrue();
        List<TraceRecord> all = store.find(TraceQuery.builder().build());
        assertThat(all).hasSize(1);
        TraceRecord t = all.get(0);
        assertThat(t.traceId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(t.startedAt()).isBetween(before.minusMillis(1), Instant.now());
        assertThat(t.sessionName()).isNull();
        assertThat(t.sessionUids()).isEmpty();
        assertThat(t.metadata()).isEqualTo(Map.of("rubric", "math"));
        assertThat(t.tags()).containsExactly("judge", "v2");
        assertThat(t.backend()).isEqualTo("fake");
        assertThat(t.modelRequested()).isEqualTo("openai/gpt-4o-mini");
        assertThat(t.modelUsed()).isEqualTo("openai/gpt-4o-mini-2024");
        assertThat(t.status()).isEqualTo(TraceStatus.OK);
        assertThat(t.errorCategory()).isNull();
        assertThat(t.errorMessage()).isNull();
        assertThat(t.httpStatus()).isZero();
        assertThat(t.attemptCount()).isEqualTo(1);
        assertThat(t.attempts()).isEmpty();
        assertThat(t.latency()).isPositive();
        assertThat(t.usage()).isEqualTo(new Usage(10, 5, 15, 2, 1));
        assertThat(t.cost()).isEqualTo(0.25);
        assertThat(t.responseId()).isEqualTo("chatcmpl-1");
        assertThat(t.generationId()).isNull();
        assertThat(t.finishReason()).isEqualTo("stop");
        assertThat(t.requestJson())
                .isEqualTo("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"system\","
                        + "\"content\":\"grade\"},{\"role\":\"user\",\"content\":\"2+2?\"}],\"temperature\":0.0}");
        assertThat(t.responseJson())
                .isEqualTo(
                        "{\"id\":\"chatcmpl-1\",\"model\":\"openai/gpt-4o-mini-2024\","
                                + "\"choices\":[{\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"echo: 2+2?\"}}]}");
    }

    @Test
    void recordsTheSessionNameUidChainAndMergedMetadata() {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        String outerUid;
        String innerUid;
        try (LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3, "judge", "a"))) {
            outerUid = step.uid();
            try (LlmSession rollout = LlmSession.open(null, Map.of("rollout", 7, "judge", "b"))) {
                innerUid = rollout.uid();
                client.chat(request("x").toBuilder().metadata("judge", "c").build());
            }
        }
        client.chat(request("outside"));
        assertThat(store.flush(FLUSH)).isTrue();

        List<TraceRecord> inSession = store.findBySessionName("step-42");
        assertThat(inSession).hasSize(1);
        TraceRecord t = inSession.get(0);
        assertThat(t.sessionUids()).containsExactly(outerUid, innerUid);
        assertThat(t.metadata()).isEqualTo(Map.of("epoch", 3, "rollout", 7, "judge", "c"));
        assertThat(store.find(TraceQuery.builder().build())).hasSize(2);
    }

    @Test
    void tenRapidCallsAreAllRecordedNewestFirst() {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        try (LlmSession ignored = LlmSession.open("rapid")) {
            for (int i = 0; i < 10; i++) {
                client.chat(request("call " + i));
            }
        }
        assertThat(store.flush(FLUSH)).isTrue();
        List<String> contents = store.findBySessionName("rapid").stream()
                .map(TraceRecord::requestJson)
                .map(json -> json.replaceAll(".*\"content\":\"(call \\d)\".*", "$1"))
                .toList();
        assertThat(contents)
                .containsExactly(
                        "call 9", "call 8", "call 7", "call 6", "call 5", "call 4", "call 3", "call 2", "call 1",
                        "call 0");
    }

    @Test
    void flushedRowsAreReadableFromASecondConnection() throws Exception {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        try (LlmSession ignored = LlmSession.open("sql")) {
            for (int i = 0; i < 3; i++) {
                client.chat(request("q" + i));
            }
        }
        assertThat(store.flush(FLUSH)).isTrue();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT count(*), sum(total_tokens), sum(cost), min(status), max(session_name)"
                                + " FROM traces")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(3);
            assertThat(r.getLong(2)).isEqualTo(45);
            assertThat(r.getDouble(3)).isEqualTo(0.75);
            assertThat(r.getString(4)).isEqualTo("ok");
            assertThat(r.getString(5)).isEqualTo("sql");
        }
    }

    @Test
    void findsCallsByNameAndByAnyUidInTheChain() {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        String stepUid;
        List<String> rolloutUids = new ArrayList<>();
        try (LlmSession step = LlmSession.open("step-1")) {
            stepUid = step.uid();
            client.chat(request("step call"));
            for (int i = 0; i < 2; i++) {
                try (LlmSession rollout = LlmSession.open("rollout-" + i)) {
                    rolloutUids.add(rollout.uid());
                    client.chat(request("rollout call " + i));
                }
            }
        }
        try (LlmSession other = LlmSession.open("step-1")) {
            client.chat(request("same name, other session"));
        }
        assertThat(store.flush(FLUSH)).isTrue();

        assertThat(store.findBySessionName("step-1")).hasSize(2);
        assertThat(store.findBySessionName("rollout-0")).hasSize(1);
        assertThat(store.findBySessionUid(stepUid))
                .hasSize(3)
                .allSatisfy(t -> assertThat(t.sessionUids().get(0)).isEqualTo(stepUid));
        assertThat(store.findBySessionUid(rolloutUids.get(1)))
                .singleElement()
                .satisfies(t -> assertThat(t.sessionName()).isEqualTo("rollout-1"))
                .satisfies(t -> assertThat(t.sessionUids()).containsExactly(stepUid, rolloutUids.get(1)));
        assertThat(store.findBySessionUid("no-such-uid")).isEmpty();
    }

    @Test
    void fiveConcurrentSessionsOnDifferentThreadsKeepTheirOwnCalls() throws Exception {
        // Replies complete on the pool, so completions of one session run beside calls of another.
        TracingChatClient client = TracingChatClient.wrap(
                new FakeChatClient("fake", r -> CompletableFuture.supplyAsync(() -> FakeChatClient.reply(r), pool)),
                store);
        ExecutorService callers = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> uids = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            String name = "session-" + s;
            uids.add(callers.submit(() -> {
                start.await();
                try (LlmSession session = LlmSession.open(name, Map.of("n", name))) {
                    for (int c = 0; c < 3; c++) {
                        client.chat(request(name + " call " + c));
                    }
                    return session.uid();
                }
            }));
        }
        start.countDown();
        for (int s = 0; s < 5; s++) {
            String uid = uids.get(s).get(30, TimeUnit.SECONDS);
            String name = "session-" + s;
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(store.findBySessionName(name)).hasSize(3).allSatisfy(t -> {
                assertThat(t.sessionUids()).containsExactly(uid);
                assertThat(t.metadata()).isEqualTo(Map.of("n", name));
                assertThat(t.requestJson()).contains(name + " call ");
            });
        }
        callers.shutdownNow();
        assertThat(store.find(TraceQuery.builder().build())).hasSize(15);
    }

    @Test
    void asyncCallsCompletingOnPoolThreadsKeepTheSessionOfTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TracingChatClient client = TracingChatClient.wrap(
                new FakeChatClient(
                        "fake",
                        r -> CompletableFuture.supplyAsync(
                                () -> {
                                    // The completing thread has a session of its own: it must not be the one recorded.
                                    try (LlmSession poolSession = LlmSession.open("pool-thread")) {
                                        await(release);
                                        return FakeChatClient.reply(r);
                                    }
                                },
                                pool)),
                store);
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        String uid;
        try (LlmSession caller = LlmSession.open("caller", Map.of("who", "caller"))) {
            uid = caller.uid();
            for (int i = 0; i < 4; i++) {
                calls.add(client.chatAsync(request("async " + i)));
            }
        }
        assertThat(LlmSession.current()).isEmpty();
        release.countDown();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(store.flush(FLUSH)).isTrue();
        assertThat(store.findBySessionName("caller"))
                .hasSize(4)
                .allSatisfy(t -> assertThat(t.sessionUids()).containsExactly(uid));
        assertThat(store.findBySessionName("pool-thread")).isEmpty();
    }

    @Test
    void recordsAFailureWithItsCategoryStatusAndAttempts() {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        List<Attempt> history = List.of(
                new Attempt(
                        "openai/gpt-4o-mini",
                        t0,
                        Duration.ofMillis(120),
                        429,
                        ErrorCategory.RATE_LIMITED,
                        Duration.ofMillis(1000)),
                new Attempt(
                        "openai/gpt-4o-mini",
                        t0.plusSeconds(2),
                        Duration.ofMillis(80),
                        503,
                        ErrorCategory.SERVER_ERROR,
                        Duration.ofMillis(2000)),
                new Attempt(
                        "anthropic/claude-3-haiku",
                        t0.plusSeconds(5),
                        Duration.ofMillis(95),
                        429,
                        ErrorCategory.RATE_LIMITED,
                        Duration.ZERO));
        LlmException failure = LlmException.builder(ErrorCategory.RATE_LIMITED, "rate limited: slow down")
                .httpStatus(429)
                .backend("fake")
                .model("openai/gpt-4o-mini")
                .attempts(history)
                .build();
        TracingChatClient client =
                TracingChatClient.wrap(new FakeChatClient("fake", r -> CompletableFuture.failedFuture(failure)), store);

        assertThatThrownBy(() -> client.chat(request("judge this"))).isSameAs(failure);

        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(
                        TraceQuery.builder().status(TraceStatus.FAILED).build())
                .get(0);
        assertThat(t.status()).isEqualTo(TraceStatus.FAILED);
        assertThat(t.errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(t.errorMessage()).isEqualTo("rate limited: slow down");
        assertThat(t.httpStatus()).isEqualTo(429);
        assertThat(t.attemptCount()).isEqualTo(3);
        assertThat(t.attempts()).isEqualTo(history);
        assertThat(t.modelUsed()).isNull();
        assertThat(t.usage()).isEqualTo(Usage.EMPTY);
        assertThat(t.cost()).isNull();
        assertThat(t.responseJson()).isNull();
        assertThat(store.find(TraceQuery.builder().status(TraceStatus.OK).build()))
                .isEmpty();
    }

    @Test
    void recordsEachAttemptsConcurrencyLimitOverloadSignalAndCallIdAndTheLastCallIdWithoutAnAnswer() {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        List<Attempt> history = List.of(
                new Attempt(
                        "gpt-4o-mini",
                        t0,
                        Duration.ofMillis(40),
                        429,
                        ErrorCategory.RATE_LIMITED,
                        Duration.ofMillis(500),
                        "call-1",
                        24,
                        "LiteLLM: no deployments available"),
                new Attempt(
                        "gpt-4o-mini",
                        t0.plusSeconds(1),
                        Duration.ofSeconds(30),
                        0,
                        ErrorCategory.TIMEOUT,
                        Duration.ZERO,
                        "call-2",
                        21,
                        null));
        LlmException failure = LlmException.builder(ErrorCategory.TIMEOUT, "no reply in time")
                .backend("litellm")
                .model("gpt-4o-mini")
                .attempts(history)
                .build();
        TracingChatClient client = TracingChatClient.wrap(
                new FakeChatClient("litellm", r -> CompletableFuture.failedFuture(failure)), store);

        assertThatThrownBy(() -> client.chat(request("judge this"))).isSameAs(failure);

        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(
                        TraceQuery.builder().status(TraceStatus.FAILED).build())
                .get(0);
        assertThat(t.attempts()).isEqualTo(history);
        assertThat(t.attempts().get(0).overloadSignal()).isEqualTo("LiteLLM: no deployments available");
        assertThat(t.litellmCallId())
                .as("no reply carried one: the id the last attempt was sent with")
                .isEqualTo("call-2");
    }

    @Test
    void recordsAFailureThatNeverReachedTheWireWithZeroAttempts() {
        LlmException failure = new LlmException(ErrorCategory.TIMEOUT, "timed out waiting for a slot");
        TracingChatClient client =
                TracingChatClient.wrap(new FakeChatClient("fake", r -> CompletableFuture.failedFuture(failure)), store);

        assertThatThrownBy(() -> client.chat(request("x"))).isSameAs(failure);

        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
        assertThat(t.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(t.attemptCount()).isZero();
        assertThat(t.httpStatus()).isZero();
    }

    @Test
    void recordsAFailOpenPlaceholderAsAFailureAndStillReturnsIt() {
        LlmException error = LlmException.builder(ErrorCategory.SERVER_ERROR, "upstream 503")
                .httpStatus(503)
                .attemptCount(5)
                .build();
        List<Attempt> history =
                List.of(Attempt.failed("m", Instant.parse("2025-01-01T00:00:00Z"), Duration.ofMillis(10), error)
                        .withWaitAfter(Duration.ofMillis(500)));
        ChatResponse placeholder = ChatResponse.builder()
                .model("")
                .backend("fake")
                .error(error)
                .attempts(history)
                .build();
        TracingChatClient client = TracingChatClient.wrap(
                new FakeChatClient("fake", r -> CompletableFuture.completedFuture(placeholder)), store);

        assertThat(client.chat(request("x"))).isSameAs(placeholder);

        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
        assertThat(t.status()).isEqualTo(TraceStatus.FAILED);
        assertThat(t.errorCategory()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(t.errorMessage()).isEqualTo("upstream 503");
        assertThat(t.httpStatus()).isEqualTo(503);
        assertThat(t.attemptCount()).isEqualTo(5);
        assertThat(t.attempts()).isEqualTo(history);
    }

    @Test
    void recordsProviderIdsFromHeadersAndOpenRouterGenerationIds() {
        TracingChatClient client = TracingChatClient.wrap(
                new FakeChatClient(
                        "litellm",
                        r -> CompletableFuture.completedFuture(FakeChatClient.reply(r).toBuilder()
                                .id("gen-123")
                                .backend("")
                                .headers(Map.of("x-litellm-call-id", "call-9"))
                                .build())),
                store);
        client.chat(request("x"));
        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
        assertThat(t.backend()).isEqualTo("litellm");
        assertThat(t.responseId()).isEqualTo("gen-123");
        assertThat(t.generationId()).isEqualTo("gen-123");
        assertThat(t.litellmCallId()).isEqualTo("call-9");
    }

    @Test
    void cancellingTheCallCancelsTheInnerCallAndRecordsIt() {
        CompletableFuture<ChatResponse> inner = new CompletableFuture<>();
        TracingChatClient client = TracingChatClient.wrap(new FakeChatClient("fake", r -> inner), store);

        CompletableFuture<ChatResponse> call = client.chatAsync(request("x"));
        assertThat(call.cancel(true)).isTrue();

        assertThat(inner).isCancelled();
        assertThat(store.flush(FLUSH)).isTrue();
        assertThat(store.find(TraceQuery.builder().build()))
                .singleElement()
                .satisfies(t -> assertThat(t.errorCategory()).isEqualTo(ErrorCategory.CANCELLED));
    }

    @Test
    void closingTheClientClosesTheBackendButNotASharedStore() {
        FakeChatClient backend = FakeChatClient.answering();
        TracingChatClient.wrap(backend, store).close();
        assertThat(backend.closed).isTrue();
        assertThat(store.flush(FLUSH)).isTrue();
        assertThat(store.find(TraceQuery.builder().build())).isEmpty();
        assertThat(TracingChatClient.storeOf(TracingChatClient.wrap(backend, store)))
                .containsSame(store);
        assertThat(TracingChatClient.storeOf(backend)).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
