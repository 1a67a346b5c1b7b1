package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.budget.BudgetStats;
import java.util.Map;

/**
 * A snapshot of a {@link ResilientChatClient}'s counters since it was built.
 *
 * @param calls              calls started
 * @param successes          calls that returned a reply
 * @param failures           calls that failed (thrown, or returned as fail-open placeholders)
 * @param failuresByCategory {@code failures} split by the final error's category
 * @param retries            attempts that were retried after a failure (waits scheduled)
 * @param fallbacks          times a fallback model was tried after the previous model failed
 * @param inFlight           HTTP attempts holding a concurrency permit right now
 * @param waitingForPermit   calls queued for a permit right now
 * @param budget             the spending budget's client-wide spend, limit and refusals
 *                           ({@link BudgetStats#NONE} without a budget)
 */
public record ResilienceStats(
        long calls,
        long successes,
        long failures,
        Map<ErrorCategory, Long> failuresByCategory,
        long retries,
        long fallbacks,
        int inFlight,
        int waitingForPermit,
        BudgetStats budget) {

    /** Copies the map. */
    public ResilienceStats {
        failuresByCategory = Map.copyOf(failuresByCategory);
    }
}
