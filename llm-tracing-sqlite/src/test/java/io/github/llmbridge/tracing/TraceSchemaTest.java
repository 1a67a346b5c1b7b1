package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema versions: new files, forward migration of old ones, and refusing files from the future. */
class TraceSchemaTest {

    /** The schema as version 1 of this library wrote it (a fixture: never change it). */
    private static final String V1_TABLE = """
            CREATE TABLE traces (
              id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, started_at_ms INTEGER NOT NULL, session_name TEXT,
              session_uid TEXT, session_uids TEXT, metadata TEXT, tags TEXT, backend TEXT,
              model_requested TEXT NOT NULL, model_used TEXT, status TEXT NOT NULL, error_category TEXT,
              error_message TEXT, http_status INTEGER, attempts INTEGER NOT NULL, attempt_history TEXT,
              latency_ms REAL NOT NULL, prompt_tokens INTEGER NOT NULL DEFAULT 0,
              completion_tokens INTEGER NOT NULL DEFAULT 0, total_tokens INTEGER NOT NULL DEFAULT 0,
              cached_tokens INTEGER NOT NULL DEFAULT 0, reasoning_tokens INTEGER NOT NULL DEFAULT 0, cost REAL,
              response_id TEXT, litellm_call_id TEXT, generation_id TEXT, finish_reason TEXT,
              request_json TEXT NOT NULL, response_json TEXT)""";

    @TempDir
    Path dir;

    @Test
    void aNewFileGetsTheCurrentVersion() throws Exception {
        Path db = dir.resolve("new.db");
        SqliteTraceStore.open(db).close();
        assertThat(userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION).isEqualTo(5);
        assertThat(indexes(db)).contains("traces_started_at", "traces_session_name");
    }

    @Test
    void migratesAVersion1FileAndFindsItsOldRowsByAnyUid() throws Exception {
        Path db = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute(V1_TABLE);
            s.execute("CREATE INDEX traces_started_at ON traces (started_at_ms)");
            s.execute("CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)");
            s.execute("CREATE INDEX traces_session_uid ON traces (session_uid)");
            s.execute("INSERT INTO traces (trace_id, started_at_ms, session_name, session_uid, session_uids,"
                    + " model_requested, status, attempts, latency_ms, request_json) VALUES ('old-1', 1700000000000,"
                    + " 'step-1', 'inner', '[\"outer\",\"inner\"]', 'm', 'ok', 1, 12.5, '{}')");
            s.execute("INSERT INTO traces (trace_id, started_at_ms, model_requested, status, attempts, latency_ms,"
                    + " request_json) VALUES ('old-2', 1700000000001, 'm', 'failed', 0, 1.0, '{}')");
            s.execute("PRAGMA user_version = 1");
        }

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            assertThat(store.findBySessionUid("outer"))
                    .extracting(TraceRecord::traceId)
                    .containsExactly("old-1");
            assertThat(store.findBySessionUid("inner"))
                    .extracting(TraceRecord::traceId)
                    .containsExactly("old-1");
            assertThat(store.findBySessionName("step-1"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.startedAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L)));
            store.enqueue(Traces.ok(3));
            assertThat(store.flush(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(store.find(TraceQuery.builder().build())).hasSize(3);
        }
        assertThat(userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION);
        assertThat(indexes(db)).doesNotContain("traces_session_uid");
    }

    @Test
    void migratesAVersion2FileDroppingUidRowsOfTracesDeletedWithPlainSql() throws Exception {
        Path db = dir.resolve("v2.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute(V1_TABLE);
            s.execute("CREATE INDEX traces_started_at ON traces (started_at_ms)");
            s.execute("CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)");
            s.execute("CREATE TABLE trace_session_uids (session_uid TEXT NOT NULL, trace_rowid INTEGER NOT NULL,"
                    + " depth INTEGER NOT NULL, PRIMARY KEY (session_uid, trace_rowid)) WITHOUT ROWID");
            s.execute(
                    "INSERT INTO traces (id, trace_id, started_at_ms, session_uids, model_requested, status, attempts,"
                            + " latency_ms, request_json) VALUES (1, 'kept', 1700000000000, '[\"kept-uid\"]', 'm', 'ok', 1, 1.0, '{}')");
            s.execute("INSERT INTO trace_session_uids VALUES ('kept-uid', 1, 0), ('deleted-uid', 2, 0)");
            s.execute("PRAGMA user_version = 2");
        }

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            store.enqueue(Traces.ok(2)); // id 2, in no session: must not inherit 'deleted-uid'
            assertThat(store.flush(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(store.findBySessionUid("deleted-uid")).isEmpty();
            assertThat(store.findBySessionUid("kept-uid"))
                    .extracting(TraceRecord::traceId)
                    .containsExactly("kept");
        }
        assertThat(userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION);
    }

    @Test
    void deletingTracesWithPlainSqlDoesNotMisattributeNewTraces() throws Exception {
        Path db = dir.resolve("t.db");
        String oldUid;
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                LlmSession s = LlmSession.open("old")) {
            oldUid = s.uid();
            store.enqueue(Traces.ok("m", Instant.now(), java.time.Duration.ofMillis(1), s));
            assertThat(store.flush(java.time.Duration.ofSeconds(30))).isTrue();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.execute("DELETE FROM traces");
        }
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            store.enqueue(Traces.ok(7)); // no session at all, and the deleted trace's id
            assertThat(store.flush(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(store.findBySessionUid(oldUid)).isEmpty();
        }
    }

    @Test
    void refusesAFileWrittenByANewerVersion() throws Exception {
        Path db = dir.resolve("future.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE traces (id INTEGER PRIMARY KEY, something_new TEXT)");
            s.execute("PRAGMA user_version = 9");
        }
        assertThatThrownBy(() -> SqliteTraceStore.open(db))
                .isInstanceOf(TraceStoreException.class)
                .hasMessage("trace database " + db + " has schema version 9, newer than this version of"
                        + " llm-tracing-sqlite supports (5): it was written by a newer LLM Bridge. Upgrade"
                        + " llm-tracing-sqlite, or trace to another file (LLM_TRACE_DB)");
        assertThat(userVersion(db)).isEqualTo(9); // untouched
    }

    private static int userVersion(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            return TraceSchema.version(s);
        }
    }

    private static List<String> indexes(Path db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }
}
