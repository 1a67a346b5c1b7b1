package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.budget.BudgetStats;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a {@link ResilientChatClient}'s counters since it was built.
 *
 * @param calls              calls started
 * @param successes          calls that returned a reply
 * @param failures           calls that failed (thrown, or returned as fail-open placeholders)
 * @param failuresByCategory {@code failures} split by the final error's category
 * @param retries            attempts that were retried after a failure (waits scheduled)
 * @param retriesRefusedByBudget retries not made because the {@link RetryBudget} was spent
 * @param fallbacks          times a fallback model was tried after the previous model failed
 * @param inFlight           HTTP attempts holding a concurrency permit right now
 * @param waitingForPermit   calls queued for a permit right now
 * @param concurrency        each model's concurrency limit, in the order the models were first
 *                           called: the limit, the drops, and the signal behind each decrease
 * @param budget             the spending budget's client-wide spend, limit and refusals
 *                           ({@link BudgetStats#NONE} without a budget)
 */
public record ResilienceStats(
        long calls,
        long successes,
        long failures,
        Map<ErrorCategory, Long> failuresByCategory,
        long retries,
        long retriesRefusedByBudget,
        long fallbacks,
        int inFlight,
        int waitingForPermit,
        List<ConcurrencyStats> concurrency,
        BudgetStats budget) {

    /** Copies the map and the list. */
    public ResilienceStats {
        failuresByCategory = Map.copyOf(failuresByCategory);
        concurrency = List.copyOf(concurrency);
    }

    /** Returns the concurrency limit of one model, empty before its first call. */
    public Optional<ConcurrencyStats> concurrency(String model) {
        return concurrency.stream().filter(c -> c.model().equals(model)).findFirst();
    }
}
