package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import java.util.Optional;

/**
 * Fits the typed request fields whose OpenRouter spelling differs from the chat-completions one,
 * as OpenRouter's published API defines its request ({@code ChatRequest} in its
 * {@code openapi.yaml}):
 *
 * <ul>
 *   <li>{@code reasoning_effort} is sent as {@code reasoning.effort}, OpenRouter's own field. The
 *       spec takes {@code reasoning_effort} only as a shorthand that must not differ from
 *       {@code reasoning.effort}, so a client default such as {@code reasoning: {exclude: true}}
 *       or an effort set in {@link OpenRouterOptions} is merged with the request's effort instead of
 *       conflicting with it; the request's effort wins over a default effort or token budget.
 *   <li>{@code return_token_ids} is not sent: OpenRouter defines no such field and returns no token
 *       ids, and an unknown field can make {@code provider.require_parameters} rule out every
 *       provider.
 *   <li>{@code n} above 1 fails before anything is sent: OpenRouter defines no {@code n} and answers
 *       one choice, so a caller asking for eight samples would silently get one. {@code n = 1}, the
 *       default, is not sent.
 * </ul>
 *
 * A request that sets the same field through {@code extraBody} sends it as given: that is the way
 * to try a field OpenRouter may learn later.
 */
final class OpenRouterParameters {

    private OpenRouterParameters() {}

    /** Returns why OpenRouter cannot serve the request as asked, before anything is sent. */
    static Optional<String> problem(ChatRequest request) {
        int n = request.n().orElse(1);
        if (n > 1 && !request.extraBody().containsKey("n")) {
            return Optional.of("OpenRouter returns one choice per call (its API has no 'n'), so n=" + n
                    + " would silently give one: make " + n + " calls, or send extraBody(\"n\", " + n
                    + ") to try anyway");
        }
        return Optional.empty();
    }

    /**
     * Rewrites the typed fields of a body the transport wrote for {@code request}, before the
     * client's default options are added.
     */
    static void adapt(ObjectNode body, ChatRequest request, OpenRouterOptions defaults) {
        if (request.n().isPresent() && !request.extraBody().containsKey("n")) {
            body.remove("n");
        }
        if (request.returnTokenIds().isPresent() && !request.extraBody().containsKey("return_token_ids")) {
            body.remove("return_token_ids");
        }
        if (request.reasoningEffort().isPresent() && !request.extraBody().containsKey("reasoning_effort")) {
            moveReasoningEffort(body, defaults);
        }
    }

    private static void moveReasoningEffort(ObjectNode body, OpenRouterOptions defaults) {
        JsonNode effort = body.remove("reasoning_effort");
        JsonNode own = body.get("reasoning");
        if (own != null) {
            // The request's own reasoning object (extraBody) wins over its typed fields, as every
            // extraBody field does; it only gains the effort when it names no effort or budget.
            if (own.isObject() && !own.has("effort") && !own.has("max_tokens")) {
                ((ObjectNode) own).set("effort", effort);
            }
            return;
        }
        ObjectNode reasoning = body.putObject("reasoning");
        reasoning.set("effort", effort);
        JsonNode fallback = defaults.bodyFields().get("reasoning");
        if (fallback != null && fallback.isObject()) {
            fallback.fields().forEachRemaining(field -> {
                String name = field.getKey();
                if (!name.equals("effort") && !name.equals("max_tokens")) {
                    reasoning.set(name, field.getValue());
                }
            });
        }
    }
}
