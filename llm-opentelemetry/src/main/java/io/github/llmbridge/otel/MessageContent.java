package io.github.llmbridge.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.ToolCall;
import java.util.List;

/**
 * The opt-in content attributes, {@code gen_ai.input.messages} and {@code gen_ai.output.messages},
 * in the conventions' JSON schemas ({@code gen-ai-input-messages.json},
 * {@code gen-ai-output-messages.json}): a message is {@code {role, parts}}; a part is
 * {@code {type: "text", content}}, {@code {type: "tool_call", id, name, arguments}} or
 * {@code {type: "tool_call_response", id, result}}. Media parts are recorded by type only
 * ({@code {type: "uri" | "blob", modality}} without their data): a span is no place for images.
 */
final class MessageContent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageContent() {}

    static String input(List<ChatMessage> messages) {
        ArrayNode out = JSON.createArrayNode();
        for (ChatMessage m : messages) {
            ObjectNode message = out.addObject().put("role", m.role());
            ArrayNode parts = message.putArray("parts");
            if (m.toolCallId().isPresent()) {
                parts.addObject()
                        .put("type", "tool_call_response")
                        .put("id", m.toolCallId().get())
                        .put("result", m.content());
            } else {
                addParts(parts, m);
            }
            addToolCalls(parts, m.toolCalls());
        }
        return out.toString();
    }

    static String output(ChatResponse response) {
        ArrayNode out = JSON.createArrayNode();
        for (Choice c : response.choices()) {
            ObjectNode message = out.addObject().put("role", c.message().role());
            ArrayNode parts = message.putArray("parts");
            addParts(parts, c.message());
            addToolCalls(parts, c.toolCalls());
            message.put("finish_reason", c.finishReason().value());
        }
        return out.toString();
    }

    private static void addParts(ArrayNode parts, ChatMessage m) {
        for (ContentPart p : m.parts()) {
            if (p instanceof ContentPart.Text t) {
                parts.addObject().put("type", "text").put("content", t.text());
            } else if (p instanceof ContentPart.Image) {
                parts.addObject().put("type", "uri").put("modality", "image");
            } else if (p instanceof ContentPart.Audio) {
                parts.addObject().put("type", "blob").put("modality", "audio");
            } else {
                parts.addObject().put("type", p.type());
            }
        }
    }

    private static void addToolCalls(ArrayNode parts, List<ToolCall> calls) {
        for (ToolCall call : calls) {
            ObjectNode part = parts.addObject()
                    .put("type", "tool_call")
                    .put("id", call.id())
                    .put("name", call.name());
            try {
                part.set("arguments", call.argumentsJson());
            } catch (RuntimeException notJson) {
                part.put("arguments", call.arguments());
            }
        }
    }
}
