package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.tracing.contract.Await;
import io.github.llmbridge.tracing.contract.TraceStoreContract;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file, and what only SQLite has: files that are not databases. */
class SqliteTraceStoreTest extends TraceStoreContract {

    @TempDir
    Path dir;

    private Path db;

    @Override
    protected void newDatabase() {
        db = dir.resolve("t.db");
    }

    @Override
    protected TraceStore open(Options o) {
        return SqliteTraceStore.builder(db)
                .queueCapacity(o.queueCapacity())
                .maxBatchSize(o.maxBatchSize())
                .maxBatchDelay(o.maxBatchDelay())
                .fullQueuePolicy(o.policy())
                .open();
    }

    @Override
    protected long countRows() throws Exception {
        return Traces.countRows(db);
    }

    @Override
    protected int pending(TraceStore store) {
        return ((SqliteTraceStore) store).pending();
    }

    @Override
    protected AutoCloseable holdWriteLock() throws Exception {
        return WriteLock.hold(db);
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
