package io.github.llmbridge.core.resilience;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The running count behind a {@link RetryBudget}: calls sent and retries made per second over the
 * budget's window, in a ring of one-second buckets. Time is the client's {@link Scheduler} time,
 * so tests move it by hand. Thread-safe; each operation is a few array updates under a lock.
 */
final class RetryTokens {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RetryBudget budget;
    private final int buckets;
    // Guarded by this: bucket i counts the second stamps[i] (nanoTime / 1 s).
    private final long[] stamps;
    private final long[] calls;
    private final long[] retries;

    RetryTokens(RetryBudget budget) {
        this.budget = budget;
        this.buckets = (int) Math.max(1, (budget.window().toNanos() + SECOND - 1) / SECOND);
        this.stamps = new long[buckets];
        this.calls = new long[buckets];
        this.retries = new long[buckets];
        Arrays.fill(stamps, Long.MIN_VALUE);
    }

    /** Counts a call whose first attempt was sent now. */
    synchronized void callSent(long nanoTime) {
        calls[bucket(nanoTime)]++;
    }

    /** Takes one retry from the budget if it allows one now, and says whether it did. */
    synchronized boolean tryRetry(long nanoTime) {
        if (budget.isUnlimited()) {
            return true;
        }
        int now = bucket(nanoTime);
        long second = Math.floorDiv(nanoTime, SECOND);
        long callsInWindow = 0;
        long retriesInWindow = 0;
        for (int i = 0; i < buckets; i++) {
            if (stamps[i] > second - buckets) {
                callsInWindow += calls[i];
                retriesInWindow += retries[i];
            }
        }
        double allowed = budget.ratio() * callsInWindow + (double) budget.minPerSecond() * buckets;
        if (retriesInWindow + 1 > allowed) {
            return false;
        }
        retries[now]++;
        return true;
    }

    /** Says what the budget has spent, for the message of a call it refused a retry. */
    synchronized String describe(long nanoTime) {
        long second = Math.floorDiv(nanoTime, SECOND);
        long callsInWindow = 0;
        long retriesInWindow = 0;
        for (int i = 0; i < buckets; i++) {
            if (stamps[i] > second - buckets) {
                callsInWindow += calls[i];
                retriesInWindow += retries[i];
            }
        }
        return String.format(
                Locale.ROOT,
                "the client's retry budget is spent: %d retries for %d calls sent in the last %d s (it allows %.0f %%"
                        + " of calls plus %d a second; LLM_RETRY_BUDGET_PERCENT, LLM_RETRY_BUDGET_MIN_PER_SECOND)",
                retriesInWindow,
                callsInWindow,
                buckets,
                budget.ratio() * 100,
                budget.minPerSecond());
    }

    /** Returns the bucket of this second, emptied first if it still holds an older second. */
    private int bucket(long nanoTime) {
        long second = Math.floorDiv(nanoTime, SECOND);
        int i = (int) Math.floorMod(second, (long) buckets);
        if (stamps[i] != second) {
            stamps[i] = second;
            calls[i] = 0;
            retries[i] = 0;
        }
        return i;
    }
}
