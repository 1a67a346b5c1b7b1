package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ResponseFormat;
import io.github.llmbridge.core.internal.Json;
import java.util.Map;

/**
 * Writes a {@link ChatRequest} as the OpenAI chat-completions body both backends accept. Only
 * fields that are set are written; {@code extraBody} entries come last and win. The request's
 * {@code metadata} is not written: it is not a model parameter, and each backend decides whether
 * its gateway understands it.
 */
public final class ChatRequestJson {

    private ChatRequestJson() {}

    /**
     * Returns a new JSON body for the request; the caller may modify it.
     */
    public static ObjectNode write(ChatRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        request.temperature().ifPresent(v -> body.put("temperature", v));
        request.topP().ifPresent(v -> body.put("top_p", v));
        request.maxTokens().ifPresent(v -> body.put("max_tokens", v));
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        request.seed().ifPresent(v -> body.put("seed", v));
        request.responseFormat().ifPresent(f -> body.set("response_format", responseFormat(f)));
        request.frequencyPenalty().ifPresent(v -> body.put("frequency_penalty", v));
        request.presencePenalty().ifPresent(v -> body.put("presence_penalty", v));
        request.endUser().ifPresent(v -> body.put("user", v));
        for (Map.Entry<String, JsonNode> extra : request.extraBody().entrySet()) {
            body.set(extra.getKey(), extra.getValue().deepCopy()); // backends may edit the body
        }
        return body;
    }

    private static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", format.type());
        if (format.type().equals("json_schema")) {
            ObjectNode schema = node.putObject("json_schema");
            schema.put("name", format.schemaName().orElseThrow());
            schema.put("strict", format.strict());
            schema.set("schema", format.schema().orElseThrow());
        }
        return node;
    }
}
