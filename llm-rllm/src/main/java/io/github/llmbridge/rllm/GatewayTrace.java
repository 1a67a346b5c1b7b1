package io.github.llmbridge.rllm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatMessageJson;
import io.github.llmbridge.core.internal.transport.ReplyDetailsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call the gateway recorded in a session ({@code GET /sessions/<id>/traces}, its
 * {@code TraceRecord}): the prompt's and the completion's token ids, the per-token log
 * probabilities, the request's messages and the reply's message (tool calls and reasoning
 * included), the finish reason, and, from gateways newer than 0.1.0, the weight version.
 *
 * <p>The gateway records a worker's error reply as a trace too, with no token ids and an empty
 * message: {@link #error()} tells such a trace apart. Everything else the record holds (the raw
 * request and reply, token counts, fields of newer gateways) is in {@link #raw()}.
 */
public final class GatewayTrace {

    private static final TypeReference<Map<String, Object>> STRING_MAP = new TypeReference<>() {};

    private final JsonNode raw;
    private final List<ChatMessage> messages;
    private final ChatMessage responseMessage;
    private final TokenIds promptTokenIds;
    private final TokenIds completionTokenIds;
    private final double[] logprobValues;

    private GatewayTrace(JsonNode raw) {
        this.raw = raw;
        List<ChatMessage> read = new ArrayList<>();
        JsonNode list = raw.get("messages");
        if (list != null && list.isArray()) {
            list.forEach(m -> read.add(ChatMessageJson.read(m)));
        }
        this.messages = Collections.unmodifiableList(read);
        this.responseMessage = ChatMessageJson.read(Json.object(raw, "response_message"));
        this.promptTokenIds = ids(raw, "prompt_token_ids");
        this.completionTokenIds = ids(raw, "completion_token_ids");
        JsonNode values = raw.get("logprobs");
        if (values != null && values.isArray()) {
            this.logprobValues = new double[values.size()];
            for (int i = 0; i < logprobValues.length; i++) {
                logprobValues[i] = values.get(i).asDouble();
            }
        } else {
            this.logprobValues = new double[0];
        }
    }

    /** Reads one element of the gateway's traces list. */
    static GatewayTrace of(JsonNode trace) {
        return new GatewayTrace(trace);
    }

    private static TokenIds ids(JsonNode raw, String field) {
        TokenIds ids = ReplyDetailsJson.tokenIds(raw, field);
        return ids == null ? TokenIds.of() : ids;
    }

    /** Returns the gateway's id of this trace. */
    public String traceId() {
        return text("trace_id");
    }

    /** Returns the session the call belonged to. */
    public String sessionId() {
        return text("session_id");
    }

    /** Returns the model the request named (the reply's, when the request named none). */
    public String model() {
        return text("model");
    }

    /** Returns the request's messages. */
    public List<ChatMessage> messages() {
        return messages;
    }

    /** Returns the prompt's token ids as the worker reported them (empty when it reported none). */
    public TokenIds promptTokenIds() {
        return promptTokenIds;
    }

    /** Returns the reply's first choice's message: content, tool calls, reasoning. Empty for an error reply. */
    public ChatMessage responseMessage() {
        return responseMessage;
    }

    /** Returns the completion's token ids (empty when the worker reported none). */
    public TokenIds completionTokenIds() {
        return completionTokenIds;
    }

    /**
     * Returns the per-token log probabilities the gateway recorded, one per completion token
     * (empty when none were recorded).
     */
    public double[] logprobValues() {
        return logprobValues.clone();
    }

    /**
     * Returns the log probabilities as the message model's value: the reply's own entries (tokens,
     * bytes, alternatives) when the gateway kept the reply, else one entry per recorded value with
     * an empty token (a streamed call's trace keeps no reply).
     */
    public Logprobs logprobs() {
        JsonNode choices = Json.object(raw, "raw_response") == null
                ? null
                : raw.get("raw_response").get("choices");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            Logprobs fromReply = ReplyDetailsJson.logprobs(choices.get(0));
            if (fromReply != null && !fromReply.content().isEmpty()) {
                return fromReply;
            }
        }
        List<TokenLogprob> entries = new ArrayList<>(logprobValues.length);
        for (double value : logprobValues) {
            entries.add(new TokenLogprob("", value, null, null));
        }
        return new Logprobs(entries, List.of());
    }

    /** Returns the finish reason ({@link FinishReason#MISSING} when the reply had none, e.g. an error). */
    public FinishReason finishReason() {
        String reason = text("finish_reason");
        return reason.isEmpty() ? FinishReason.MISSING : FinishReason.of(reason);
    }

    /** Returns the weight version the gateway stamped (gateways newer than 0.1.0, when the trainer set one). */
    public OptionalInt weightVersion() {
        JsonNode v = raw.get("weight_version");
        return v != null && v.canConvertToInt() ? OptionalInt.of(v.intValue()) : OptionalInt.empty();
    }

    /** Returns how long the worker took, as the gateway measured it. */
    public Duration latency() {
        JsonNode ms = raw.get("latency_ms");
        return ms == null || !ms.isNumber() ? Duration.ZERO : Duration.ofNanos((long) (ms.asDouble() * 1_000_000));
    }

    /** Returns when the gateway recorded the call. */
    public Instant timestamp() {
        JsonNode t = raw.get("timestamp");
        return t == null || !t.isNumber() ? Instant.EPOCH : Instant.ofEpochMilli((long) (t.asDouble() * 1000));
    }

    /**
     * Returns the trace's own metadata. The gateway fills it from nothing in 0.1.0 and rLLM main
     * (a session's metadata is kept on the session, {@link RllmGateway#session(String)}), so it is
     * usually empty.
     */
    public Map<String, Object> metadata() {
        JsonNode m = Json.object(raw, "metadata");
        return m == null ? Map.of() : Json.MAPPER.convertValue(m, STRING_MAP);
    }

    /** Returns the worker's error when the recorded reply was one ({@code {"error": ...}} in the raw reply). */
    public Optional<JsonNode> error() {
        JsonNode reply = Json.object(raw, "raw_response");
        return reply == null || !reply.hasNonNull("error") ? Optional.empty() : Optional.of(reply.get("error"));
    }

    /** Returns the whole record as the gateway sent it. */
    public JsonNode raw() {
        return raw;
    }

    private String text(String field) {
        String value = Json.text(raw, field);
        return value == null ? "" : value;
    }

    /** Shows the ids, the model, the token counts and the finish reason. */
    @Override
    public String toString() {
        return "GatewayTrace[" + traceId() + ", session=" + sessionId() + ", model=" + model() + ", prompt="
                + promptTokenIds.size() + " tokens, completion=" + completionTokenIds.size() + " tokens, finish="
                + finishReason().value() + (error().isPresent() ? ", error" : "") + "]";
    }
}
