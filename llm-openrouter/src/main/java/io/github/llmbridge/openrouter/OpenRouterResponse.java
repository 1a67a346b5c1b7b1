package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.internal.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * OpenRouter's own parts of a reply, read from {@link ChatResponse#raw()} and
 * {@link ChatResponse#headers()}: which provider served the call, the provider's own finish
 * reason, the model's reasoning text and the generation id. Every accessor is empty when the
 * reply did not carry the field (another backend, a test double, a fail-open placeholder).
 *
 * <pre>{@code
 * ChatResponse reply = client.chat(request);
 * OpenRouterResponse or = OpenRouterResponse.of(reply);
 * log.info("served by {} ({})", or.provider().orElse("?"), or.generationId().orElse("?"));
 * }</pre>
 *
 * <p>The cost is on the response itself: {@link ChatResponse#cost()} is OpenRouter's
 * {@code usage.cost}.
 */
public final class OpenRouterResponse {

    private final ChatResponse response;

    private OpenRouterResponse(ChatResponse response) {
        this.response = response;
    }

    /** Returns the OpenRouter view of a reply. */
    public static OpenRouterResponse of(ChatResponse response) {
        return new OpenRouterResponse(Objects.requireNonNull(response, "response"));
    }

    /** Returns the reply this view reads. */
    public ChatResponse response() {
        return response;
    }

    /** Returns the provider that served the call (top-level {@code provider}, e.g. {@code "OpenAI"}). */
    public Optional<String> provider() {
        return text(response.raw(), "provider");
    }

    /**
     * Returns the generation id, for {@link OpenRouterAccount#generation(String)}: the
     * {@code X-Generation-Id} header, else the reply's {@code gen-...} id.
     */
    public Optional<String> generationId() {
        Optional<String> header = response.header("x-generation-id").filter(id -> !id.isBlank());
        if (header.isPresent()) {
            return header;
        }
        return response.id().startsWith("gen-") ? Optional.of(response.id()) : Optional.empty();
    }

    /** Returns the first choice's finish reason as the provider reported it ({@code native_finish_reason}). */
    public Optional<String> nativeFinishReason() {
        return nativeFinishReason(0);
    }

    /** Returns the given choice's {@code native_finish_reason} (position in {@code choices}). */
    @SuppressWarnings("InvalidParam") // {@code choices} names the reply's JSON array, not a misspelt parameter
    public Optional<String> nativeFinishReason(int choice) {
        return text(choice(choice), "native_finish_reason");
    }

    /** Returns the first choice's reasoning text ({@code message.reasoning}), when the model returned it. */
    public Optional<String> reasoning() {
        return reasoning(0);
    }

    /** Returns the given choice's reasoning text ({@code message.reasoning}). */
    public Optional<String> reasoning(int choice) {
        return text(Json.object(choice(choice), "message"), "reasoning");
    }

    /** Returns what the upstream provider charged, when reported ({@code usage.cost_details.upstream_inference_cost}). */
    public OptionalDouble upstreamInferenceCost() {
        JsonNode cost = Json.object(Json.object(response.raw(), "usage"), "cost_details");
        JsonNode value = cost == null ? null : cost.get("upstream_inference_cost");
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /** Returns whether the call used the caller's own provider key ({@code usage.is_byok}), when reported. */
    public Optional<Boolean> byok() {
        JsonNode value = Json.object(response.raw(), "usage") == null
                ? null
                : response.raw().path("usage").get("is_byok");
        return value != null && value.isBoolean() ? Optional.of(value.asBoolean()) : Optional.empty();
    }

    private JsonNode choice(int position) {
        JsonNode choices = response.raw().get("choices");
        return choices != null && choices.isArray() && position >= 0 && position < choices.size()
                ? choices.get(position)
                : null;
    }

    private static Optional<String> text(JsonNode node, String field) {
        return Optional.ofNullable(Json.text(node, field));
    }

    @Override
    public String toString() {
        return "OpenRouterResponse[provider=" + provider().orElse("?") + ", generationId="
                + generationId().orElse("?") + ", nativeFinishReason="
                + nativeFinishReason().orElse("?") + "]";
    }
}
