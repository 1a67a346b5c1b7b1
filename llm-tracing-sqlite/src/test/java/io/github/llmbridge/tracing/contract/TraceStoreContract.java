package io.github.llmbridge.tracing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.FullQueuePolicy;
import io.github.llmbridge.tracing.LogprobSequence;
import io.github.llmbridge.tracing.StreamStats;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TraceSummary;
import io.github.llmbridge.tracing.TracingChatClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TraceStore} does, whatever its database: one suite, run by each store module
 * against its own store (SQLite: {@code SqliteTraceStoreTest}; PostgreSQL:
 * {@code PostgresTraceStoreTest}). A subclass says how to get a new database, open a store on it,
 * count its rows with plain SQL, and hold its write lock from another connection.
 */
public abstract class TraceStoreContract {

    /** The flush timeout of every test. */
    protected static final Duration FLUSH = Duration.ofSeconds(30);

    /** Store options a test asks for; each store maps them to its builder. */
    public record Options(int queueCapacity, int maxBatchSize, Duration maxBatchDelay, FullQueuePolicy policy) {
        /** The stores' defaults. */
        public static final Options DEFAULT = new Options(100_000, 1000, Duration.ofMillis(10), FullQueuePolicy.BLOCK);

        Options capacity(int n) {
            return new Options(n, maxBatchSize, maxBatchDelay, policy);
        }

        Options batch(int n) {
            return new Options(queueCapacity, n, maxBatchDelay, policy);
        }

        Options delay(Duration d) {
            return new Options(queueCapacity, maxBatchSize, d, policy);
        }

        Options policy(FullQueuePolicy p) {
            return new Options(queueCapacity, maxBatchSize, maxBatchDelay, p);
        }
    }

    /** Prepares a new, empty database for the next test; {@link #open} opens stores on it. */
    protected abstract void newDatabase() throws Exception;

    /** Opens a store on this test's database. */
    protected abstract TraceStore open(Options options);

    /** Counts the rows of {@code traces} with plain SQL on a connection of the test's own. */
    protected abstract long countRows() throws Exception;

    /** Returns how many traces the store has queued and not yet taken. */
    protected abstract int pending(TraceStore store);

    /**
     * Takes the database's write lock from another connection, as another process's writer
     * would; closing the returned handle releases it.
     */
    protected abstract AutoCloseable holdWriteLock() throws Exception;

    @BeforeEach
    void freshDatabase() throws Exception {
        newDatabase();
    }

    @Test
    void closeAfterTenThousandEnqueuedTracesLosesNone() throws Exception {
        TraceStore store = open(Options.DEFAULT);
        for (int i = 0; i < 10_000; i++) {
            assertThat(store.enqueue(Traces.ok(i)).toCompletableFuture()).isDone();
        }
        store.close();

        assertThat(countRows()).isEqualTo(10_000);
        assertThat(store.droppedCount()).isZero();
        assertThat(store.lostCount()).isZero();
    }

    @Test
    void flushReturnsTrueOnceEverythingEnqueuedBeforeIsCommittedWithoutWaitingForTheBatchDelay() throws Exception {
        try (TraceStore store = open(Options.DEFAULT.delay(Duration.ofSeconds(10)))) {
            for (int i = 0; i < 7; i++) {
                store.enqueue(Traces.ok(i));
            }
            long start = System.nanoTime();
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(countRows()).isEqualTo(7);
        }
    }

    @Test
    void dropPolicyCountsEveryDroppedTrace() throws Exception {
        try (TraceStore store = open(Options.DEFAULT.capacity(2).batch(1).policy(FullQueuePolicy.DROP))) {
            try (AutoCloseable lock = holdWriteLock()) {
                store.enqueue(Traces.ok(0));
                awaitPending(store, 0); // the writer took it and waits for the lock
                store.enqueue(Traces.ok(1));
                store.enqueue(Traces.ok(2)); // queue full now
                for (int i = 3; i < 6; i++) {
                    CompletionStage<Void> stage = store.enqueue(Traces.ok(i));
                    assertThat(stage.toCompletableFuture()).isDone();
                }
                assertThat(store.droppedCount()).isEqualTo(3);
            }
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(countRows()).isEqualTo(3);
        }
    }

    @Test
    void blockPolicyHoldsTheCallUntilItsTraceIsQueuedWithoutParkingAThread() throws Exception {
        try (TraceStore store = open(Options.DEFAULT.capacity(1).batch(1))) {
            CompletableFuture<ChatResponse> third;
            CompletableFuture<ChatResponse> fourth;
            try (AutoCloseable lock = holdWriteLock()) {
                TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
                client.chat(Traces.request("m", "first"));
                awaitPending(store, 0); // the writer holds the first and waits for the lock
                client.chat(Traces.request("m", "second")); // fills the queue

                third = client.chatAsync(Traces.request("m", "third"));
                fourth = client.chatAsync(Traces.request("m", "fourth"));

                // The backend answered at once, on this thread, which was not blocked: the futures wait instead.
                assertThat(third).isNotDone();
                assertThat(fourth).isNotDone();
                assertThat(store.droppedCount()).isZero();
            }
            assertThat(third.get(30, TimeUnit.SECONDS).content()).isEqualTo("echo: third");
            assertThat(fourth.get(30, TimeUnit.SECONDS).content()).isEqualTo("echo: fourth");
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(countRows()).isEqualTo(4);
        }
    }

    @Test
    void twoStoresWritingOneDatabaseConcurrentlyLoseNothing() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (TraceStore a = open(Options.DEFAULT.batch(100));
                TraceStore b = open(Options.DEFAULT.batch(100));
                LlmSession session = LlmSession.open("shared")) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (TraceStore store : List.of(a, b, a, b)) {
                writers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2_500; i++) {
                        store.enqueue(Traces.ok("m", Instant.now(), Duration.ofMillis(1), session));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertThat(a.flush(FLUSH)).isTrue();
            assertThat(b.flush(FLUSH)).isTrue();

            assertThat(countRows()).isEqualTo(10_000);
            assertThat(a.findBySessionUid(session.uid())).hasSize(10_000);
            assertThat(b.summary("shared").calls()).isEqualTo(10_000);
            assertThat(a.lostCount() + b.lostCount() + a.droppedCount() + b.droppedCount())
                    .isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void findFiltersByTimeModelAndStatusNewestFirst() {
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        LlmException error = new LlmException(ErrorCategory.SERVER_ERROR, "boom");
        try (TraceStore store = open(Options.DEFAULT)) {
            for (int i = 0; i < 10; i++) {
                Instant at = t0.plusSeconds(i);
                store.enqueue(
                        i % 3 == 0
                                ? Traces.failed("b/model", at, Duration.ofMillis(5), error, null)
                                : Traces.ok(i % 2 == 0 ? "a/model" : "b/model", at, Duration.ofMillis(5), null));
            }
            assertThat(store.flush(FLUSH)).isTrue();

            assertThat(seconds(store.find(TraceQuery.builder().build()), t0))
                    .containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
            assertThat(seconds(
                            store.find(TraceQuery.builder()
                                    .since(t0.plusSeconds(3))
                                    .until(t0.plusSeconds(7))
                                    .build()),
                            t0))
                    .containsExactly(6, 5, 4, 3);
            assertThat(seconds(store.find(TraceQuery.builder().model("a/model").build()), t0))
                    .containsExactly(8, 4, 2);
            // "b/model-2024" answered for b/model: both names find those calls
            assertThat(seconds(
                            store.find(
                                    TraceQuery.builder().model("b/model-2024").build()),
                            t0))
                    .containsExactly(7, 5, 1);
            assertThat(seconds(
                            store.find(TraceQuery.builder()
                                    .status(TraceStatus.FAILED)
                                    .build()),
                            t0))
                    .containsExactly(9, 6, 3, 0);
            assertThat(seconds(
                            store.find(TraceQuery.builder()
                                    .model("b/model")
                                    .status(TraceStatus.OK)
                                    .limit(2)
                                    .build()),
                            t0))
                    .containsExactly(7, 5);
        }
    }

    @Test
    void summaryTotalsASessionWithNearestRankPercentiles() {
        LlmException error = LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                .attemptCount(3)
                .build();
        try (TraceStore store = open(Options.DEFAULT);
                LlmSession session = LlmSession.open("step-7")) {
            Instant now = Instant.now();
            for (int ms = 1; ms <= 20; ms++) {
                store.enqueue(
                        ms <= 2
                                ? Traces.failed("m", now, Duration.ofMillis(ms), error, session)
                                : Traces.ok("m", now, Duration.ofMillis(ms), session));
            }
            store.enqueue(Traces.ok("m", now, Duration.ofMillis(999), null)); // another session
            assertThat(store.flush(FLUSH)).isTrue();

            assertThat(store.summary("step-7"))
                    .isEqualTo(new TraceSummary(
                            "step-7",
                            20,
                            2,
                            2 * 3 + 18,
                            18 * 10,
                            18 * 5,
                            18 * 15,
                            18 * 0.25,
                            Duration.ofMillis(10),
                            Duration.ofMillis(19)));
            assertThat(store.summary("nobody"))
                    .isEqualTo(new TraceSummary("nobody", 0, 0, 0, 0, 0, 0, 0.0, Duration.ZERO, Duration.ZERO));
        }
    }

    @Test
    void tracesEnqueuedAfterCloseAreDroppedAndCounted() throws Exception {
        TraceStore store = open(Options.DEFAULT);
        store.enqueue(Traces.ok(1));
        store.close();
        assertThat(store.enqueue(Traces.ok(2)).toCompletableFuture()).isDone();
        assertThat(store.droppedCount()).isEqualTo(1);
        assertThat(countRows()).isEqualTo(1);
        store.close(); // twice does nothing
    }

    @Test
    void recordsASuccessfulCallWithEveryColumn() throws Exception {
        try (TraceStore store = open(Options.DEFAULT)) {
            TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
            ChatRequest request = ChatRequest.builder()
                    .model("openai/gpt-4o-mini")
                    .system("grade")
                    .user("2+2?")
                    .temperature(0.0)
                    .metadata("rubric", "math")
                    .tags("judge", "v2")
                    .build();
            Instant before = Instant.now();
            client.chat(request);
            assertThat(store.flush(FLUSH)).isTrue();

            TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
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
            assertThat(t.latency()).isPositive();
            assertThat(t.usage()).isEqualTo(new Usage(10, 5, 15, 2, 1));
            assertThat(t.cost()).isEqualTo(0.25);
            assertThat(t.responseId()).isEqualTo("chatcmpl-1");
            assertThat(t.finishReason()).isEqualTo("stop");
            // Compared as JSON: PostgreSQL's jsonb keeps the values, not the key order or spacing.
            assertThat(tree(t.requestJson()))
                    .isEqualTo(tree("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"system\","
                            + "\"content\":\"grade\"},{\"role\":\"user\",\"content\":\"2+2?\"}],\"temperature\":0.0}"));
            assertThat(tree(t.responseJson()))
                    .isEqualTo(
                            tree(
                                    "{\"id\":\"chatcmpl-1\",\"model\":\"openai/gpt-4o-mini-2024\",\"choices\":"
                                            + "[{\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"echo: 2+2?\"}}]}"));
        }
    }

    @Test
    void aStreamedCallsMeasurementsRoundTripAndAPlainCallHasNone() {
        Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
        ChatRequest request = Traces.request("m", "q");
        ChatResponse reply = FakeChatClient.reply(request);
        // 37.25 ms: a fraction of a millisecond that a binary double holds exactly.
        StreamStats clean = new StreamStats(Duration.ofNanos(37_250_000), 5, true);
        StreamStats cut = new StreamStats(null, 0, false);
        LlmException stalled = LlmException.builder(ErrorCategory.TIMEOUT, "no first chunk")
                .retryable(false)
                .build();
        try (TraceStore store = open(Options.DEFAULT)) {
            store.enqueue(new CallTrace(request, null, at, Duration.ofMillis(50), "fake", reply, null, clean));
            store.enqueue(
                    new CallTrace(request, null, at.plusMillis(1), Duration.ofMillis(60), "fake", null, stalled, cut));
            store.enqueue(new CallTrace(request, null, at.plusMillis(2), Duration.ofMillis(70), "fake", reply, null));
            assertThat(store.flush(FLUSH)).isTrue();

            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all).hasSize(3);
            assertThat(at(all, at).stream()).isEqualTo(clean);
            assertThat(at(all, at.plusMillis(1)).stream()).isEqualTo(cut);
            assertThat(at(all, at.plusMillis(1)).status()).isEqualTo(TraceStatus.FAILED);
            assertThat(at(all, at.plusMillis(2)).stream()).isNull();
        }
    }

    private static TraceRecord at(List<TraceRecord> records, Instant startedAt) {
        return records.stream()
                .filter(r -> r.startedAt().equals(startedAt))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void findsCallsByNameAndByAnyUidInTheSessionChain() {
        try (TraceStore store = open(Options.DEFAULT)) {
            TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
            String stepUid;
            List<String> rolloutUids = new ArrayList<>();
            try (LlmSession step = LlmSession.open("step-1", Map.of("epoch", 3))) {
                stepUid = step.uid();
                client.chat(Traces.request("m", "step call"));
                for (int i = 0; i < 2; i++) {
                    try (LlmSession rollout = LlmSession.open("rollout-" + i, Map.of("rollout", i))) {
                        rolloutUids.add(rollout.uid());
                        client.chat(Traces.request("m", "rollout call " + i));
                    }
                }
            }
            assertThat(store.flush(FLUSH)).isTrue();

            assertThat(store.findBySessionName("step-1")).hasSize(1);
            assertThat(store.findBySessionUid(stepUid))
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t.sessionUids().get(0)).isEqualTo(stepUid));
            assertThat(store.findBySessionUid(rolloutUids.get(1)))
                    .singleElement()
                    .satisfies(t -> assertThat(t.sessionName()).isEqualTo("rollout-1"))
                    .satisfies(t -> assertThat(t.metadata()).isEqualTo(Map.of("epoch", 3, "rollout", 1)))
                    .satisfies(t -> assertThat(t.sessionUids()).containsExactly(stepUid, rolloutUids.get(1)));
            assertThat(store.findBySessionUid("no-such-uid")).isEmpty();
        }
    }

    @Test
    void aPromptHoldingUnusualCharactersIsStoredNotLost() throws Exception {
        String text = "nul\u0000 quote\" backslash\\ \\u0000 emoji \uD83D\uDE00 tab\t";
        try (TraceStore store = open(Options.DEFAULT)) {
            TracingChatClient.wrap(FakeChatClient.answering(), store).chat(Traces.request("m", text));
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(store.lostCount()).isZero();
            TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
            String stored = tree(t.requestJson())
                    .path("messages")
                    .get(0)
                    .path("content")
                    .asText();
            // A store may replace NUL (PostgreSQL refuses it); everything else comes back as sent.
            assertThat(stored.replace('\uFFFD', '\u0000')).isEqualTo(text);
        }
        assertThat(countRows()).isEqualTo(1);
    }

    @Test
    void recordsTokenIdsLogprobsToolCallsAndRefusalInTheirOwnColumns() {
        List<ToolCall> calls = List.of(ToolCall.function("call_1", "lookup", "{\"q\":\"tides\"}"));
        Logprobs logprobs = new Logprobs(
                List.of(
                        new TokenLogprob("a", -0.125, List.of(97), List.of()),
                        new TokenLogprob("b", -1.0E-9, List.of(98), List.of())),
                List.of());
        ChatResponse reply = ChatResponse.builder()
                .model("m")
                .promptTokenIds(TokenIds.of(1, 2, 3))
                .choices(List.of(
                        new Choice(
                                0,
                                ChatMessage.builder("assistant")
                                        .toolCalls(calls)
                                        .refusal("I cannot")
                                        .build(),
                                FinishReason.TOOL_CALLS,
                                logprobs,
                                TokenIds.of(97, 98)),
                        new Choice(1, ChatMessage.assistant("c"), FinishReason.STOP)))
                .build();
        try (TraceStore store = open(Options.DEFAULT)) {
            store.enqueue(new CallTrace(
                    Traces.request("m", "q"), null, Instant.now(), Duration.ofMillis(1), "fake", reply, null));
            store.enqueue(Traces.ok(2));
            assertThat(store.flush(FLUSH)).isTrue();

            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            TraceRecord t = all.stream()
                    .filter(r -> r.promptTokenIds() != null)
                    .findFirst()
                    .orElseThrow();
            assertThat(t.promptTokenIds()).isEqualTo(TokenIds.of(1, 2, 3));
            assertThat(t.completionTokenIds()).containsExactly(TokenIds.of(97, 98), TokenIds.of());
            assertThat(t.completionLogprobs())
                    .containsExactly(LogprobSequence.of(-0.125, -1.0E-9), LogprobSequence.of());
            assertThat(t.toolCalls()).isEqualTo(calls);
            assertThat(t.refusal()).isEqualTo("I cannot");
            TraceRecord plain = all.stream()
                    .filter(r -> r.promptTokenIds() == null)
                    .findFirst()
                    .orElseThrow();
            assertThat(plain.completionTokenIds()).isEmpty();
            assertThat(plain.completionLogprobs()).isEmpty();
            assertThat(plain.toolCalls()).isEmpty();
            assertThat(plain.refusal()).isNull();
        }
    }

    @Test
    void inlineMediaIsStoredAsItsDigest() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        String data = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png);
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .messages(List.of(ChatMessage.user(ContentPart.text("what is this?"), ContentPart.imageUrl(data))))
                .build();
        try (TraceStore store = open(Options.DEFAULT)) {
            TracingChatClient.wrap(FakeChatClient.answering(), store).chat(request);
            assertThat(store.flush(FLUSH)).isTrue();
            String stored = store.find(TraceQuery.builder().build()).get(0).requestJson();
            String sha = java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(png));
            assertThat(stored).doesNotContain("base64").contains("data:image/png;sha256=" + sha + ";bytes=7");
        }
    }

    @Test
    void findFiltersBySessionUidFailureCategoryTraceIdPrefixAndPosition() {
        try (TraceStore store = open(Options.DEFAULT)) {
            String uid;
            try (LlmSession s = LlmSession.open("rollout", Map.of())) {
                uid = s.uid();
                store.enqueue(Traces.ok("a", Instant.now(), Duration.ofMillis(1), s));
            }
            store.enqueue(Traces.failed(
                    "b",
                    Instant.now(),
                    Duration.ofMillis(1),
                    LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                            .build(),
                    null));
            store.enqueue(Traces.ok(3));
            assertThat(store.flush(FLUSH)).isTrue();

            assertThat(store.find(TraceQuery.builder().sessionUid(uid).build()))
                    .singleElement()
                    .satisfies(t -> assertThat(t.modelRequested()).isEqualTo("a"));
            assertThat(store.find(TraceQuery.builder()
                            .errorCategory(ErrorCategory.RATE_LIMITED)
                            .build()))
                    .singleElement()
                    .satisfies(t -> assertThat(t.modelRequested()).isEqualTo("b"));
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            String id = all.get(0).traceId();
            assertThat(store.find(TraceQuery.builder()
                            .traceIdPrefix(id.substring(0, 13))
                            .build()))
                    .extracting(TraceRecord::traceId)
                    .containsExactly(id);
            assertThat(store.find(TraceQuery.builder()
                            .writtenAfter(Long.MAX_VALUE - 1)
                            .build()))
                    .isEmpty();
            assertThat(store.find(TraceQuery.builder().writtenAfter(0).build())).hasSize(3);
        }
    }

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private void awaitPending(TraceStore store, int pending) throws InterruptedException {
        Await.until(() -> pending(store) == pending, () -> "queue never reached " + pending + " pending: " + store);
    }

    private static List<Integer> seconds(List<TraceRecord> records, Instant t0) {
        return records.stream()
                .map(r -> (int) Duration.between(t0, r.startedAt()).toSeconds())
                .toList();
    }
}
