package io.github.llmbridge.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.Json;
import java.util.List;
import java.util.Optional;

/**
 * When and how the mock backend calls a tool, deterministically: with {@code tool_choice} naming a
 * function it calls that one; with {@code required}, the first tool; with {@code auto} (or none
 * given), the first tool unless the conversation ends with a tool's result, which it then answers
 * in text; with {@code none}, never. The arguments fill the schema's required properties with
 * placeholders ({@code ""} or the first enum value, 0, {@code false}, {@code []}, nested objects
 * likewise, the first non-null branch of {@code anyOf}/{@code oneOf}), so they bind to the tool's
 * own argument type; a {@code $ref} is not followed (an empty object).
 */
final class MockToolCall {

    private MockToolCall() {}

    /** Returns the call the mock makes for this request, empty when it answers in text. */
    static Optional<ToolCall> of(ChatRequest request) {
        List<Tool> tools = request.tools();
        if (tools.isEmpty()) {
            return Optional.empty();
        }
        String mode = request.toolChoice().map(c -> c.mode()).orElse("auto");
        Tool tool;
        switch (mode) {
            case "none" -> {
                return Optional.empty();
            }
            case "function" -> {
                String name = request.toolChoice().orElseThrow().functionName().orElseThrow();
                tool = tools.stream()
                        .filter(t -> t.name().equals(name))
                        .findFirst()
                        .orElseThrow();
            }
            case "required" -> tool = tools.get(0);
            default -> {
                List<ChatMessage> messages = request.messages();
                if (messages.get(messages.size() - 1).role().equals(ChatMessage.TOOL)) {
                    return Optional.empty();
                }
                tool = tools.get(0);
            }
        }
        String id = "call_mock_" + tool.name() + "_" + request.messages().size();
        return Optional.of(ToolCall.function(
                id, tool.name(), placeholder(tool.parameters()).toString()));
    }

    private static JsonNode placeholder(JsonNode schema) {
        for (String union : List.of("anyOf", "oneOf")) {
            JsonNode options = schema == null ? null : schema.get(union);
            if (options != null && options.isArray()) {
                for (JsonNode option : options) {
                    if (!type(option).equals("null")) {
                        return placeholder(option);
                    }
                }
            }
        }
        String type = type(schema);
        JsonNode values = schema == null ? null : schema.get("enum");
        if (values != null && values.isArray() && !values.isEmpty()) {
            return values.get(0);
        }
        return switch (type) {
            case "string" -> Json.MAPPER.getNodeFactory().textNode("");
            case "integer", "number" -> Json.MAPPER.getNodeFactory().numberNode(0);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(false);
            case "array" -> Json.MAPPER.createArrayNode();
            case "null" -> Json.MAPPER.getNodeFactory().nullNode();
            default -> object(schema);
        };
    }

    private static ObjectNode object(JsonNode schema) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode properties = schema == null ? null : schema.get("properties");
        JsonNode required = schema == null ? null : schema.get("required");
        if (properties == null || !properties.isObject() || required == null || !required.isArray()) {
            return out;
        }
        for (JsonNode name : required) {
            if (name.isTextual() && properties.has(name.asText())) {
                out.set(name.asText(), placeholder(properties.get(name.asText())));
            }
        }
        return out;
    }

    /** Returns the schema's type, the first non-null one of a list, {@code object} when unsaid. */
    private static String type(JsonNode schema) {
        JsonNode type = schema == null ? null : schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (t.isTextual() && !t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return "object";
    }
}
