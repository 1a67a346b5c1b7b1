package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.ToolCallDelta;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins the {@code chat.completion.chunk} events of a streamed reply into the
 * {@code chat.completion} body the same call would have answered without streaming, so that
 * {@link ChatCompletionReader} reads both and a streamed call's assembled reply equals the
 * non-streamed one field by field (fields without an accessor too, in {@code raw()}). Per choice:
 * {@code delta.content}, {@code reasoning}/{@code reasoning_content} and {@code refusal}
 * concatenated; tool-call pieces joined by {@code index} (id and name from the first piece,
 * {@code arguments} concatenated); {@code reasoning_details}, {@code logprobs.content} and
 * {@code token_ids} appended; the last {@code finish_reason}; other fields of the choice and the
 * delta kept as last sent. Top-level fields are kept as first sent, except {@code usage}, which
 * arrives last (with {@code stream_options.include_usage}) and is kept as last sent. Not
 * thread-safe: one stream feeds it.
 */
final class StreamedCompletion {

    private final ObjectNode top = Json.MAPPER.createObjectNode();
    private final Map<Integer, ChoiceParts> choices = new TreeMap<>();
    private JsonNode usage;
    private int events;

    /** Adds one event's JSON and returns it as a chunk. */
    ChatChunk add(JsonNode event) {
        events++;
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "choices", "object", "error" -> {}
                case "usage" -> {
                    if (!f.getValue().isNull()) {
                        usage = f.getValue();
                    }
                }
                default -> {
                    if (!top.has(f.getKey())) {
                        top.set(f.getKey(), f.getValue());
                    }
                }
            }
        }
        ChatChunk.Builder chunk = ChatChunk.builder()
                .id(Json.text(event, "id"))
                .model(Json.text(event, "model"))
                .raw(event);
        JsonNode u = event.get("usage");
        if (u != null && u.isObject()) {
            chunk.usage(ChatCompletionReader.usage(u)).cost(ChatCompletionReader.cost(u));
        }
        JsonNode list = event.get("choices");
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                JsonNode index = c.get("index");
                int at = index != null && index.canConvertToInt() ? index.asInt() : i;
                chunk.choice(choices.computeIfAbsent(at, k -> new ChoiceParts()).add(at, c));
            }
        }
        return chunk.build();
    }

    /** Returns how many events were added. */
    int events() {
        return events;
    }

    /** Returns whether any choice has a finish reason. */
    boolean finished() {
        for (ChoiceParts c : choices.values()) {
            if (c.finishReason != null) {
                return true;
            }
        }
        return false;
    }

    /** Returns the first choice's text so far, or {@code null} if there is none. */
    String partialContent() {
        ChoiceParts first = choices.get(0);
        return first == null || first.content == null || first.content.length() == 0 ? null : first.content.toString();
    }

    /** Returns the non-streamed body these events add up to. */
    ObjectNode completion() {
        ObjectNode root = top.deepCopy();
        root.put("object", "chat.completion");
        ArrayNode list = root.putArray("choices");
        choices.forEach((index, parts) -> list.add(parts.toJson(index)));
        if (usage != null) {
            root.set("usage", usage);
        }
        return root;
    }

    private static final class ChoiceParts {
        final ObjectNode choiceExtras = Json.MAPPER.createObjectNode();
        final ObjectNode messageExtras = Json.MAPPER.createObjectNode();
        String role;
        StringBuilder content;
        String reasoningField;
        StringBuilder reasoning;
        StringBuilder refusal;
        final Map<Integer, CallParts> calls = new TreeMap<>();
        ArrayNode reasoningDetails;
        ArrayNode logprobs;
        ArrayNode refusalLogprobs;
        ArrayNode tokenIds;
        String finishReason;

        ChatChunk.Delta add(int index, JsonNode choice) {
            String contentDelta = "";
            String reasoningDelta = "";
            String refusalDelta = "";
            List<ToolCallDelta> callDeltas = List.of();
            for (Iterator<Map.Entry<String, JsonNode>> it = choice.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                switch (f.getKey()) {
                    case "index", "delta" -> {}
                    case "finish_reason" -> {
                        if (v.isTextual()) {
                            finishReason = v.asText();
                        }
                    }
                    case "logprobs" -> {
                        if (v.isObject()) {
                            logprobs = appendAll(logprobs, v.get("content"));
                            refusalLogprobs = appendAll(refusalLogprobs, v.get("refusal"));
                        }
                    }
                    case "token_ids" -> tokenIds = appendAll(tokenIds, v);
                    default -> choiceExtras.set(f.getKey(), v);
                }
            }
            JsonNode delta = choice.get("delta");
            if (delta != null && delta.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = delta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonNode v = f.getValue();
                    switch (f.getKey()) {
                        case "role" -> role = v.isTextual() ? v.asText() : role;
                        case "content" -> {
                            if (v.isTextual()) {
                                contentDelta = v.asText();
                                content = (content == null ? new StringBuilder() : content).append(contentDelta);
                            }
                        }
                        case "reasoning", "reasoning_content" -> {
                            if (v.isTextual()) {
                                reasoningField = reasoningField == null ? f.getKey() : reasoningField;
                                reasoningDelta = v.asText();
                                reasoning =
                                        (reasoning == null ? new StringBuilder() : reasoning).append(reasoningDelta);
                            }
                        }
                        case "refusal" -> {
                            if (v.isTextual()) {
                                refusalDelta = v.asText();
                                refusal = (refusal == null ? new StringBuilder() : refusal).append(refusalDelta);
                            }
                        }
                        case "tool_calls" -> callDeltas = addCalls(v);
                        case "reasoning_details" -> reasoningDetails = appendAll(reasoningDetails, v);
                        default -> {
                            if (!v.isNull()) {
                                messageExtras.set(f.getKey(), v);
                            }
                        }
                    }
                }
            }
            JsonNode fr = choice.get("finish_reason");
            return new ChatChunk.Delta(
                    index,
                    contentDelta,
                    reasoningDelta,
                    refusalDelta,
                    callDeltas,
                    FinishReason.of(fr != null && fr.isTextual() ? fr.asText() : null));
        }

        private List<ToolCallDelta> addCalls(JsonNode list) {
            if (!list.isArray()) {
                return List.of();
            }
            List<ToolCallDelta> deltas = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                JsonNode piece = list.get(i);
                JsonNode idx = piece.get("index");
                int at = idx != null && idx.canConvertToInt() ? idx.asInt() : calls.size();
                CallParts call = calls.computeIfAbsent(at, k -> new CallParts());
                String id = Json.text(piece, "id");
                String type = Json.text(piece, "type");
                JsonNode fn = Json.object(piece, "function");
                String name = Json.text(fn, "name");
                String args = Json.text(fn, "arguments");
                if (id != null && !id.isEmpty()) {
                    call.id = id;
                }
                if (type != null && !type.isEmpty()) {
                    call.type = type;
                }
                if (name != null && !name.isEmpty()) {
                    call.name = name;
                }
                if (args != null) {
                    call.arguments.append(args);
                }
                deltas.add(new ToolCallDelta(at, id, name, args));
            }
            return deltas;
        }

        private static ArrayNode appendAll(ArrayNode into, JsonNode items) {
            if (items == null || !items.isArray()) {
                return into;
            }
            ArrayNode target = into == null ? Json.MAPPER.createArrayNode() : into;
            target.addAll((ArrayNode) items);
            return target;
        }

        ObjectNode toJson(int index) {
            ObjectNode choice = Json.MAPPER.createObjectNode();
            choice.put("index", index);
            ObjectNode message = choice.putObject("message");
            message.put("role", role == null ? "assistant" : role);
            if (content == null || (content.length() == 0 && !calls.isEmpty())) {
                message.putNull("content");
            } else {
                message.put("content", content.toString());
            }
            if (reasoning != null) {
                message.put(reasoningField, reasoning.toString());
            }
            if (refusal != null) {
                message.put("refusal", refusal.toString());
            }
            if (!calls.isEmpty()) {
                ArrayNode list = message.putArray("tool_calls");
                calls.forEach((i, c) -> {
                    ObjectNode call = list.addObject();
                    call.put("id", c.id);
                    call.put("type", c.type);
                    ObjectNode fn = call.putObject("function");
                    fn.put("name", c.name);
                    fn.put("arguments", c.arguments.toString());
                });
            }
            if (reasoningDetails != null) {
                message.set("reasoning_details", reasoningDetails);
            }
            messageExtras.fields().forEachRemaining(f -> {
                if (!message.has(f.getKey())) {
                    message.set(f.getKey(), f.getValue());
                }
            });
            if (finishReason != null) {
                choice.put("finish_reason", finishReason);
            } else {
                choice.putNull("finish_reason");
            }
            if (logprobs != null || refusalLogprobs != null) {
                ObjectNode lp = choice.putObject("logprobs");
                lp.set("content", logprobs);
                lp.set("refusal", refusalLogprobs);
            }
            if (tokenIds != null) {
                choice.set("token_ids", tokenIds);
            }
            choiceExtras.fields().forEachRemaining(f -> {
                if (!choice.has(f.getKey())) {
                    choice.set(f.getKey(), f.getValue());
                }
            });
            return choice;
        }
    }

    private static final class CallParts {
        String id;
        String type = "function";
        String name = "";
        final StringBuilder arguments = new StringBuilder();
    }
}
