package io.github.llmbridge.core.budget;

import java.util.Locale;

/**
 * How much an account may spend: a cost (in the unit the backend reports, US dollars for
 * OpenRouter's {@code usage.cost} and LiteLLM's cost header), a number of tokens, or both. The
 * account is exhausted once either is reached.
 *
 * <pre>{@code
 * SpendLimit.cost(5.00);                 // $5
 * SpendLimit.tokens(2_000_000);          // 2M tokens, prompt and completion together
 * SpendLimit.cost(5.00).andTokens(2_000_000);
 * }</pre>
 *
 * @param maxCost   the cost limit, {@link Double#POSITIVE_INFINITY} for none
 * @param maxTokens the token limit, {@link Long#MAX_VALUE} for none
 */
public record SpendLimit(double maxCost, long maxTokens) {

    /** No limit at all. */
    public static final SpendLimit NONE = new SpendLimit(Double.POSITIVE_INFINITY, Long.MAX_VALUE);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when a limit is not positive (or the cost is NaN)
     */
    public SpendLimit {
        if (!(maxCost > 0)) {
            throw new IllegalArgumentException("a cost limit must be positive, was " + maxCost);
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("a token limit must be positive, was " + maxTokens);
        }
    }

    /** Returns a limit in money only. */
    public static SpendLimit cost(double maxCost) {
        return new SpendLimit(maxCost, Long.MAX_VALUE);
    }

    /** Returns a limit in tokens only (prompt and completion tokens together). */
    public static SpendLimit tokens(long maxTokens) {
        return new SpendLimit(Double.POSITIVE_INFINITY, maxTokens);
    }

    /** Returns this limit with a token limit added. */
    public SpendLimit andTokens(long tokens) {
        return new SpendLimit(maxCost, tokens);
    }

    /** Returns this limit with a cost limit added. */
    public SpendLimit andCost(double cost) {
        return new SpendLimit(cost, maxTokens);
    }

    /** Returns whether a cost limit is set. */
    public boolean limitsCost() {
        return maxCost != Double.POSITIVE_INFINITY;
    }

    /** Returns whether a token limit is set. */
    public boolean limitsTokens() {
        return maxTokens != Long.MAX_VALUE;
    }

    /** Returns whether any limit is set. */
    public boolean isLimited() {
        return limitsCost() || limitsTokens();
    }

    /** Returns the larger of the fractions of each limit that {@code spent} uses (0 when unlimited). */
    double fractionUsed(Spend spent) {
        double f = 0;
        if (limitsCost()) {
            f = Math.max(f, spent.cost() / maxCost);
        }
        if (limitsTokens()) {
            f = Math.max(f, (double) spent.tokens() / maxTokens);
        }
        return f;
    }

    /** Shows the limits, e.g. {@code $5.00 and 2000000 tokens}. */
    @Override
    public String toString() {
        if (!isLimited()) {
            return "no limit";
        }
        String cost = limitsCost() ? String.format(Locale.ROOT, "$%.2f", maxCost) : "";
        String tokens = limitsTokens() ? maxTokens + " tokens" : "";
        return cost.isEmpty() ? tokens : tokens.isEmpty() ? cost : cost + " and " + tokens;
    }
}
