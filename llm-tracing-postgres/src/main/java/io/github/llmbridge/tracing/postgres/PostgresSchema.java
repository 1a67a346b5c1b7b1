package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.tracing.TraceStoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The trace tables in PostgreSQL and their forward migrations. Version numbers are the tracing
 * schema's, shared with SQLite: version N has the same columns in both stores. The PostgreSQL store
 * first appeared at version 3, so a new database is created at 3 and then migrated step by step.
 *
 * <p>The version lives in the one-row table {@code trace_schema}. {@link #migrate} runs in one
 * transaction holding a transaction-scoped advisory lock, so processes that start at once against
 * a new database (every worker of a training run) create the tables once: the others wait for
 * the lock, then find the current version and do nothing. PostgreSQL's DDL is transactional, so a
 * step that fails leaves the database as it was.
 *
 * <p>Translated from SQLite faithfully: the same column names and meanings; JSON columns as
 * {@code jsonb}; times as epoch milliseconds in {@code bigint} (as in SQLite, so the queries, the
 * reader and the millisecond precision are shared; {@code to_timestamp(started_at_ms / 1000.0)}
 * gives a {@code timestamptz}); the trace id as {@code uuid} and the primary key, so a batch
 * written twice stores each trace once; a row number from an identity column orders calls that
 * started in the same millisecond. The lookup by any session uid uses a GIN index on the
 * {@code session_uids} array instead of SQLite's side table.
 *
 * <p>A step is never edited once released: a change is a new step.
 */
final class PostgresSchema {

    /** The first version this store writes, created in one step from an empty database. */
    static final int FIRST_VERSION = 3;

    /** Creates version 3: the columns of SQLite's version 3. */
    private static final List<String> CREATE_V3 = List.of(
            """
            CREATE TABLE traces (
              id                bigint GENERATED ALWAYS AS IDENTITY,
              trace_id          uuid PRIMARY KEY,
              started_at_ms     bigint NOT NULL,
              session_name      text,
              session_uid       text,
              session_uids      jsonb,
              metadata          jsonb,
              tags              jsonb,
              backend           text,
              model_requested   text NOT NULL,
              model_used        text,
              status            text NOT NULL,
              error_category    text,
              error_message     text,
              http_status       integer,
              attempts          integer NOT NULL,
              attempt_history   jsonb,
              latency_ms        double precision NOT NULL,
              prompt_tokens     bigint NOT NULL DEFAULT 0,
              completion_tokens bigint NOT NULL DEFAULT 0,
              total_tokens      bigint NOT NULL DEFAULT 0,
              cached_tokens     bigint NOT NULL DEFAULT 0,
              reasoning_tokens  bigint NOT NULL DEFAULT 0,
              cost              double precision,
              response_id       text,
              litellm_call_id   text,
              generation_id     text,
              finish_reason     text,
              request_json      jsonb NOT NULL,
              response_json     jsonb
            )""",
            "CREATE INDEX traces_started_at ON traces (started_at_ms)",
            "CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)",
            "CREATE INDEX traces_session_uids ON traces USING gin (session_uids jsonb_path_ops)",
            "CREATE TABLE trace_schema (version integer NOT NULL)",
            "INSERT INTO trace_schema (version) VALUES (0)");

    /**
     * Version 4, as SQLite's: token ids, log probabilities and tool calls as {@code jsonb}, the
     * refusal as text. Adding a nullable column without a default rewrites no rows, so the step is
     * instant on a table of any size; rows written before it read {@code NULL}. Also an index on the
     * row number, which SQLite has as its primary key: queries by write position
     * ({@code TraceQuery.writtenAfter}, the cache following the store) read ranges of it.
     */
    private static final List<String> V4 = List.of(
            "CREATE UNIQUE INDEX traces_id ON traces (id)",
            "ALTER TABLE traces ADD COLUMN prompt_token_ids jsonb",
            "ALTER TABLE traces ADD COLUMN completion_token_ids jsonb",
            "ALTER TABLE traces ADD COLUMN completion_logprobs jsonb",
            "ALTER TABLE traces ADD COLUMN tool_calls jsonb",
            "ALTER TABLE traces ADD COLUMN refusal text");

    /**
     * Version 5, as SQLite's: what a streamed call measured (time to first output in milliseconds,
     * the chunks the caller received, whether the stream ended cleanly: 1 or 0), {@code NULL} for a
     * call that was not streamed. Nullable columns without a default: instant on any table.
     */
    private static final List<String> V5 = List.of(
            "ALTER TABLE traces ADD COLUMN stream_first_token_ms double precision",
            "ALTER TABLE traces ADD COLUMN stream_chunks integer",
            "ALTER TABLE traces ADD COLUMN stream_clean_end integer");

    /** Step {@code v} takes a database from version {@code v} to {@code v + 1}. */
    private static final Map<Integer, List<String>> STEPS = Map.of(3, V4, 4, V5);

    /** The version this library writes. */
    static final int CURRENT_VERSION = FIRST_VERSION + STEPS.size();

    private PostgresSchema() {}

    /**
     * Brings the database to {@link #CURRENT_VERSION}, holding the advisory lock.
     *
     * @throws TraceStoreException when the database was written by a newer version
     * @throws SQLException        when a statement fails (the transaction is rolled back)
     */
    static void migrate(Connection c, String where) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // One lock per schema of the database: stores of different schemas never wait for each other.
            s.execute("SELECT pg_advisory_xact_lock(hashtext('llm-bridge-traces'), hashtext(current_schema()))");
            int version = version(s);
            if (version > CURRENT_VERSION) {
                throw new TraceStoreException(
                        "trace database " + where + " has schema version " + version
                                + ", newer than this version of llm-tracing-postgres supports (" + CURRENT_VERSION
                                + "): it was written by a newer LLM Bridge. Upgrade llm-tracing-postgres, or trace to"
                                + " another database or schema (LLM_TRACE_DB)",
                        null);
            }
            if (version == 0) {
                for (String sql : CREATE_V3) {
                    s.execute(sql);
                }
                version = FIRST_VERSION;
            }
            for (int step = version; step < CURRENT_VERSION; step++) {
                for (String sql : STEPS.get(step)) {
                    s.execute(sql);
                }
            }
            s.execute("UPDATE trace_schema SET version = " + CURRENT_VERSION);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Returns the schema version, 0 when there are no trace tables in the current schema. */
    static int version(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT to_regclass('trace_schema') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) {
                return 0;
            }
        }
        try (ResultSet r = s.executeQuery("SELECT max(version) FROM trace_schema")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }
}
