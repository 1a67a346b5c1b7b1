package io.github.llmbridge.openrouter;

import java.util.LinkedHashMap;
import java.util.Map;

/** The headers every OpenRouter call carries: the bearer key, and attribution only when configured. */
final class AttributionHeaders {

    private AttributionHeaders() {}

    /**
     * Returns {@code Authorization}, plus {@code HTTP-Referer} when a referer is given and
     * {@code X-OpenRouter-Title} with its legacy name {@code X-Title} when a title is given.
     */
    static Map<String, String> of(String apiKey, String referer, String title) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + apiKey);
        if (referer != null) {
            h.put("HTTP-Referer", referer);
        }
        if (title != null) {
            h.put("X-OpenRouter-Title", title);
            h.put("X-Title", title);
        }
        return Map.copyOf(h);
    }
}
