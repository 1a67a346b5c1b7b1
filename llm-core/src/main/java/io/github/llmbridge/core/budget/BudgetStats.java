package io.github.llmbridge.core.budget;

/**
 * A snapshot of a {@link SpendingBudget}'s client-wide account.
 *
 * @param spent        what the client spent since it was built or last {@linkplain SpendingBudget#reset() reset}
 * @param limit        the client-wide limit ({@link SpendLimit#NONE} when only sessions are limited)
 * @param refused      calls refused since then because an account was exhausted (the client's or a session's)
 * @param uncostedCalls replies charged without a cost since then: a cost limit cannot count them
 */
public record BudgetStats(Spend spent, SpendLimit limit, long refused, long uncostedCalls) {

    /** The stats of a client without a budget. */
    public static final BudgetStats NONE = new BudgetStats(Spend.ZERO, SpendLimit.NONE, 0, 0);
}
