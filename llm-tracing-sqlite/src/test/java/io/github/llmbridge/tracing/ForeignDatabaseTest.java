package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LLM_TRACE_DB} pointed at another tool's SQLite file: rLLM's files call their table
 * {@code traces} too, which used to fail with SQLite's "table traces already exists". The store
 * must say whose file it is and leave it exactly as it was.
 */
class ForeignDatabaseTest {

    @TempDir
    Path dir;

    /** The tables of rLLM's old tracer (rllm/sdk/store/sqlite_store.py, v0.2.1 to v0.3.0-pre), columns it reads. */
    private static final String[] RLLM_TRACER = {
        "CREATE TABLE traces (id TEXT PRIMARY KEY, context_type TEXT NOT NULL, namespace TEXT NOT NULL,"
                + " data TEXT NOT NULL, metadata TEXT DEFAULT '{}', created_at REAL NOT NULL, updated_at REAL NOT NULL)",
        "CREATE TABLE trace_sessions (trace_id TEXT NOT NULL, session_uid TEXT NOT NULL, created_at REAL NOT NULL,"
                + " PRIMARY KEY (trace_id, session_uid))",
        "INSERT INTO traces VALUES ('t1', 'llm_call', 'default', '{}', '{}', 1.0, 1.0)"
    };

    /** The tables of rLLM's model gateway store (rllm_model_gateway/store/sqlite_store.py, 0.1.0). */
    private static final String[] RLLM_GATEWAY = {
        "CREATE TABLE traces (trace_id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at REAL NOT NULL)",
        "CREATE TABLE trace_sessions (trace_id TEXT NOT NULL, session_id TEXT NOT NULL, created_at REAL NOT NULL,"
                + " PRIMARY KEY (trace_id, session_id))",
        "INSERT INTO traces VALUES ('t1', '{}', 1.0)"
    };

    private Path file(String name, String... statements) throws Exception {
        Path db = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return db;
    }

    @Test
    void rllmsTracerDatabaseIsRefusedByNameAndLeftUntouched() throws Exception {
        Path db = file("traces.db", RLLM_TRACER);
        byte[] before = Files.readAllBytes(db);

        TraceStoreException e = catchThrowableOfType(TraceStoreException.class, () -> SqliteTraceStore.open(db));

        assertThat(e.getMessage())
                .contains("belongs to another tool")
                .contains("rLLM's tracer database")
                .contains("v0.2.1 to v0.3.0-pre")
                .contains("LLM_TRACE_DB")
                .doesNotContain("already exists");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("traces.db-wal"))).isFalse();
    }

    @Test
    void rllmsGatewayStoreIsRefusedByName() throws Exception {
        Path db = file("gateway_traces.db", RLLM_GATEWAY);
        byte[] before = Files.readAllBytes(db);

        TraceStoreException e = catchThrowableOfType(TraceStoreException.class, () -> SqliteTraceStore.open(db));

        assertThat(e.getMessage())
                .contains("rLLM's model gateway's trace store")
                .contains("RllmGateway.traces");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void anyOtherApplicationsTablesAreRefusedToo() throws Exception {
        Path db = file("app.db", "CREATE TABLE users (id INTEGER PRIMARY KEY)");

        TraceStoreException e = catchThrowableOfType(TraceStoreException.class, () -> SqliteTraceStore.open(db));

        assertThat(e.getMessage()).contains("belongs to another tool: it has tables [users]");
    }

    @Test
    void anEmptySqliteFileIsStillMadeATraceDatabase() throws Exception {
        Path db = file("empty.db", "PRAGMA user_version = 0");

        SqliteTraceStore.open(db).close();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                var r = s.executeQuery("PRAGMA user_version")) {
            assertThat(r.getInt(1)).isEqualTo(TraceSchema.CURRENT_VERSION);
        }
    }
}
