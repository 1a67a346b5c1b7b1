package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.budget.BudgetStats;
import io.github.llmbridge.core.budget.SpendingBudget;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ResilienceStats}; contention-free for concurrent calls. */
final class StatsCounters {

    final LongAdder calls = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder retriesRefused = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    private final Map<ErrorCategory, LongAdder> failures = new EnumMap<>(ErrorCategory.class);

    StatsCounters() {
        for (ErrorCategory c : ErrorCategory.values()) {
            failures.put(c, new LongAdder());
        }
    }

    void failed(ErrorCategory category) {
        failures.get(category).increment();
    }

    ResilienceStats snapshot(PermitQueue permits, SpendingBudget budget) {
        Map<ErrorCategory, Long> byCategory = new EnumMap<>(ErrorCategory.class);
        long total = 0;
        for (Map.Entry<ErrorCategory, LongAdder> e : failures.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                byCategory.put(e.getKey(), n);
                total += n;
            }
        }
        return new ResilienceStats(
                calls.sum(),
                successes.sum(),
                total,
                byCategory,
                retries.sum(),
                retriesRefused.sum(),
                fallbacks.sum(),
                permits.inUse(),
                permits.waiting(),
                permits.stats(),
                budget == null ? BudgetStats.NONE : budget.stats());
    }
}
