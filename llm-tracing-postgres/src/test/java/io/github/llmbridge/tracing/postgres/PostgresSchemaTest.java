package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.StreamStats;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStoreException;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating the tables when many stores start at once, migrating older databases, refusing newer ones. */
class PostgresSchemaTest {

    /** The tables as the first PostgreSQL release (tracing schema version 3) created them: a fixture, never change it. */
    private static final List<String> VERSION_3 = List.of(
            """
            CREATE TABLE traces (
              id bigint GENERATED ALWAYS AS IDENTITY, trace_id uuid PRIMARY KEY, started_at_ms bigint NOT NULL,
              session_name text, session_uid text, session_uids jsonb, metadata jsonb, tags jsonb, backend text,
              model_requested text NOT NULL, model_used text, status text NOT NULL, error_category text,
              error_message text, http_status integer, attempts integer NOT NULL, attempt_history jsonb,
              latency_ms double precision NOT NULL, prompt_tokens bigint NOT NULL DEFAULT 0,
              completion_tokens bigint NOT NULL DEFAULT 0, total_tokens bigint NOT NULL DEFAULT 0,
              cached_tokens bigint NOT NULL DEFAULT 0, reasoning_tokens bigint NOT NULL DEFAULT 0,
              cost double precision, response_id text, litellm_call_id text, generation_id text,
              finish_reason text, request_json jsonb NOT NULL, response_json jsonb)""",
            "CREATE INDEX traces_started_at ON traces (started_at_ms)",
            "CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)",
            "CREATE INDEX traces_session_uids ON traces USING gin (session_uids jsonb_path_ops)",
            "CREATE TABLE trace_schema (version integer NOT NULL)",
            "INSERT INTO trace_schema (version) VALUES (3)");

    private final TestPostgres server = TestPostgres.shared();

    @Test
    void eightStoresOpeningOneNewDatabaseAtOnceAllSucceedAndCreateTheTablesOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String database = server.newDatabase();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PostgresTraceStore>> opens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                opens.add(pool.submit(() -> {
                    start.await();
                    return PostgresTraceStore.open(server.url(database));
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<PostgresTraceStore> f : opens) {
                try (PostgresTraceStore store = f.get(60, TimeUnit.SECONDS)) {
                    store.enqueue(Traces.ok(1));
                } catch (ExecutionException e) {
                    failures.add(e.getCause().toString());
                }
            }
            pool.shutdownNow();
            assertThat(failures).isEmpty();
            try (Connection c = server.admin(database);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT (SELECT count(*) FROM trace_schema), (SELECT count(*) FROM traces)")) {
                r.next();
                assertThat(r.getLong(1)).as("schema rows").isEqualTo(1);
                assertThat(r.getLong(2)).as("traces").isEqualTo(8);
            }
        }
    }

    @Test
    void aDatabaseAtTheFirstVersionIsMigratedAndItsOldRowsAreFoundByAnyUid() throws Exception {
        String database = server.newDatabase();
        try (Connection c = server.admin(database);
                Statement s = c.createStatement()) {
            for (String sql : VERSION_3) {
                s.execute(sql);
            }
            s.execute("INSERT INTO traces (trace_id, started_at_ms, session_name, session_uid, session_uids,"
                    + " model_requested, status, attempts, latency_ms, request_json) VALUES"
                    + " ('00000000-0000-4000-8000-000000000001', 1700000000000, 'step-1', 'inner',"
                    + " '[\"outer\",\"inner\"]', 'm', 'ok', 1, 12.5, '{}')");
            s.execute("ALTER TABLE traces OWNER TO " + TestPostgres.USER);
            s.execute("ALTER TABLE trace_schema OWNER TO " + TestPostgres.USER);
        }
        try (PostgresTraceStore store = PostgresTraceStore.open(server.url(database))) {
            assertThat(store.findBySessionUid("outer"))
                    .extracting(TraceRecord::traceId)
                    .containsExactly("00000000-0000-4000-8000-000000000001");
            assertThat(store.findBySessionName("step-1"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.startedAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L)))
                    .satisfies(t -> assertThat(t.promptTokenIds()).isNull())
                    .satisfies(t -> assertThat(t.completionTokenIds()).isEmpty())
                    .satisfies(t -> assertThat(t.toolCalls()).isEmpty())
                    .satisfies(t -> assertThat(t.refusal()).isNull());
            store.enqueue(Traces.ok(3));
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.find(TraceQuery.builder().build())).hasSize(2);
        }
        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version FROM trace_schema")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(PostgresSchema.CURRENT_VERSION);
        }
    }

    /**
     * The tables as the release before streaming (tracing schema version 4) left them: version 3
     * plus step 4, spelled out here so that a later change to the step cannot change the fixture.
     */
    private static final List<String> VERSION_4_STEP = List.of(
            "CREATE UNIQUE INDEX traces_id ON traces (id)",
            "ALTER TABLE traces ADD COLUMN prompt_token_ids jsonb",
            "ALTER TABLE traces ADD COLUMN completion_token_ids jsonb",
            "ALTER TABLE traces ADD COLUMN completion_logprobs jsonb",
            "ALTER TABLE traces ADD COLUMN tool_calls jsonb",
            "ALTER TABLE traces ADD COLUMN refusal text",
            "UPDATE trace_schema SET version = 4");

    @Test
    void aVersion4DatabaseGainsTheStreamColumnsKeepingItsRows() throws Exception {
        String database = server.newDatabase();
        try (Connection c = server.admin(database);
                Statement s = c.createStatement()) {
            for (String sql : VERSION_3) {
                s.execute(sql);
            }
            for (String sql : VERSION_4_STEP) {
                s.execute(sql);
            }
            s.execute("INSERT INTO traces (trace_id, started_at_ms, session_name, session_uid, session_uids,"
                    + " model_requested, status, attempts, latency_ms, request_json, prompt_token_ids, refusal)"
                    + " VALUES ('00000000-0000-4000-8000-000000000004', 1700000000000, 'step-4', 'inner',"
                    + " '[\"outer\",\"inner\"]', 'm', 'ok', 1, 12.5, '{}', '[1,2,3]', 'no')");
            s.execute("ALTER TABLE traces OWNER TO " + TestPostgres.USER);
            s.execute("ALTER TABLE trace_schema OWNER TO " + TestPostgres.USER);
        }
        Instant at = Instant.ofEpochMilli(1_700_000_001_000L);
        StreamStats measured = new StreamStats(Duration.ofMillis(21), 3, true);
        try (PostgresTraceStore store = PostgresTraceStore.open(server.url(database))) {
            assertThat(store.findBySessionName("step-4"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.traceId()).isEqualTo("00000000-0000-4000-8000-000000000004"))
                    .satisfies(t -> assertThat(t.promptTokenIds()).isEqualTo(TokenIds.of(1, 2, 3)))
                    .satisfies(t -> assertThat(t.refusal()).isEqualTo("no"))
                    .satisfies(t -> assertThat(t.stream()).isNull());
            CallTrace plain = Traces.ok(1);
            store.enqueue(new CallTrace(
                    plain.request(), null, at, Duration.ofMillis(30), "fake", plain.response(), null, measured));
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.find(TraceQuery.builder().build()))
                    .hasSize(2)
                    .filteredOn(t -> t.startedAt().equals(at))
                    .singleElement()
                    .satisfies(t -> assertThat(t.stream()).isEqualTo(measured));
        }
        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version, (SELECT count(*) FROM traces) FROM trace_schema")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(5).isEqualTo(PostgresSchema.CURRENT_VERSION);
            assertThat(r.getLong(2)).isEqualTo(2);
        }
    }

    @Test
    void writesTheSameSchemaVersionAsTheSqliteStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.db");
        SqliteTraceStore.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            r.next();
            // SQLite moved on: add the same step to PostgresSchema (same columns, JSON as jsonb)
            assertThat(PostgresSchema.CURRENT_VERSION).isEqualTo(r.getInt(1));
        }
    }

    @Test
    void refusesADatabaseWrittenByANewerVersionNamingItWithoutThePassword() throws Exception {
        String database = server.newDatabase();
        PostgresTraceStore.open(server.url(database)).close();
        try (Connection c = server.admin(database);
                Statement s = c.createStatement()) {
            s.execute("UPDATE trace_schema SET version = 99");
        }
        assertThatThrownBy(() -> PostgresTraceStore.open(server.url(database)))
                .isInstanceOf(TraceStoreException.class)
                .hasMessage("trace database postgresql://tracer@localhost:" + server.port() + "/" + database
                        + " has schema version 99, newer than this version of llm-tracing-postgres supports ("
                        + PostgresSchema.CURRENT_VERSION + "): it was written by a newer LLM Bridge. Upgrade"
                        + " llm-tracing-postgres, or trace to another database or schema (LLM_TRACE_DB)");
    }
}
