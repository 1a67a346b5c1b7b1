package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ResponseFormat;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolChoice;
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
            messages.add(ChatMessageJson.write(m));
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
        request.n().ifPresent(v -> body.put("n", v));
        if (request.logprobs().isPresent() || request.topLogprobs().isPresent()) {
            body.put("logprobs", request.logprobs().orElse(true));
        }
        request.topLogprobs().ifPresent(v -> body.put("top_logprobs", v));
        request.maxCompletionTokens().ifPresent(v -> body.put("max_completion_tokens", v));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
        }
        request.toolChoice().ifPresent(c -> body.set("tool_choice", toolChoice(c)));
        request.parallelToolCalls().ifPresent(v -> body.put("parallel_tool_calls", v));
        request.reasoningEffort().ifPresent(v -> body.put("reasoning_effort", v.wireValue()));
        request.promptCacheKey().ifPresent(v -> body.put("prompt_cache_key", v));
        request.serviceTier().ifPresent(v -> body.put("service_tier", v));
        if (!request.modalities().isEmpty()) {
            ArrayNode modalities = body.putArray("modalities");
            request.modalities().forEach(modalities::add);
        }
        request.returnTokenIds().ifPresent(v -> body.put("return_token_ids", v));
        for (Map.Entry<String, JsonNode> extra : request.extraBody().entrySet()) {
            body.set(extra.getKey(), extra.getValue().deepCopy()); // backends may edit the body
        }
        return body;
    }

    private static ObjectNode tool(Tool tool) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "function");
        ObjectNode function = node.putObject("function").put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        if (tool.parameters() != null) {
            function.set("parameters", tool.parameters());
        }
        if (tool.strict() != null) {
            function.put("strict", tool.strict());
        }
        return node;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        if (choice.functionName().isEmpty()) {
            return Json.MAPPER.getNodeFactory().textNode(choice.mode());
        }
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "function");
        node.putObject("function").put("name", choice.functionName().orElseThrow());
        return node;
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
