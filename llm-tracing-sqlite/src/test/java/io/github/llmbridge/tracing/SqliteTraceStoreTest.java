package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.contract.Await;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store: nothing lost on close, full-queue policies, concurrent writers, queries. */
class SqliteTraceStoreTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void closeAfterTenThousandEnqueuedTracesLosesNone() throws Exception {
        Path db = dir.resolve("t.db");
        SqliteTraceStore store = SqliteTraceStore.open(db);
        for (int i = 0; i < 10_000; i++) {
            assertThat(store.enqueue(Traces.ok(i)).toCompletableFuture()).isDone();
        }
        store.close();

        assertThat(Traces.countRows(db)).isEqualTo(10_000);
        assertThat(store.droppedCount()).isZero();
        assertThat(store.lostCount()).isZero();
    }

    @Test
    void flushReturnsTrueOnceEverythingEnqueuedBeforeIsCommitted() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                .maxBatchDelay(Duration.ofSeconds(10))
                .open()) {
            for (int i = 0; i < 7; i++) {
                store.enqueue(Traces.ok(i));
            }
            // A 10 s batch delay would hold these rows; flush must not wait for it.
            long start = System.nanoTime();
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(Traces.countRows(db)).isEqualTo(7);
        }
    }

    @Test
    void dropPolicyCountsEveryDroppedTrace() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                        .queueCapacity(2)
                        .maxBatchSize(1)
                        .fullQueuePolicy(FullQueuePolicy.DROP)
                        .open();
                WriteLock lock = WriteLock.hold(db)) {
            store.enqueue(Traces.ok(0));
            awaitPending(store, 0); // the writer took it and waits for the lock
            store.enqueue(Traces.ok(1));
            store.enqueue(Traces.ok(2)); // queue full now
            for (int i = 3; i < 6; i++) {
                CompletionStage<Void> stage = store.enqueue(Traces.ok(i));
                assertThat(stage.toCompletableFuture()).isDone();
            }
            assertThat(store.droppedCount()).isEqualTo(3);
            lock.release();
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(Traces.countRows(db)).isEqualTo(3);
        }
    }

    @Test
    void blockPolicyHoldsTheCallUntilItsTraceIsQueuedWithoutParkingAThread() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                        .queueCapacity(1)
                        .maxBatchSize(1)
                        .open();
                WriteLock lock = WriteLock.hold(db)) {
            TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
            client.chat(Traces.request("m", "first"));
            awaitPending(store, 0); // the writer holds the first and waits for the lock
            client.chat(Traces.request("m", "second")); // fills the queue

            CompletableFuture<ChatResponse> third = client.chatAsync(Traces.request("m", "third"));
            CompletableFuture<ChatResponse> fourth = client.chatAsync(Traces.request("m", "fourth"));

            // The backend answered at once, on this thread, which was not blocked: the futures wait instead.
            assertThat(third).isNotDone();
            assertThat(fourth).isNotDone();
            assertThat(store.droppedCount()).isZero();
            lock.release();
            assertThat(third.get(30, TimeUnit.SECONDS).content()).isEqualTo("echo: third");
            assertThat(fourth.get(30, TimeUnit.SECONDS).content()).isEqualTo("echo: fourth");
            assertThat(store.flush(FLUSH)).isTrue();
            assertThat(Traces.countRows(db)).isEqualTo(4);
        }
    }

    @Test
    void twoStoresWritingOneFileConcurrentlyLoseNothing() throws Exception {
        Path db = dir.resolve("shared.db");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (SqliteTraceStore a = SqliteTraceStore.builder(db).maxBatchSize(100).open();
                SqliteTraceStore b =
                        SqliteTraceStore.builder(db).maxBatchSize(100).open();
                LlmSession session = LlmSession.open("shared")) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (SqliteTraceStore store : List.of(a, b, a, b)) {
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

            assertThat(Traces.countRows(db)).isEqualTo(10_000);
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
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
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
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"));
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
        Path db = dir.resolve("t.db");
        SqliteTraceStore store = SqliteTraceStore.open(db);
        store.enqueue(Traces.ok(1));
        store.close();
        assertThat(store.enqueue(Traces.ok(2)).toCompletableFuture()).isDone();
        assertThat(store.droppedCount()).isEqualTo(1);
        assertThat(Traces.countRows(db)).isEqualTo(1);
        store.close(); // twice does nothing
    }

    @Test
    void aFileThatIsNotADatabaseFailsToOpenNamingIt() throws Exception {
        Path notDb = dir.resolve("notes.db");
        Files.writeString(notDb, "these are not the traces you are looking for".repeat(100));
        assertThatThrownBy(() -> SqliteTraceStore.open(notDb))
                .isInstanceOf(TraceStoreException.class)
                .hasMessageContaining(notDb.toString());
    }

    @Test
    void builderRejectsNonsense() {
        SqliteTraceStore.Builder b = SqliteTraceStore.builder(dir.resolve("t.db"));
        assertThatThrownBy(() -> b.queueCapacity(0)).hasMessage("queueCapacity must be at least 1, was 0");
        assertThatThrownBy(() -> b.maxBatchSize(-1)).hasMessage("maxBatchSize must be at least 1, was -1");
        assertThatThrownBy(() -> b.maxBatchDelay(Duration.ofMillis(-1)))
                .hasMessage("maxBatchDelay must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> TraceQuery.builder().limit(0)).hasMessage("limit must be at least 1, was 0");
    }

    private static List<Integer> seconds(List<TraceRecord> records, Instant t0) {
        return records.stream()
                .map(r -> (int) Duration.between(t0, r.startedAt()).toSeconds())
                .toList();
    }

    static void awaitPending(SqliteTraceStore store, int pending) throws InterruptedException {
        Await.until(() -> store.pending() == pending, () -> "queue never reached " + pending + " pending: " + store);
    }

    /** Holds the database's write lock from another connection, as another process's writer would. */
    static final class WriteLock implements AutoCloseable {
        private final Connection connection;
        private boolean held = true;

        private WriteLock(Connection connection) {
            this.connection = connection;
        }

        static WriteLock hold(Path db) throws Exception {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            return new WriteLock(c);
        }

        void release() throws Exception {
            if (held) {
                held = false;
                try (Statement s = connection.createStatement()) {
                    s.execute("COMMIT");
                }
            }
        }

        @Override
        public void close() throws Exception {
            release();
            connection.close();
        }
    }
}
