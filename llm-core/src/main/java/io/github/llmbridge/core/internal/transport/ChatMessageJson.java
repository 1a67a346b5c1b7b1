package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ChatMessage} as a chat-completions message and reads one from a reply. Text-only
 * content is written as a string (what every server accepts), anything else as an array of parts;
 * no content is {@code null}. Reasoning text is read from {@code reasoning} or
 * {@code reasoning_content} and never written; {@code reasoning_details} goes both ways.
 */
public final class ChatMessageJson {

    private ChatMessageJson() {}

    /** Returns the message as JSON. */
    public static ObjectNode write(ChatMessage m) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("role", m.role());
        List<ContentPart> parts = m.parts();
        if (parts.isEmpty()) {
            node.putNull("content");
        } else if (parts.size() == 1
                && parts.get(0) instanceof ContentPart.Text t
                && t.extra().isEmpty()) {
            node.put("content", t.text());
        } else {
            ArrayNode content = node.putArray("content");
            parts.forEach(p -> content.add(part(p)));
        }
        m.name().ifPresent(name -> node.put("name", name));
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        m.toolCallId().ifPresent(id -> node.put("tool_call_id", id));
        m.refusal().ifPresent(r -> node.put("refusal", r));
        m.reasoningDetails().ifPresent(d -> node.set("reasoning_details", d));
        putExtras(node, m.extra());
        return node;
    }

    /** Returns one content part as JSON. */
    public static ObjectNode part(ContentPart part) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (part instanceof ContentPart.Text t) {
            node.put("type", "text").put("text", t.text());
        } else if (part instanceof ContentPart.Image i) {
            ObjectNode image = node.put("type", "image_url").putObject("image_url");
            image.put("url", i.url());
            if (i.detail() != null) {
                image.put("detail", i.detail().wireValue());
            }
        } else if (part instanceof ContentPart.Audio a) {
            node.put("type", "input_audio")
                    .putObject("input_audio")
                    .put("data", a.data())
                    .put("format", a.format());
        } else if (part instanceof ContentPart.File f) {
            ObjectNode file = node.put("type", "file").putObject("file");
            if (f.fileId() != null) {
                file.put("file_id", f.fileId());
            }
            if (f.filename() != null) {
                file.put("filename", f.filename());
            }
            if (f.fileData() != null) {
                file.put("file_data", f.fileData());
            }
        } else {
            node.setAll((ObjectNode) ((ContentPart.Custom) part).json()); // json() is a copy
        }
        putExtras(node, part.extra());
        return node;
    }

    /**
     * Returns the message of a reply's choice. Tolerant: a missing role is {@code assistant}, a
     * missing tool-call id is made up from the call's position, arguments sent as an object are
     * kept as JSON text, and unknown fields are left in the reply's {@code raw()}.
     */
    public static ChatMessage read(JsonNode message) {
        String sent = Json.text(message, "role");
        String role = sent == null || sent.isBlank() ? ChatMessage.ASSISTANT : sent;
        ChatMessage.Builder b = ChatMessage.builder(role);
        JsonNode content = message == null ? null : message.get("content");
        if (content != null && content.isTextual()) {
            b.text(content.asText());
        } else if (content != null && content.isArray()) {
            content.forEach(p -> b.part(readPart(p)));
        }
        b.name(Json.text(message, "name"));
        JsonNode calls = message == null ? null : message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            List<ToolCall> toolCalls = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = readToolCall(calls.get(i), i);
                if (call != null) {
                    toolCalls.add(call);
                }
            }
            if (role.equals(ChatMessage.ASSISTANT)) {
                b.toolCalls(toolCalls);
            }
        }
        b.toolCallId(Json.text(message, "tool_call_id"));
        b.refusal(Json.text(message, "refusal"));
        String reasoning = Json.text(message, "reasoning");
        b.reasoning(reasoning != null ? reasoning : Json.text(message, "reasoning_content"));
        JsonNode details = message == null ? null : message.get("reasoning_details");
        if (details != null && details.isArray()) {
            b.reasoningDetails(details);
        }
        return b.build();
    }

    private static ToolCall readToolCall(JsonNode call, int position) {
        JsonNode function = Json.object(call, "function");
        String name = Json.text(function, "name");
        if (name == null || name.isBlank()) {
            return null; // not a function call this library can represent; it stays in raw()
        }
        String id = Json.text(call, "id");
        JsonNode arguments = function.get("arguments");
        String args = arguments == null || arguments.isNull()
                ? ""
                : arguments.isTextual() ? arguments.asText() : arguments.toString();
        return new ToolCall(id == null || id.isBlank() ? "call_" + position : id, name, args);
    }

    private static ContentPart readPart(JsonNode part) {
        String type = Json.text(part, "type");
        if ("text".equals(type) && part.path("text").isTextual()) {
            return ContentPart.text(part.get("text").asText());
        }
        if (part != null && part.isObject() && part.path("type").isTextual()) {
            return ContentPart.custom(part);
        }
        return ContentPart.custom(
                Json.MAPPER.createObjectNode().put("type", "unknown").set("value", part));
    }

    private static void putExtras(ObjectNode node, Map<String, JsonNode> extra) {
        extra.forEach((k, v) -> node.set(k, v.deepCopy()));
    }
}
