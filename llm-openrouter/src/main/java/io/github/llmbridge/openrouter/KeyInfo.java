package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What OpenRouter says about the API key in use ({@code GET /key}): its credit limit, what is
 * left of it, what it has spent, and whether it is a free-tier key. Amounts are credits, i.e. US
 * dollars. Fields OpenRouter left out are empty; everything else is in {@link #raw()}.
 */
public final class KeyInfo {

    private final JsonNode data;

    private KeyInfo(JsonNode data) {
        this.data = data;
    }

    /** Reads the reply of {@code GET /key} ({@code {"data": {...}}}, or the object itself). */
    static KeyInfo from(JsonNode root) {
        JsonNode data = Json.object(root, "data");
        return new KeyInfo(data != null ? data : root);
    }

    /** Returns the key's label as OpenRouter shows it (a masked key such as {@code sk-or-v1-abc...def}, or its name). */
    public Optional<String> label() {
        return Optional.ofNullable(Json.text(data, "label"));
    }

    /** Returns the key's credit limit; empty when the key has none (unlimited) or it was not reported. */
    public OptionalDouble limit() {
        return number("limit");
    }

    /** Returns the credit left under the key's limit; empty when the key has no limit. */
    public OptionalDouble limitRemaining() {
        return number("limit_remaining");
    }

    /** Returns the credits the key has used in total. */
    public OptionalDouble usage() {
        return number("usage");
    }

    /** Returns whether the key is on the free tier (free models only, lower rate limits); false when not reported. */
    public boolean freeTier() {
        JsonNode value = data.get("is_free_tier");
        return value != null && value.asBoolean(false);
    }

    /**
     * Returns whether the key has no credit left under its own limit; false when it has no limit.
     * (An exhausted account balance shows as 402 errors on calls, not here.)
     */
    public boolean exhausted() {
        OptionalDouble remaining = limitRemaining();
        return remaining.isPresent() && remaining.getAsDouble() <= 0;
    }

    /** Returns the {@code data} object as received, for fields without an accessor. Read it, do not modify it. */
    public JsonNode raw() {
        return data;
    }

    private OptionalDouble number(String field) {
        JsonNode value = data.get(field);
        return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }

    /** Shows the amounts and tier; never the label, which may hold part of the key. */
    @Override
    public String toString() {
        return "KeyInfo[limit=" + show(limit()) + ", remaining=" + show(limitRemaining()) + ", usage=" + show(usage())
                + ", freeTier=" + freeTier() + "]";
    }

    private static String show(OptionalDouble value) {
        return value.isPresent() ? String.valueOf(value.getAsDouble()) : "none";
    }
}
