package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * OpenRouter's record of one generation ({@code GET /generation?id=gen-...}): the model and
 * provider that served it, its cost, native token counts and timings. Fields OpenRouter left out
 * are empty or zero; everything else is in {@link #raw()}.
 */
public final class GenerationStats {

    private final JsonNode data;

    private GenerationStats(JsonNode data) {
        this.data = data;
    }

    /** Reads the reply of {@code GET /generation} ({@code {"data": {...}}}, or the object itself). */
    static GenerationStats from(JsonNode root) {
        JsonNode data = Json.object(root, "data");
        return new GenerationStats(data != null ? data : root);
    }

    /** Returns the generation id ({@code gen-...}), or {@code ""}. */
    public String id() {
        return text("id").orElse("");
    }

    /** Returns the model that answered, or {@code ""}. */
    public String model() {
        return text("model").orElse("");
    }

    /** Returns the provider that served the call ({@code provider_name}). */
    public Optional<String> providerName() {
        return text("provider_name");
    }

    /** Returns what the call cost, in credits (US dollars) ({@code total_cost}). */
    public OptionalDouble totalCost() {
        JsonNode value = data.get("total_cost");
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /** Returns the prompt tokens as the provider counted them ({@code native_tokens_prompt}), 0 when unknown. */
    public long nativePromptTokens() {
        return Json.count(data, "native_tokens_prompt");
    }

    /** Returns the completion tokens as the provider counted them ({@code native_tokens_completion}), 0 when unknown. */
    public long nativeCompletionTokens() {
        return Json.count(data, "native_tokens_completion");
    }

    /** Returns the provider's own finish reason ({@code native_finish_reason}). */
    public Optional<String> nativeFinishReason() {
        return text("native_finish_reason");
    }

    /** Returns the time to the first token ({@code latency}, milliseconds), when reported. */
    public Optional<Duration> latency() {
        return millis("latency");
    }

    /** Returns the time the provider spent generating ({@code generation_time}, milliseconds), when reported. */
    public Optional<Duration> generationTime() {
        return millis("generation_time");
    }

    /** Returns the {@code data} object as received, for fields without an accessor. Read it, do not modify it. */
    public JsonNode raw() {
        return data;
    }

    private Optional<String> text(String field) {
        return Optional.ofNullable(Json.text(data, field));
    }

    private Optional<Duration> millis(String field) {
        JsonNode value = data.get(field);
        return value != null && value.isNumber() ? Optional.of(Duration.ofMillis(value.asLong())) : Optional.empty();
    }

    @Override
    public String toString() {
        return "GenerationStats[id=" + id() + ", model=" + model() + ", provider="
                + providerName().orElse("?") + ", totalCost="
                + (totalCost().isPresent() ? totalCost().getAsDouble() : "?") + "]";
    }
}
