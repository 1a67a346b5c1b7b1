package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.Locale;
import java.util.Map;

/**
 * Which request header carries the proxy key ({@code LITELLM_KEY_HEADER}). LiteLLM accepts both
 * and lets {@code x-litellm-api-key} win; use it when {@code Authorization} must stay free, e.g.
 * for a gateway in front of the proxy that checks its own bearer token.
 */
public enum LiteLlmKeyHeader {

    /** {@code Authorization: Bearer <key>}, the default. */
    AUTHORIZATION,

    /** {@code x-litellm-api-key: <key>}. */
    X_LITELLM_API_KEY;

    /**
     * Returns the header carrying {@code key}; no header when the key is {@code null}.
     */
    Map<String, String> headersFor(String key) {
        if (key == null) {
            return Map.of();
        }
        return this == AUTHORIZATION ? Map.of("Authorization", "Bearer " + key) : Map.of("x-litellm-api-key", key);
    }

    /**
     * Parses a header name, {@code Authorization} or {@code x-litellm-api-key}, in any case.
     *
     * @param source the variable or builder method the value came from, for the message
     * @throws LlmException category configuration for any other value
     */
    public static LiteLlmKeyHeader parse(String value, String source) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "authorization" -> AUTHORIZATION;
            case "x-litellm-api-key" -> X_LITELLM_API_KEY;
            default ->
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        source + " must be Authorization or x-litellm-api-key, was '" + value + "'");
        };
    }
}
