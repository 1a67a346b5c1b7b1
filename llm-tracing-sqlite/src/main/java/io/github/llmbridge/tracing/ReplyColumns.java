package io.github.llmbridge.tracing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The columns schema version 4 added, which lift out of {@code response_json} what RL training
 * and agent traces query most, as JSON text that SQLite's JSON functions read: written from a
 * reply on the writer thread, read back into a {@link TraceRecord}. Each is {@code NULL} when the
 * reply has none of it (and for failures).
 *
 * <ul>
 *   <li>{@code prompt_token_ids}: the prompt's token ids, {@code [1, 2, 3]};
 *   <li>{@code completion_token_ids}: one array per choice, {@code [[4, 5], [6]]}, {@code null}
 *       for a choice the server sent none for;
 *   <li>{@code completion_logprobs}: one array per choice of the log probabilities of the tokens
 *       the model chose (its content tokens, position by position, as {@code completion_token_ids}
 *       lists them), {@code null} for a choice without; the alternatives and bytes stay in
 *       {@code response_json};
 *   <li>{@code tool_calls}: the first choice's tool calls, {@code [{"id", "name", "arguments"}]}
 *       with the arguments as the model wrote them (text); the other choices' are in
 *       {@code response_json};
 *   <li>{@code refusal}: the first choice's refusal text.
 * </ul>
 */
record ReplyColumns(
        String promptTokenIds, String completionTokenIds, String completionLogprobs, String toolCalls, String refusal) {

    /** A failure's, or a reply without any of it. */
    static final ReplyColumns NONE = new ReplyColumns(null, null, null, null, null);

    /**
     * Computes the columns of a reply; text that may carry a secret (tool arguments, the refusal)
     * is scrubbed.
     */
    static ReplyColumns of(ChatResponse reply, Collection<String> secrets) throws JsonProcessingException {
        List<Choice> choices = reply.choices();
        String prompt = reply.promptTokenIds().map(ReplyColumns::ids).orElse(null);
        boolean anyIds = false;
        boolean anyLogprobs = false;
        for (Choice c : choices) {
            anyIds |= c.tokenIds().isPresent();
            anyLogprobs |= c.logprobs().isPresent();
        }
        String completionIds = anyIds ? perChoice(choices, true) : null;
        String logprobs = anyLogprobs ? perChoice(choices, false) : null;
        List<ToolCall> calls = reply.toolCalls();
        String toolCalls = calls.isEmpty() ? null : Secrets.scrub(toolCallsJson(calls), secrets);
        String refusal = reply.refusal().map(r -> Secrets.scrub(r, secrets)).orElse(null);
        if (prompt == null && completionIds == null && logprobs == null && toolCalls == null && refusal == null) {
            return NONE;
        }
        return new ReplyColumns(prompt, completionIds, logprobs, toolCalls, refusal);
    }

    private static String perChoice(List<Choice> choices, boolean ids) {
        StringBuilder s = new StringBuilder().append('[');
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            s.append(i == 0 ? "" : ",");
            if (ids) {
                s.append(c.tokenIds().map(ReplyColumns::ids).orElse("null"));
            } else {
                s.append(c.logprobs().map(ReplyColumns::logprobs).orElse("null"));
            }
        }
        return s.append(']').toString();
    }

    private static String ids(TokenIds ids) {
        StringBuilder s = new StringBuilder(ids.size() * 7 + 2).append('[');
        for (int i = 0; i < ids.size(); i++) {
            s.append(i == 0 ? "" : ",").append(ids.get(i));
        }
        return s.append(']').toString();
    }

    private static String logprobs(Logprobs logprobs) {
        List<TokenLogprob> tokens = logprobs.content();
        StringBuilder s = new StringBuilder(tokens.size() * 12 + 2).append('[');
        for (int i = 0; i < tokens.size(); i++) {
            double lp = tokens.get(i).logprob();
            // JSON has no NaN or Infinity; a reply cannot carry them either, but never write invalid JSON.
            s.append(i == 0 ? "" : ",").append(Double.isFinite(lp) ? Double.toString(lp) : "null");
        }
        return s.append(']').toString();
    }

    private static String toolCallsJson(List<ToolCall> calls) throws JsonProcessingException {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ToolCall c : calls) {
            array.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
        }
        return Json.MAPPER.writeValueAsString(array);
    }

    /** Reads {@code prompt_token_ids}; {@code null} stays {@code null}. */
    static TokenIds readIds(String json) throws IOException {
        if (json == null) {
            return null;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "prompt_token_ids");
            return ints(p, "prompt_token_ids");
        }
    }

    /** Reads {@code completion_token_ids}: one per choice, empty for a choice without. */
    static List<TokenIds> readIdsPerChoice(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<TokenIds> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "completion_token_ids");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NULL) {
                    out.add(TokenIds.of());
                } else {
                    expect(p, t, JsonToken.START_ARRAY, "completion_token_ids");
                    out.add(ints(p, "completion_token_ids"));
                }
            }
        }
        return out;
    }

    /** Reads {@code completion_logprobs}: one sequence per choice, empty for a choice without. */
    static List<LogprobSequence> readLogprobsPerChoice(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<LogprobSequence> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, "completion_logprobs");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NULL) {
                    out.add(LogprobSequence.of());
                } else {
                    expect(p, t, JsonToken.START_ARRAY, "completion_logprobs");
                    out.add(doubles(p));
                }
            }
        }
        return out;
    }

    /** Reads {@code tool_calls}. */
    static List<ToolCall> readToolCalls(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        JsonNode calls = Json.MAPPER.readTree(json);
        if (calls == null || !calls.isArray()) {
            throw new IOException("tool_calls is not a JSON array");
        }
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : calls) {
            out.add(new ToolCall(
                    Json.text(c, "id"),
                    Json.text(c, "name"),
                    c.path("arguments").asText()));
        }
        return out;
    }

    /** Reads integers up to the end of the array whose start the parser is at. */
    private static TokenIds ints(JsonParser p, String column) throws IOException {
        int[] buffer = new int[64];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                throw new IOException(column + " holds a value that is not a token id: " + p.getText());
            }
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = p.getIntValue();
        }
        return TokenIds.of(n == buffer.length ? buffer : Arrays.copyOf(buffer, n));
    }

    /** Reads numbers up to the end of the array whose start the parser is at; a null is {@code NaN}. */
    private static LogprobSequence doubles(JsonParser p) throws IOException {
        double[] buffer = new double[64];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, n * 2);
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                buffer[n++] = p.getDoubleValue();
            } else if (t == JsonToken.VALUE_NULL) {
                buffer[n++] = Double.NaN;
            } else {
                throw new IOException("completion_logprobs holds a value that is not a number: " + p.getText());
            }
        }
        return LogprobSequence.wrap(Arrays.copyOf(buffer, n));
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String column) throws IOException {
        if (actual != expected) {
            throw new IOException(column + " is not a JSON array of arrays of numbers (found " + actual + " at "
                    + p.currentLocation().getColumnNr() + ")");
        }
    }
}
