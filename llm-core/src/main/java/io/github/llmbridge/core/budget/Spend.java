package io.github.llmbridge.core.budget;

import java.util.Locale;

/**
 * What an account has spent.
 *
 * @param cost   the cost the backend reported, summed over the replies that carried one
 * @param tokens prompt and completion tokens, summed over every reply
 * @param calls  the replies charged
 */
public record Spend(double cost, long tokens, long calls) {

    /** Nothing spent. */
    public static final Spend ZERO = new Spend(0, 0, 0);

    /** Shows the spend, e.g. {@code $1.2345, 81234 tokens in 120 calls}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "$%.4f, %d tokens in %d calls", cost, tokens, calls);
    }
}
