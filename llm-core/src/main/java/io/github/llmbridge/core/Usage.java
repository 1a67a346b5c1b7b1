package io.github.llmbridge.core;

/**
 * Token counts a provider reported for one call. Counts the provider did not send are zero, so
 * arithmetic on a {@code Usage} never needs a null check.
 *
 * @param promptTokens     tokens in the request
 * @param completionTokens tokens generated
 * @param totalTokens      prompt plus completion as reported by the provider
 * @param cachedTokens     prompt tokens served from the provider's cache
 *                         ({@code prompt_tokens_details.cached_tokens})
 * @param reasoningTokens  completion tokens spent on hidden reasoning
 *                         ({@code completion_tokens_details.reasoning_tokens})
 */
public record Usage(
        long promptTokens, long completionTokens, long totalTokens, long cachedTokens, long reasoningTokens) {

    /** Usage of a call for which the provider reported nothing. */
    public static final Usage EMPTY = new Usage(0, 0, 0, 0, 0);

    /**
     * Rejects negative counts.
     *
     * @throws IllegalArgumentException if any count is negative
     */
    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Returns the sum of this usage and another, field by field (handy for per-step totals). */
    public Usage plus(Usage other) {
        return new Usage(
                promptTokens + other.promptTokens,
                completionTokens + other.completionTokens,
                totalTokens + other.totalTokens,
                cachedTokens + other.cachedTokens,
                reasoningTokens + other.reasoningTokens);
    }
}
