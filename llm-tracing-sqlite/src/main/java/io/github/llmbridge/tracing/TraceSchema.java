package io.github.llmbridge.tracing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The trace database's schema and its forward migrations. The version lives in
 * {@code PRAGMA user_version}; {@link #migrate} runs the missing steps in one write transaction,
 * so two processes opening the same new file do not both migrate it.
 *
 * <p>A step is never edited once released: a change is a new step appended to {@link #STEPS}.
 */
final class TraceSchema {

    /** Version 1: one row per call; lookups by time, session name and the innermost session uid. */
    private static final List<String> V1 = List.of(
            """
            CREATE TABLE traces (
              id                INTEGER PRIMARY KEY,
              trace_id          TEXT NOT NULL,
              started_at_ms     INTEGER NOT NULL,
              session_name      TEXT,
              session_uid       TEXT,
              session_uids      TEXT,
              metadata          TEXT,
              tags              TEXT,
              backend           TEXT,
              model_requested   TEXT NOT NULL,
              model_used        TEXT,
              status            TEXT NOT NULL,
              error_category    TEXT,
              error_message     TEXT,
              http_status       INTEGER,
              attempts          INTEGER NOT NULL,
              attempt_history   TEXT,
              latency_ms        REAL NOT NULL,
              prompt_tokens     INTEGER NOT NULL DEFAULT 0,
              completion_tokens INTEGER NOT NULL DEFAULT 0,
              total_tokens      INTEGER NOT NULL DEFAULT 0,
              cached_tokens     INTEGER NOT NULL DEFAULT 0,
              reasoning_tokens  INTEGER NOT NULL DEFAULT 0,
              cost              REAL,
              response_id       TEXT,
              litellm_call_id   TEXT,
              generation_id     TEXT,
              finish_reason     TEXT,
              request_json      TEXT NOT NULL,
              response_json     TEXT
            )""",
            "CREATE INDEX traces_started_at ON traces (started_at_ms)",
            "CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)",
            "CREATE INDEX traces_session_uid ON traces (session_uid)");

    /**
     * Version 2: a call is found by <em>any</em> uid in its session chain (a step's uid finds the
     * calls of its rollouts), through one index row per uid; existing rows are backfilled.
     */
    private static final List<String> V2 = List.of("""
            CREATE TABLE trace_session_uids (
              session_uid  TEXT NOT NULL,
              trace_rowid  INTEGER NOT NULL,
              depth        INTEGER NOT NULL,
              PRIMARY KEY (session_uid, trace_rowid)
            ) WITHOUT ROWID""", """
            INSERT OR IGNORE INTO trace_session_uids (session_uid, trace_rowid, depth)
              SELECT j.value, t.id, j.key FROM traces t, json_each(t.session_uids) j
              WHERE t.session_uids IS NOT NULL AND json_valid(t.session_uids)""", "DROP INDEX traces_session_uid");

    /**
     * Version 3: deleting a trace (users clean up with plain SQL) deletes its uid index rows.
     * Ids are max(id) + 1, so after a {@code DELETE FROM traces} new traces reuse old ids and
     * would otherwise be found by the deleted traces' session uids. Rows already orphaned by such
     * a delete are removed.
     */
    private static final List<String> V3 =
            List.of("""
            CREATE TRIGGER traces_delete_session_uids AFTER DELETE ON traces
            BEGIN
              DELETE FROM trace_session_uids WHERE trace_rowid = OLD.id;
            END""", "DELETE FROM trace_session_uids WHERE trace_rowid NOT IN (SELECT id FROM traces)");

    /**
     * Version 4: token-level training data and tool calls in columns of their own, JSON text that
     * SQLite's JSON functions read (see {@link ReplyColumns}): the prompt's token ids, each choice's
     * completion token ids and chosen tokens' log probabilities, the first choice's tool calls and
     * refusal. Adding a column rewrites only the schema, not the rows, so the step is instant on a
     * file of any size; rows written before it read {@code NULL}.
     */
    private static final List<String> V4 = List.of(
            "ALTER TABLE traces ADD COLUMN prompt_token_ids TEXT",
            "ALTER TABLE traces ADD COLUMN completion_token_ids TEXT",
            "ALTER TABLE traces ADD COLUMN completion_logprobs TEXT",
            "ALTER TABLE traces ADD COLUMN tool_calls TEXT",
            "ALTER TABLE traces ADD COLUMN refusal TEXT");

    /**
     * Version 5: what a streamed call measured, {@code NULL} for a call that was not streamed (and
     * for every row written before): the time from the call to its first output in milliseconds,
     * the chunks the caller received, and whether the stream ended cleanly (1) or not (0). Added
     * columns only, so the step is instant on a file of any size.
     */
    private static final List<String> V5 = List.of(
            "ALTER TABLE traces ADD COLUMN stream_first_token_ms REAL",
            "ALTER TABLE traces ADD COLUMN stream_chunks INTEGER",
            "ALTER TABLE traces ADD COLUMN stream_clean_end INTEGER");

    /** Step {@code i} takes a database from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(V1, V2, V3, V4, V5);

    /** The version this library writes. */
    static final int CURRENT_VERSION = STEPS.size();

    private TraceSchema() {}

    /**
     * Brings the database to {@link #CURRENT_VERSION}.
     *
     * @throws TraceStoreException when the file was written by a newer version, or a step fails
     */
    static void migrate(Connection connection, Path file) throws SQLException {
        migrate(connection, file, CURRENT_VERSION);
    }

    /**
     * Brings the database to {@code target} (at most {@link #CURRENT_VERSION}); tests use it to
     * write files of an older version, as that release did.
     */
    static void migrate(Connection connection, Path file, int target) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                int version = version(s);
                if (version > CURRENT_VERSION) {
                    throw new TraceStoreException(
                            "trace database " + file + " has schema version " + version
                                    + ", newer than this version of llm-tracing-sqlite supports (" + CURRENT_VERSION
                                    + "): it was written by a newer LLM Bridge. Upgrade llm-tracing-sqlite, or trace to"
                                    + " another file (LLM_TRACE_DB)",
                            null);
                }
                for (int step = version; step < target; step++) {
                    for (String sql : STEPS.get(step)) {
                        s.execute(sql);
                    }
                }
                if (version < target) {
                    s.execute("PRAGMA user_version = " + target);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /** Returns the database's {@code user_version}. */
    static int version(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }
}
