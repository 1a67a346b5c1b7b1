package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.contract.TraceStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The store contract, shared with SQLite, on a real PostgreSQL server (a new database per test). */
class PostgresTraceStoreTest extends TraceStoreContract {

    private final TestPostgres server = TestPostgres.shared();
    private String database;

    @Override
    protected void newDatabase() {
        database = server.newDatabase();
    }

    @Override
    protected TraceStore open(Options o) {
        return PostgresTraceStore.builder(server.url(database))
                .queueCapacity(o.queueCapacity())
                .maxBatchSize(o.maxBatchSize())
                .maxBatchDelay(o.maxBatchDelay())
                .fullQueuePolicy(o.policy())
                .open();
    }

    @Override
    protected long countRows() throws Exception {
        return PostgresTraces.countRows(server, database);
    }

    @Override
    protected int pending(TraceStore store) {
        return ((PostgresTraceStore) store).pending();
    }

    /** {@code LOCK TABLE traces IN EXCLUSIVE MODE}: inserts wait, reads do not. */
    @Override
    protected AutoCloseable holdWriteLock() throws Exception {
        Connection c = server.admin(database);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE traces IN EXCLUSIVE MODE");
        }
        return () -> {
            c.commit();
            c.close();
        };
    }

    /** Plain-SQL counts for the PostgreSQL tests. */
    static final class PostgresTraces {
        private PostgresTraces() {}

        static long countRows(TestPostgres server, String database) throws Exception {
            try (Connection c = server.admin(database);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM traces")) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
