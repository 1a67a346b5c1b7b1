package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.tracing.contract.Await;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteTraceStore#flush} reports a lost trace that it was waiting for, whenever it was lost. */
class FlushLossTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void flushIsFalseWhenATraceEnqueuedBeforeItWasLostBeforeItBegan() throws Exception {
        Path db = dir.resolve("t.db");
        List<Long> pauses = new CopyOnWriteArrayList<>();
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                .busyTimeout(Duration.ZERO)
                .busyPause(pauses::add) // recorded, not slept through
                .open()) {
            try (SqliteTraceStoreTest.WriteLock lock = SqliteTraceStoreTest.WriteLock.hold(db)) {
                store.enqueue(Traces.ok(1));
                awaitLost(store, 1);
            }
            assertThat(pauses)
                    .as("the writer retried before giving the trace up")
                    .isNotEmpty();
            assertThat(Traces.countRows(db)).isZero();
            assertThat(store.flush(FLUSH))
                    .as("flush() although the only trace enqueued before it was lost")
                    .isFalse();
        }
    }

    @Test
    void oneRefusedRowIsLostAloneAndOnlyTheFlushWaitingForItIsFalse() throws Exception {
        Path db = dir.resolve("t.db");
        SqliteTraceStore.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER poison BEFORE INSERT ON traces WHEN NEW.model_requested = 'poison'"
                    + " BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
        }
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                .maxBatchDelay(Duration.ofMillis(200))
                .open()) {
            for (int i = 0; i < 10; i++) {
                store.enqueue(Traces.ok(i == 5 ? "poison" : "m", Instant.now(), Duration.ofMillis(1), null));
            }
            assertThat(store.flush(FLUSH)).isFalse();
            assertThat(store.lostCount()).isEqualTo(1);
            assertThat(Traces.countRows(db)).isEqualTo(9);
            store.enqueue(Traces.ok(99));
            assertThat(store.flush(FLUSH))
                    .as("the writer survived; the loss was already reported")
                    .isTrue();
        }
    }

    private static void awaitLost(SqliteTraceStore store, long lost) throws InterruptedException {
        Await.until(() -> store.lostCount() >= lost, () -> "never lost " + lost + " traces: " + store);
    }
}
