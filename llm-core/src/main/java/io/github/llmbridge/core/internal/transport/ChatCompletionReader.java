package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.errors.CallContext;
import io.github.llmbridge.core.internal.errors.ErrorResponses;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a 2xx chat-completion body into a {@link ChatResponse}, tolerant of unknown fields, null
 * content and unknown finish reasons, and strict about what cannot be a reply: an empty or
 * truncated body, a body without choices, or an error reported inside the reply.
 */
final class ChatCompletionReader {

    private ChatCompletionReader() {}

    static ChatResponse read(int status, byte[] body, Map<String, String> headers, Duration latency, CallContext ctx) {
        return read(status, parse(status, body, headers, ctx), body, headers, latency, ctx);
    }

    /**
     * Reads a reply already parsed, such as the one a streamed reply's events were joined into.
     *
     * @param body the bytes the root was read from, for an error message's excerpt
     */
    static ChatResponse read(
            int status, JsonNode root, byte[] body, Map<String, String> headers, Duration latency, CallContext ctx) {
        LlmException inBody = ErrorResponses.fromSuccessBody(root, status, headers, ctx);
        if (inBody != null) {
            throw inBody;
        }
        JsonNode choicesNode = root.get("choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw invalid(status, headers, ctx, "the reply has no choices: " + ErrorResponses.snippet(body, ctx));
        }
        List<Choice> choices = new ArrayList<>(choicesNode.size());
        for (int i = 0; i < choicesNode.size(); i++) {
            choices.add(choice(choicesNode.get(i), i));
        }
        String model = Json.text(root, "model");
        return ChatResponse.builder()
                .id(Json.text(root, "id"))
                .model(model == null || model.isEmpty() ? ctx.model() : model)
                .choices(choices)
                .usage(usage(Json.object(root, "usage")))
                .cost(cost(Json.object(root, "usage")))
                .latency(latency)
                .backend(ctx.backend())
                .headers(headers)
                .raw(root)
                .promptTokenIds(ReplyDetailsJson.tokenIds(root, "prompt_token_ids"))
                .build();
    }

    private static JsonNode parse(int status, byte[] body, Map<String, String> headers, CallContext ctx) {
        if (body.length == 0) {
            throw invalid(status, headers, ctx, "the reply body is empty");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            if (looksLikeHtml(body)) {
                // A web page, not an API: retrying will not help, the URL must change.
                throw invalid(
                                status,
                                headers,
                                ctx,
                                "the reply is an HTML page, not JSON: is the base URL the API's root"
                                        + " (this call went to "
                                        + Secrets.displayUrl(ctx.uri().toString())
                                        + ")? " + ErrorResponses.snippet(body, ctx))
                        .toBuilder()
                        .retryable(false)
                        .build();
            }
            throw invalid(
                    status,
                    headers,
                    ctx,
                    "the reply is not valid JSON (truncated?): " + ErrorResponses.snippet(body, ctx));
        }
        throw invalid(status, headers, ctx, "the reply is not a JSON object: " + ErrorResponses.snippet(body, ctx));
    }

    /** Whether the body starts as a web page does: a wrong URL, not a passing fault. */
    static boolean looksLikeHtml(byte[] body) {
        String start = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8)
                .stripLeading()
                .toLowerCase(java.util.Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    private static Choice choice(JsonNode node, int position) {
        JsonNode index = node.get("index");
        return new Choice(
                index != null && index.canConvertToInt() ? index.asInt() : position,
                ChatMessageJson.read(Json.object(node, "message")),
                FinishReason.of(Json.text(node, "finish_reason")),
                ReplyDetailsJson.logprobs(node),
                ReplyDetailsJson.tokenIds(node, "token_ids"));
    }

    static Usage usage(JsonNode usage) {
        if (usage == null) {
            return Usage.EMPTY;
        }
        return new Usage(
                Json.count(usage, "prompt_tokens"),
                Json.count(usage, "completion_tokens"),
                Json.count(usage, "total_tokens"),
                Json.count(Json.object(usage, "prompt_tokens_details"), "cached_tokens"),
                Json.count(Json.object(usage, "completion_tokens_details"), "reasoning_tokens"));
    }

    static Double cost(JsonNode usage) {
        JsonNode cost = usage == null ? null : usage.get("cost");
        return cost != null && cost.isNumber() ? cost.asDouble() : null;
    }

    private static LlmException invalid(int status, Map<String, String> headers, CallContext ctx, String what) {
        String message = "HTTP " + status + " from " + ctx.backend()
                + (ctx.model().isEmpty() ? "" : " for model '" + ctx.model() + "'") + ", but " + what;
        return LlmException.builder(ErrorCategory.INVALID_RESPONSE, Secrets.scrub(message, ctx.secrets()))
                .httpStatus(status)
                .backend(ctx.backend())
                .model(ctx.model())
                .headers(headers)
                .attemptCount(1)
                .build();
    }
}
