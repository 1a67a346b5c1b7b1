package io.github.llmbridge.tracing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store's queries, on a read-only connection of their own (WAL readers never wait for the
 * writer). One query at a time: the methods are synchronized.
 */
final class TraceReader implements AutoCloseable {

    /** Reads the stream columns of schema version 5: {@code null} for a call that was not streamed. */
    private static StreamStats stream(ResultSet r) throws SQLException {
        int chunks = r.getInt("stream_chunks");
        if (r.wasNull()) {
            return null;
        }
        double firstMs = r.getDouble("stream_first_token_ms");
        Duration first = r.wasNull() ? null : Duration.ofNanos(Math.round(firstMs * 1e6));
        return new StreamStats(first, chunks, r.getInt("stream_clean_end") == 1);
    }

    private static final String COLUMNS = "t.trace_id, t.started_at_ms, t.session_name, t.session_uids, t.metadata,"
            + " t.tags, t.backend, t.model_requested, t.model_used, t.status, t.error_category, t.error_message,"
            + " t.http_status, t.attempts, t.attempt_history, t.latency_ms, t.prompt_tokens, t.completion_tokens,"
            + " t.total_tokens, t.cached_tokens, t.reasoning_tokens, t.cost, t.response_id, t.litellm_call_id,"
            + " t.generation_id, t.finish_reason, t.request_json, t.response_json, t.prompt_token_ids,"
            + " t.completion_token_ids, t.completion_logprobs, t.tool_calls, t.refusal, t.stream_first_token_ms,"
            + " t.stream_chunks, t.stream_clean_end";
    private static final String NEWEST_FIRST = " ORDER BY t.started_at_ms DESC, t.id DESC";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final Path file;
    private final Connection connection;

    TraceReader(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    synchronized List<TraceRecord> bySessionName(String name) {
        return select("SELECT " + COLUMNS + " FROM traces t WHERE t.session_name = ?" + NEWEST_FIRST, List.of(name));
    }

    synchronized List<TraceRecord> bySessionUid(String uid) {
        return select(
                "SELECT " + COLUMNS + " FROM trace_session_uids s JOIN traces t ON t.id = s.trace_rowid"
                        + " WHERE s.session_uid = ?" + NEWEST_FIRST,
                List.of(uid));
    }

    synchronized List<TraceRecord> find(TraceQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM traces t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.sessionUid().ifPresent(v -> {
            sql.append(" AND t.id IN (SELECT s.trace_rowid FROM trace_session_uids s WHERE s.session_uid = ?)");
            args.add(v);
        });
        q.errorCategory().ifPresent(v -> {
            sql.append(" AND t.error_category = ?");
            args.add(v.name());
        });
        q.traceIdPrefix().ifPresent(v -> {
            // substr, not LIKE: a prefix is compared as typed, with no wildcard characters
            sql.append(" AND substr(t.trace_id, 1, ?) = ?");
            args.add(v.length());
            args.add(v);
        });
        if (q.writtenAfter() > 0) {
            sql.append(" AND t.id > ?");
            args.add(q.writtenAfter());
        }
        if (q.writtenUpTo() != Long.MAX_VALUE) {
            sql.append(" AND t.id <= ?");
            args.add(q.writtenUpTo());
        }
        q.since().ifPresent(v -> {
            sql.append(" AND t.started_at_ms >= ?");
            args.add(v.toEpochMilli());
        });
        q.until().ifPresent(v -> {
            sql.append(" AND t.started_at_ms < ?");
            args.add(v.toEpochMilli());
        });
        q.model().ifPresent(v -> {
            sql.append(" AND (t.model_requested = ? OR t.model_used = ?)");
            args.add(v);
            args.add(v);
        });
        q.status().ifPresent(v -> {
            sql.append(" AND t.status = ?");
            args.add(v.column());
        });
        q.sessionName().ifPresent(v -> {
            sql.append(" AND t.session_name = ?");
            args.add(v);
        });
        sql.append(NEWEST_FIRST).append(" LIMIT ?");
        args.add(q.limit());
        return select(sql.toString(), args);
    }

    /** The id of the newest row: traces are given ids in the order they are committed. */
    synchronized long lastPosition() {
        try (PreparedStatement p = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM traces");
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw failed("read the last position", e);
        }
    }

    synchronized TraceSummary summary(String name) {
        try (PreparedStatement p = connection.prepareStatement("SELECT count(*),"
                + " coalesce(sum(status = 'failed'), 0), coalesce(sum(attempts), 0), coalesce(sum(prompt_tokens), 0),"
                + " coalesce(sum(completion_tokens), 0), coalesce(sum(total_tokens), 0), coalesce(sum(cost), 0)"
                + " FROM traces WHERE session_name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                long calls = r.getLong(1);
                return new TraceSummary(
                        name,
                        calls,
                        r.getLong(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.getDouble(7),
                        latencyAtRank(name, calls, 0.50),
                        latencyAtRank(name, calls, 0.95));
            }
        } catch (SQLException e) {
            throw failed("summarise session '" + name + "'", e);
        }
    }

    /** The nearest-rank percentile: the smallest latency with at least {@code p} of the calls at or below it. */
    private Duration latencyAtRank(String name, long calls, double p) throws SQLException {
        if (calls == 0) {
            return Duration.ZERO;
        }
        long rank = (long) Math.ceil(p * calls);
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT latency_ms FROM traces WHERE session_name = ? ORDER BY latency_ms LIMIT 1 OFFSET ?")) {
            s.setString(1, name);
            s.setLong(2, Math.max(0, rank - 1));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? millis(r.getDouble(1)) : Duration.ZERO;
            }
        }
    }

    private List<TraceRecord> select(String sql, List<Object> args) {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            List<TraceRecord> records = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    records.add(record(r));
                }
            }
            return records;
        } catch (SQLException e) {
            throw failed("read traces", e);
        }
    }

    private TraceRecord record(ResultSet r) throws SQLException {
        try {
            String category = r.getString("error_category");
            int httpStatus = r.getInt("http_status");
            double cost = r.getDouble("cost");
            boolean costMissing = r.wasNull();
            return new TraceRecord(
                    r.getString("trace_id"),
                    Instant.ofEpochMilli(r.getLong("started_at_ms")),
                    r.getString("session_name"),
                    strings(r.getString("session_uids")),
                    metadata(r.getString("metadata")),
                    strings(r.getString("tags")),
                    r.getString("backend"),
                    r.getString("model_requested"),
                    r.getString("model_used"),
                    TraceStatus.fromColumn(r.getString("status")),
                    category == null ? null : ErrorCategory.valueOf(category),
                    r.getString("error_message"),
                    httpStatus,
                    r.getInt("attempts"),
                    attempts(r.getString("attempt_history")),
                    millis(r.getDouble("latency_ms")),
                    new Usage(
                            r.getLong("prompt_tokens"),
                            r.getLong("completion_tokens"),
                            r.getLong("total_tokens"),
                            r.getLong("cached_tokens"),
                            r.getLong("reasoning_tokens")),
                    costMissing ? null : cost,
                    r.getString("response_id"),
                    r.getString("litellm_call_id"),
                    r.getString("generation_id"),
                    r.getString("finish_reason"),
                    r.getString("request_json"),
                    r.getString("response_json"),
                    ReplyColumns.readIds(r.getString("prompt_token_ids")),
                    ReplyColumns.readIdsPerChoice(r.getString("completion_token_ids")),
                    ReplyColumns.readLogprobsPerChoice(r.getString("completion_logprobs")),
                    ReplyColumns.readToolCalls(r.getString("tool_calls")),
                    r.getString("refusal"),
                    stream(r));
        } catch (IOException | IllegalArgumentException e) {
            throw new TraceStoreException(
                    "trace database " + file + " has a row this library cannot read (trace " + r.getString("trace_id")
                            + "): " + e.getMessage(),
                    e);
        }
    }

    private static List<String> strings(String json) throws IOException {
        return json == null ? List.of() : List.copyOf(Json.MAPPER.readValue(json, STRINGS));
    }

    private static Map<String, Object> metadata(String json) throws IOException {
        return json == null ? Map.of() : Json.MAPPER.readValue(json, OBJECT);
    }

    private static List<Attempt> attempts(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<Attempt> attempts = new ArrayList<>();
        for (JsonNode a : Json.MAPPER.readTree(json)) {
            String error = Json.text(a, "error");
            attempts.add(new Attempt(
                    a.path("model").asText(),
                    Instant.parse(a.path("start").asText()),
                    millis(a.path("duration_ms").asDouble()),
                    a.path("http_status").asInt(),
                    error == null ? null : ErrorCategory.valueOf(error),
                    millis(a.path("wait_after_ms").asDouble()),
                    Json.text(a, "call_id"),
                    a.path("concurrency_limit").asInt(0),
                    Json.text(a, "overload_signal")));
        }
        return List.copyOf(attempts);
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    private TraceStoreException failed(String what, SQLException e) {
        return new TraceStoreException("could not " + what + " from trace database " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
