package io.github.llmbridge.tracing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before anything is written, a SQLite file that another tool made: one at schema version
 * 0 that already has tables. Without this check the first migration step fails with SQLite's
 * "table traces already exists" on rLLM's files, which name their table {@code traces} too, and
 * switching the file to WAL would already have changed it.
 *
 * <p>rLLM's files are named, from their schemas: the old LiteLLM proxy's tracer
 * ({@code rllm/sdk/store/sqlite_store.py}, rLLM v0.2.1 to v0.3.0-pre, default
 * {@code ~/.rllm/traces.db}: {@code traces} with {@code context_type} and {@code namespace},
 * {@code trace_sessions} with {@code session_uid}) and the model gateway's store
 * ({@code rllm_model_gateway/store/sqlite_store.py}, default {@code ~/.rllm/gateway_traces.db}:
 * {@code traces(trace_id, data, created_at)}, {@code trace_sessions} with {@code session_id}).
 */
final class ForeignDatabase {

    private ForeignDatabase() {}

    /**
     * @throws TraceStoreException naming whose file it is, when it is at version 0 and has tables
     */
    static void refuse(Connection connection, Path file) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (TraceSchema.version(s) != 0) {
                return;
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            if (tables.isEmpty()) {
                return;
            }
            String owner = owner(s, tables);
            throw new TraceStoreException(
                    "trace database " + file + " belongs to another tool" + owner + ": it has tables " + tables
                            + " but no LLM Bridge schema version. It was left untouched; point LLM_TRACE_DB at a file"
                            + " of LLM Bridge's own (a new path is created)",
                    null);
        }
    }

    private static String owner(Statement s, List<String> tables) throws SQLException {
        if (!tables.contains("traces") || !tables.contains("trace_sessions")) {
            return "";
        }
        List<String> traceColumns = columns(s, "traces");
        List<String> sessionColumns = columns(s, "trace_sessions");
        if (traceColumns.contains("context_type") && sessionColumns.contains("session_uid")) {
            return " (rLLM's tracer database, the traces.db of its LiteLLM proxy's --db-path, rLLM v0.2.1 to"
                    + " v0.3.0-pre; read those traces with rLLM's own tools)";
        }
        if (traceColumns.contains("trace_id") && sessionColumns.contains("session_id")) {
            return " (rLLM's model gateway's trace store, gateway_traces.db; read those traces with"
                    + " RllmGateway.traces from llm-rllm, or GET /sessions/<id>/traces)";
        }
        return "";
    }

    private static List<String> columns(Statement s, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                names.add(r.getString("name"));
            }
        }
        return names;
    }
}
