package io.github.llmbridge.tracing;

import com.fasterxml.jackson.core.JsonProcessingException;
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
        return json == null ? null : ids(Json.MAPPER.readTree(json));
    }

    /** Reads {@code completion_token_ids}: one per choice, empty for a choice without. */
    static List<TokenIds> readIdsPerChoice(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<TokenIds> out = new ArrayList<>();
        for (JsonNode choice : array(Json.MAPPER.readTree(json), "completion_token_ids")) {
            out.add(choice.isNull() ? TokenIds.of() : ids(choice));
        }
        return out;
    }

    /** Reads {@code completion_logprobs}: one list per choice, empty for a choice without. */
    static List<List<Double>> readLogprobsPerChoice(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<List<Double>> out = new ArrayList<>();
        for (JsonNode choice : array(Json.MAPPER.readTree(json), "completion_logprobs")) {
            List<Double> values = new ArrayList<>(choice.size());
            for (JsonNode v : choice.isNull() ? Json.MAPPER.createArrayNode() : array(choice, "completion_logprobs")) {
                values.add(v.isNumber() ? v.asDouble() : Double.NaN);
            }
            out.add(List.copyOf(values));
        }
        return out;
    }

    /** Reads {@code tool_calls}. */
    static List<ToolCall> readToolCalls(String json) throws IOException {
        if (json == null) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : array(Json.MAPPER.readTree(json), "tool_calls")) {
            out.add(new ToolCall(
                    Json.text(c, "id"),
                    Json.text(c, "name"),
                    c.path("arguments").asText()));
        }
        return out;
    }

    private static TokenIds ids(JsonNode array) throws IOException {
        JsonNode ids = array(array, "token ids");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new IOException("token ids hold a value that is not a token id: " + id);
            }
            out[i] = id.intValue();
        }
        return TokenIds.of(out);
    }

    private static JsonNode array(JsonNode node, String what) throws IOException {
        if (node == null || !node.isArray()) {
            throw new IOException(what + " is not a JSON array");
        }
        return node;
    }
}
