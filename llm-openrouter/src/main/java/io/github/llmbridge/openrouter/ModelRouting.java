package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which models a request names on the wire, and whether OpenRouter can accept them: the model,
 * then either the explicit {@code models} list (options or {@code extraBody}) or, failing that,
 * the request's fallback models, sent natively as {@code "models": [model, fallback...]}.
 */
final class ModelRouting {

    private ModelRouting() {}

    /** Returns the first model id OpenRouter would reject, described for the user, or empty. */
    static Optional<String> problem(ChatRequest request, OpenRouterOptions defaults) {
        Optional<String> problem = ModelIds.problem(request.model(), "model id");
        if (problem.isPresent()) {
            return problem;
        }
        JsonNode explicit = request.extraBody().get("models");
        if (explicit != null) {
            for (JsonNode entry : explicit) {
                if (entry.isTextual()) {
                    problem = ModelIds.problem(entry.asText(), "models entry");
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            }
            return Optional.empty();
        }
        if (defaults.writes("models")) {
            return Optional.empty(); // validated when the options were built, and they win
        }
        for (String fallback : request.fallbackModels()) {
            problem = ModelIds.problem(fallback, "fallback model id");
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * Sends the request's fallback models as OpenRouter's {@code models} list (the model first,
     * duplicates dropped), unless the body already has an explicit {@code models} field.
     */
    static void addNativeFallbacks(ObjectNode body, ChatRequest request) {
        if (request.fallbackModels().isEmpty() || body.has("models")) {
            return;
        }
        Set<String> models = new LinkedHashSet<>();
        models.add(request.model());
        models.addAll(request.fallbackModels());
        ArrayNode list = body.putArray("models");
        models.forEach(list::add);
    }
}
