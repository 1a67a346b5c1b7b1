package io.github.llmbridge.tracing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.StreamStats;
import io.github.llmbridge.tracing.TraceStatus;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The column values of one {@code traces} row, computed from a {@link CallTrace} on the writer
 * thread: this is where the JSON is written, inline media is replaced by its digest
 * ({@link StoredMedia}) and secrets are scrubbed from every text column. Request headers are never
 * part of a {@link CallTrace}, so they cannot reach the database.
 *
 * <p>Shared by every store: the columns are the same in SQLite and PostgreSQL, in the order of
 * {@link #COLUMNS}, and each store binds them with {@link #bindColumns}.
 */
public final class TraceRow {

    /**
     * Every column a store writes except the row id, in the order {@link #bindColumns} sets them.
     * A store's schema has each of them; the row id is the store's own business.
     */
    public static final List<String> COLUMNS = List.of(
            "trace_id",
            "started_at_ms",
            "session_name",
            "session_uid",
            "session_uids",
            "metadata",
            "tags",
            "backend",
            "model_requested",
            "model_used",
            "status",
            "error_category",
            "error_message",
            "http_status",
            "attempts",
            "attempt_history",
            "latency_ms",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "cached_tokens",
            "reasoning_tokens",
            "cost",
            "response_id",
            "litellm_call_id",
            "generation_id",
            "finish_reason",
            "request_json",
            "response_json",
            "prompt_token_ids",
            "completion_token_ids",
            "completion_logprobs",
            "tool_calls",
            "refusal",
            "stream_first_token_ms",
            "stream_chunks",
            "stream_clean_end");

    /** The columns that hold JSON text (a store may give them a JSON type). */
    public static final List<String> JSON_COLUMNS = List.of(
            "session_uids",
            "metadata",
            "tags",
            "attempt_history",
            "request_json",
            "response_json",
            "prompt_token_ids",
            "completion_token_ids",
            "completion_logprobs",
            "tool_calls");

    private final String traceId;
    private final long startedAtMs;
    private final String sessionName;
    private final List<String> sessionUids;
    private final String sessionUidsJson;
    private final String metadata;
    private final String tags;
    private final String backend;
    private final String modelRequested;
    private final String modelUsed;
    private final TraceStatus status;
    private final String errorCategory;
    private final String errorMessage;
    private final Integer httpStatus;
    private final int attempts;
    private final String attemptHistory;
    private final double latencyMs;
    private final Usage usage;
    private final Double cost;
    private final String responseId;
    private final String litellmCallId;
    private final String generationId;
    private final String finishReason;
    private final String requestJson;
    private final String responseJson;
    private final ReplyColumns replyColumns;
    private final StreamStats stream;

    private TraceRow(CallTrace t, String traceId, Collection<String> secrets, StoredMedia media)
            throws JsonProcessingException {
        this.traceId = traceId;
        ChatResponse response = t.response();
        LlmException error = t.error();
        LlmSession session = t.session();
        startedAtMs = t.startedAt().toEpochMilli();
        sessionName = session == null ? null : scrub(session.name(), secrets);
        sessionUids = session == null ? List.of() : session.uids();
        sessionUidsJson = session == null ? null : json(sessionUids);
        Map<String, Object> merged = session == null
                ? t.request().metadata()
                : session.mergedWith(t.request().metadata());
        metadata = merged.isEmpty() ? null : scrub(json(merged), secrets);
        tags = t.request().tags().isEmpty() ? null : scrub(json(t.request().tags()), secrets);
        backend = firstNonEmpty(
                response == null ? "" : response.backend(), error == null ? "" : error.backend(), t.backend());
        modelRequested = t.request().model();
        status = t.status();
        errorCategory = error == null ? null : error.category().name();
        errorMessage = error == null ? null : scrub(error.getMessage(), secrets);
        List<Attempt> history = response != null && !response.attempts().isEmpty()
                ? response.attempts()
                : error != null ? error.attempts() : List.of();
        attempts = Math.max(history.size(), error != null ? error.attemptCount() : 1);
        attemptHistory = history.isEmpty() ? null : scrub(attemptsJson(history), secrets);
        httpStatus = httpStatus(history, error);
        latencyMs = t.latency().toNanos() / 1e6;
        boolean replied = response != null && !response.failed();
        modelUsed = replied && !response.model().isEmpty() ? response.model() : null;
        usage = replied ? response.usage() : Usage.EMPTY;
        cost = replied && response.cost().isPresent() ? response.cost().getAsDouble() : null;
        responseId = replied && !response.id().isEmpty() ? response.id() : null;
        Map<String, String> headers = replied ? response.headers() : error != null ? error.headers() : Map.of();
        // The reply's id, else the one the last attempt was sent with (LiteLLM logs the call under it).
        String sentId =
                history.isEmpty() ? null : history.get(history.size() - 1).callId();
        litellmCallId = headers.getOrDefault("x-litellm-call-id", sentId);
        String generation = headers.get("x-generation-id");
        generationId = generation != null
                ? generation
                : responseId != null && responseId.startsWith("gen-") ? responseId : null;
        finishReason = replied && response.finishReason().isPresent()
                ? response.finishReason().value()
                : null;
        ObjectNode body = ChatRequestJson.write(t.request());
        media.request(body);
        requestJson = scrub(Json.MAPPER.writeValueAsString(body), secrets);
        JsonNode raw = response == null ? null : response.raw();
        responseJson = raw == null || raw.isNull() || raw.isMissingNode()
                ? null
                : scrub(Json.MAPPER.writeValueAsString(media.reply(raw, StoredMedia.replyAudioFormat(body))), secrets);
        replyColumns = replied ? ReplyColumns.of(response, secrets) : ReplyColumns.NONE;
        stream = t.stream();
    }

    /**
     * Computes the row.
     *
     * @param media what to store of inline media and URLs
     * @throws JsonProcessingException when a value cannot be written as JSON
     */
    public static TraceRow of(CallTrace trace, String traceId, Collection<String> secrets, StoredMedia media)
            throws JsonProcessingException {
        return new TraceRow(trace, traceId, secrets, media);
    }

    /** Returns the trace's id (a random UUID), unique in every store. */
    public String traceId() {
        return traceId;
    }

    /** Returns the session uids, outermost first (SQLite indexes each in {@code trace_session_uids}). */
    public List<String> sessionUids() {
        return sessionUids;
    }

    /**
     * Sets the parameters for {@link #COLUMNS}, from parameter {@code first} on, passing every
     * text value through {@code text} (a store whose text type refuses some characters replaces
     * them there); returns the index of the next parameter.
     */
    public int bindColumns(PreparedStatement p, int first, UnaryOperator<String> text) throws SQLException {
        int i = first;
        p.setString(i++, traceId);
        p.setLong(i++, startedAtMs);
        p.setString(i++, text.apply(sessionName));
        p.setString(i++, text.apply(sessionUids.isEmpty() ? null : sessionUids.get(sessionUids.size() - 1)));
        p.setString(i++, text.apply(sessionUidsJson));
        p.setString(i++, text.apply(metadata));
        p.setString(i++, text.apply(tags));
        p.setString(i++, text.apply(backend));
        p.setString(i++, text.apply(modelRequested));
        p.setString(i++, text.apply(modelUsed));
        p.setString(i++, status.column());
        p.setString(i++, errorCategory);
        p.setString(i++, text.apply(errorMessage));
        if (httpStatus == null) {
            p.setNull(i++, Types.INTEGER);
        } else {
            p.setInt(i++, httpStatus);
        }
        p.setInt(i++, attempts);
        p.setString(i++, attemptHistory);
        p.setDouble(i++, latencyMs);
        p.setLong(i++, usage.promptTokens());
        p.setLong(i++, usage.completionTokens());
        p.setLong(i++, usage.totalTokens());
        p.setLong(i++, usage.cachedTokens());
        p.setLong(i++, usage.reasoningTokens());
        if (cost == null) {
            p.setNull(i++, Types.REAL);
        } else {
            p.setDouble(i++, cost);
        }
        p.setString(i++, text.apply(responseId));
        p.setString(i++, text.apply(litellmCallId));
        p.setString(i++, text.apply(generationId));
        p.setString(i++, text.apply(finishReason));
        p.setString(i++, text.apply(requestJson));
        p.setString(i++, text.apply(responseJson));
        p.setString(i++, text.apply(replyColumns.promptTokenIds()));
        p.setString(i++, text.apply(replyColumns.completionTokenIds()));
        p.setString(i++, text.apply(replyColumns.completionLogprobs()));
        p.setString(i++, text.apply(replyColumns.toolCalls()));
        p.setString(i++, text.apply(replyColumns.refusal()));
        if (stream == null) {
            p.setNull(i++, Types.REAL);
            p.setNull(i++, Types.INTEGER);
            p.setNull(i++, Types.INTEGER);
        } else {
            if (stream.timeToFirstToken() == null) {
                p.setNull(i++, Types.REAL);
            } else {
                p.setDouble(i++, stream.timeToFirstToken().toNanos() / 1e6);
            }
            p.setInt(i++, stream.chunks());
            p.setInt(i++, stream.endedCleanly() ? 1 : 0);
        }
        return i;
    }

    /** The last reply's status: the failure's, else the last attempt's; {@code null} when unknown. */
    private static Integer httpStatus(List<Attempt> history, LlmException error) {
        if (error != null && error.httpStatus().isPresent()) {
            return error.httpStatus().getAsInt();
        }
        if (!history.isEmpty() && history.get(history.size() - 1).status().isPresent()) {
            return history.get(history.size() - 1).httpStatus();
        }
        return null;
    }

    private static String attemptsJson(List<Attempt> history) throws JsonProcessingException {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Attempt a : history) {
            ObjectNode o = array.addObject();
            o.put("model", a.model());
            o.put("start", a.start().toString());
            o.put("duration_ms", a.duration().toNanos() / 1e6);
            o.put("http_status", a.httpStatus());
            if (a.errorCategory() != null) {
                o.put("error", a.errorCategory().name());
            }
            o.put("wait_after_ms", a.waitAfter().toNanos() / 1e6);
            if (a.callId() != null) {
                o.put("call_id", a.callId());
            }
            if (a.concurrencyLimit() > 0) {
                o.put("concurrency_limit", a.concurrencyLimit());
            }
            if (a.overloadSignal() != null) {
                o.put("overload_signal", a.overloadSignal());
            }
        }
        return Json.MAPPER.writeValueAsString(array);
    }

    private static String json(Object value) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(value);
    }

    private static String scrub(String text, Collection<String> secrets) {
        return Secrets.scrub(text, secrets);
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
