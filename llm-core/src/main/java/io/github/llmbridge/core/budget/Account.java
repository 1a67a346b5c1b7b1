package io.github.llmbridge.core.budget;

/**
 * One account of a {@link SpendingBudget}: the client's, or one session's. Its methods are
 * synchronized: each holds the lock for a few additions, and a charge must read its total and
 * decide on a warning in one step.
 */
final class Account {

    /** What messages call the account: {@code the client} or {@code session 'rollout-7'}. */
    final String name;

    private SpendLimit limit;
    private double cost;
    private long tokens;
    private long calls;
    private boolean warnedHalf;
    private boolean warnedNinetyPercent;
    private boolean announcedExhausted;

    Account(String name, SpendLimit limit) {
        this.name = name;
        this.limit = limit;
    }

    synchronized SpendLimit limit() {
        return limit;
    }

    synchronized void limit(SpendLimit newLimit) {
        this.limit = newLimit;
    }

    synchronized Spend spent() {
        return new Spend(cost, tokens, calls);
    }

    /** Returns whether the limit is reached: the next call must be refused. */
    synchronized boolean exhausted() {
        return (limit.limitsCost() && cost >= limit.maxCost()) || (limit.limitsTokens() && tokens >= limit.maxTokens());
    }

    /** Returns whether this is the first refusal since the account was created or reset (logged once). */
    synchronized boolean firstRefusal() {
        boolean first = !announcedExhausted;
        announcedExhausted = true;
        return first;
    }

    /**
     * Adds one reply and returns the warning threshold it crossed, in percent (50 or 90), or 0.
     * Each threshold is reported once until the account is reset.
     */
    synchronized int charge(double addedCost, long addedTokens) {
        cost += addedCost;
        tokens += addedTokens;
        calls++;
        double used = limit.fractionUsed(new Spend(cost, tokens, calls));
        if (used >= 0.9 && !warnedNinetyPercent) {
            warnedNinetyPercent = true;
            warnedHalf = true;
            return 90;
        }
        if (used >= 0.5 && !warnedHalf) {
            warnedHalf = true;
            return 50;
        }
        return 0;
    }

    synchronized void reset() {
        cost = 0;
        tokens = 0;
        calls = 0;
        warnedHalf = false;
        warnedNinetyPercent = false;
        announcedExhausted = false;
    }
}
