package io.github.llmbridge.tracing.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.tracing.StreamStats;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import io.github.llmbridge.tracing.TraceStoreException;
import io.github.llmbridge.tracing.TraceSummary;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store's queries, on a connection of their own (SQLite: WAL readers never wait for the
 * writer). The SQL is the same in SQLite and PostgreSQL except for the lookup by session uid,
 * which each store passes in. One query at a time: the methods are synchronized. When the
 * connection is lost (a database server restarted), a query reconnects and runs once more.
 */
public final class TraceReader implements AutoCloseable, RecordedCalls {

    /** Opens the reader's connection. */
    @FunctionalInterface
    public interface Connector {
        /** Returns a new connection to the store's database. */
        Connection connect() throws SQLException;
    }

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
    /** The backend name of a reply the cache gave (see the cache package). */
    public static final String CACHE_BACKEND = "cache";

    /** A call a reply can be rebuilt from: answered by a backend, not by the cache. */
    private static final String ANSWERED = "status = 'ok' AND response_json IS NOT NULL"
            + " AND (backend IS NULL OR backend <> '" + CACHE_BACKEND + "')";

    private static final String NEWEST_FIRST = " ORDER BY t.started_at_ms DESC, t.id DESC";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final String where;
    private final Connector connector;
    private final String sessionUidCondition;
    private final Predicate<SQLException> connectionLost;
    private final boolean positionsFollowCommits;
    private Connection connection; // guarded by this

    /**
     * Opens the reader's connection.
     *
     * @param where          the database as messages name it (never with a password)
     * @param connector      opens a connection, now and after one was lost
     * @param sessionUidCondition the condition on a trace {@code t} that holds when its session uid
     *                       chain holds the one parameter
     * @param connectionLost whether a failure means the connection is gone (reconnect and retry)
     * @param positionsFollowCommits whether row ids are taken in commit order (see {@link RecordedCalls})
     * @throws SQLException when the first connection cannot be opened
     */
    public TraceReader(
            String where,
            Connector connector,
            String sessionUidCondition,
            Predicate<SQLException> connectionLost,
            boolean positionsFollowCommits)
            throws SQLException {
        this.positionsFollowCommits = positionsFollowCommits;
        this.where = where;
        this.connector = connector;
        this.sessionUidCondition = sessionUidCondition;
        this.connectionLost = connectionLost;
        this.connection = connector.connect();
    }

    /** See {@link io.github.llmbridge.tracing.TraceStore#findBySessionName}. */
    public synchronized List<TraceRecord> bySessionName(String name) {
        return select("SELECT " + COLUMNS + " FROM traces t WHERE t.session_name = ?" + NEWEST_FIRST, List.of(name));
    }

    /** See {@link io.github.llmbridge.tracing.TraceStore#findBySessionUid}. */
    public synchronized List<TraceRecord> bySessionUid(String uid) {
        return select("SELECT " + COLUMNS + " FROM traces t WHERE " + sessionUidCondition + NEWEST_FIRST, List.of(uid));
    }

    /** See {@link io.github.llmbridge.tracing.TraceStore#find}. */
    public synchronized List<TraceRecord> find(TraceQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM traces t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.sessionUid().ifPresent(v -> {
            sql.append(" AND ").append(sessionUidCondition);
            args.add(v);
        });
        q.errorCategory().ifPresent(v -> {
            sql.append(" AND t.error_category = ?");
            args.add(v.name());
        });
        q.traceIdPrefix().ifPresent(v -> {
            // substr, not LIKE: a prefix is compared as typed, with no wildcard characters
            // the cast: PostgreSQL stores the id as uuid
            sql.append(" AND substr(CAST(t.trace_id AS text), 1, ?) = ?");
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

    /**
     * The id of the newest row. SQLite gives ids in the order traces are committed; PostgreSQL's
     * sequence gives them at insert, so with several writers a row may commit after a higher id.
     */
    public synchronized long lastPosition() {
        try {
            return withReconnect(() -> {
                try (PreparedStatement p = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM traces");
                        ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw failed("read the last position", e);
        }
    }

    @Override
    public boolean positionsFollowCommits() {
        return positionsFollowCommits;
    }

    @Override
    public synchronized long[] successfulPositions(long after, long upTo) {
        try {
            return withReconnect(() -> {
                try (PreparedStatement p = connection.prepareStatement(
                        "SELECT id FROM traces WHERE id > ? AND id <= ? AND " + ANSWERED + " ORDER BY id")) {
                    p.setLong(1, after);
                    p.setLong(2, upTo);
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getLong(1));
                        }
                    }
                    return ids.stream().mapToLong(Long::longValue).toArray();
                }
            });
        } catch (SQLException e) {
            throw failed("read recorded calls", e);
        }
    }

    @Override
    public synchronized List<Call> successfulCalls(long after) {
        return calls("id > ? ORDER BY id LIMIT " + PAGE, after);
    }

    @Override
    public synchronized Optional<Call> call(long position) {
        return calls("id = ?", position).stream().findFirst();
    }

    private List<Call> calls(String condition, long position) {
        try {
            return withReconnect(() -> {
                try (PreparedStatement p = connection.prepareStatement(
                        "SELECT id, trace_id, started_at_ms, request_json FROM traces WHERE " + ANSWERED + " AND "
                                + condition)) {
                    p.setLong(1, position);
                    List<Call> calls = new ArrayList<>();
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            calls.add(new Call(r.getLong(1), r.getString(2), r.getLong(3), r.getString(4)));
                        }
                    }
                    return calls;
                }
            });
        } catch (SQLException e) {
            throw failed("read recorded calls", e);
        }
    }

    @Override
    public synchronized Optional<TraceRecord> at(long position) {
        List<TraceRecord> found = select("SELECT " + COLUMNS + " FROM traces t WHERE t.id = ?", List.of(position));
        return found.stream().findFirst();
    }

    /** See {@link io.github.llmbridge.tracing.TraceStore#summary}. */
    public synchronized TraceSummary summary(String name) {
        try {
            return withReconnect(() -> summarise(name));
        } catch (SQLException e) {
            throw failed("summarise session '" + name + "'", e);
        }
    }

    private TraceSummary summarise(String name) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT count(*),"
                + " coalesce(sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0), coalesce(sum(attempts), 0),"
                + " coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0),"
                + " coalesce(sum(total_tokens), 0), coalesce(sum(cost), 0)"
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
        try {
            return withReconnect(() -> {
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
                }
            });
        } catch (SQLException e) {
            throw failed("read traces", e);
        }
    }

    /** One query on the connection. */
    @FunctionalInterface
    private interface Query<T> {
        T run() throws SQLException;
    }

    /** Runs the query; when the connection was lost, reconnects and runs it once more. */
    private <T> T withReconnect(Query<T> query) throws SQLException {
        try {
            return query.run();
        } catch (SQLException e) {
            if (!connectionLost.test(e)) {
                throw e;
            }
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            try {
                connection = connector.connect();
            } catch (SQLException reconnect) {
                reconnect.addSuppressed(e);
                throw reconnect;
            }
            return query.run();
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
                    "trace database " + where + " has a row this library cannot read (trace " + r.getString("trace_id")
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
        return new TraceStoreException(
                "could not " + what + " from trace database " + where + ": " + e.getMessage(), e);
    }

    /** Closes the connection. */
    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
