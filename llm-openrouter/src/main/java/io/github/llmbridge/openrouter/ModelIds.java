package io.github.llmbridge.openrouter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OpenRouter's model-id rule: {@code provider/model}, optionally with a {@code :variant} suffix
 * ({@code openai/gpt-4o-mini}, {@code meta-llama/llama-3.1-8b-instruct:free}). An id without the
 * provider ({@code gpt-4.1-mini}) is the most common mistake, and OpenRouter's answer to it (a 400
 * or a 404 after a round trip) does not say what is wrong, so it is caught before the call.
 */
final class ModelIds {

    /** Model-name prefixes whose provider is unambiguous, for the suggestion in the message. */
    private static final List<Map.Entry<String, String>> KNOWN_PREFIXES = List.of(
            Map.entry("gpt-", "openai"),
            Map.entry("o1", "openai"),
            Map.entry("o3", "openai"),
            Map.entry("o4", "openai"),
            Map.entry("chatgpt-", "openai"),
            Map.entry("claude", "anthropic"),
            Map.entry("gemini", "google"),
            Map.entry("gemma", "google"),
            Map.entry("llama", "meta-llama"),
            Map.entry("mistral", "mistralai"),
            Map.entry("mixtral", "mistralai"),
            Map.entry("codestral", "mistralai"),
            Map.entry("deepseek", "deepseek"),
            Map.entry("qwen", "qwen"),
            Map.entry("grok", "x-ai"),
            Map.entry("command", "cohere"));

    private ModelIds() {}

    /**
     * Returns what is wrong with a model id, or empty when OpenRouter can accept it.
     *
     * @param role how the message names the id, e.g. {@code "model id"} or {@code "fallback model id"}
     */
    static Optional<String> problem(String id, String role) {
        if (id == null || id.isBlank()) {
            return Optional.of(role + " is empty; OpenRouter expects e.g. 'openai/gpt-4o-mini'");
        }
        if (id.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(
                    role + " '" + id + "' contains whitespace; OpenRouter expects e.g. 'openai/gpt-4o-mini'");
        }
        String base = id.indexOf(':') >= 0 ? id.substring(0, id.indexOf(':')) : id;
        int slash = base.indexOf('/');
        if (slash < 0) {
            return Optional.of(role + " '" + id + "' has no provider prefix; OpenRouter expects "
                    + suggestion(id)
                            .map(s -> "e.g. '" + s + "'")
                            .orElse("'<provider>/" + id + "', e.g. 'openai/gpt-4o-mini'"));
        }
        if (slash == 0 || slash == base.length() - 1) {
            return Optional.of(role + " '" + id + "' needs both a provider and a model around the '/',"
                    + " e.g. 'openai/gpt-4o-mini'");
        }
        return Optional.empty();
    }

    /**
     * Returns the id with the provider it most likely lacks ({@code gpt-4.1-mini} →
     * {@code openai/gpt-4.1-mini}), or empty when the name does not tell.
     */
    static Optional<String> suggestion(String idWithoutProvider) {
        String lower = idWithoutProvider.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> known : KNOWN_PREFIXES) {
            if (lower.startsWith(known.getKey())) {
                return Optional.of(known.getValue() + "/" + idWithoutProvider);
            }
        }
        return Optional.empty();
    }
}
