package io.github.llmbridge.tracing.cache;

import io.github.llmbridge.core.ChatRequest;
import java.util.Locale;

/** Which requests the cache answers ({@code LLM_CACHE}). */
public enum CacheScope {

    /**
     * Requests that ask for the same answer every time: temperature 0 or a seed. Any other request
     * samples, and a second sample is what its caller wants, so it always reaches the backend.
     */
    DETERMINISTIC,

    /** Every request, sampled or not: a re-run sees the answers of the recorded run. */
    ALL;

    /** Returns whether this scope answers the request from the cache. */
    public boolean covers(ChatRequest request) {
        if (this == ALL) {
            return true;
        }
        return request.seed().isPresent()
                || (request.temperature().isPresent() && request.temperature().getAsDouble() == 0.0);
    }

    /**
     * Parses {@code deterministic} or {@code all}, any case.
     *
     * @throws IllegalArgumentException naming the values accepted
     */
    public static CacheScope parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "deterministic" -> DETERMINISTIC;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("must be off, deterministic or all, was '" + value + "'");
        };
    }
}
