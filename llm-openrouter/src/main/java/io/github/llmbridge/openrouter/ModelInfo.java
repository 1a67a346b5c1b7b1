package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One model OpenRouter offers ({@code GET /models}): its id, context window, prices and the
 * request parameters it supports. Everything else is in {@link #raw()}.
 */
public final class ModelInfo {

    private final JsonNode node;

    private ModelInfo(JsonNode node) {
        this.node = node;
    }

    static ModelInfo from(JsonNode node) {
        return new ModelInfo(node);
    }

    /** Returns the model id, e.g. {@code openai/gpt-4o-mini}. */
    public String id() {
        String id = Json.text(node, "id");
        return id == null ? "" : id;
    }

    /** Returns the display name, or {@code ""}. */
    public String name() {
        String name = Json.text(node, "name");
        return name == null ? "" : name;
    }

    /** Returns the context window in tokens, 0 when unknown. */
    public long contextLength() {
        return Json.count(node, "context_length");
    }

    /** Returns the price of one prompt token in US dollars ({@code pricing.prompt}, sent as a string). */
    public OptionalDouble promptPrice() {
        return price("prompt");
    }

    /** Returns the price of one completion token in US dollars ({@code pricing.completion}). */
    public OptionalDouble completionPrice() {
        return price("completion");
    }

    /** Returns the request parameters the model supports ({@code supported_parameters}), empty when not reported. */
    public List<String> supportedParameters() {
        JsonNode params = node.get("supported_parameters");
        List<String> list = new ArrayList<>();
        if (params != null && params.isArray()) {
            params.forEach(p -> {
                if (p.isTextual()) {
                    list.add(p.asText());
                }
            });
        }
        return List.copyOf(list);
    }

    /** Returns the model's JSON as received. Read it, do not modify it. */
    public JsonNode raw() {
        return node;
    }

    private OptionalDouble price(String field) {
        String text = Json.text(Json.object(node, "pricing"), field);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    @Override
    public String toString() {
        return "ModelInfo[" + id() + ", context=" + contextLength() + "]";
    }
}
