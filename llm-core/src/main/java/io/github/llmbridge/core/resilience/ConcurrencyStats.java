package io.github.llmbridge.core.resilience;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The concurrency limit of one model of a {@link ResilientChatClient}, in
 * {@link ResilienceStats#concurrency()}: where it stands, what the server said to move it, and
 * whether the model is paced by the provider's rate-limit headers right now. With a fixed
 * bulkhead the limit is the bulkhead size and only the drops count.
 *
 * @param model           the model the limit belongs to
 * @param adaptive        whether the limit adapts ({@link AdaptiveConcurrency})
 * @param limit           attempts this model may have in flight now
 * @param ceiling         the most it may reach: the bulkhead size
 * @param inFlight        attempts of this model holding a permit (a refused one keeps its permit
 *                        for a short cool-down)
 * @param waiting         calls of this model waiting for a permit
 * @param drops           attempts the server refused with an overload signal
 * @param decreases       times the limit decreased (one congestion event may refuse many attempts)
 * @param recentDecreases the last decreases, oldest first, each with the signal that caused it
 * @param pausedUntil     until when new calls wait for the provider's rate-limit window to reset,
 *                        {@code null} when they do not
 */
public record ConcurrencyStats(
        String model,
        boolean adaptive,
        int limit,
        int ceiling,
        int inFlight,
        int waiting,
        long drops,
        long decreases,
        List<Decrease> recentDecreases,
        Instant pausedUntil) {

    /** Copies the list. */
    public ConcurrencyStats {
        Objects.requireNonNull(model, "model");
        recentDecreases = List.copyOf(recentDecreases);
    }

    /**
     * One decrease of a limit.
     *
     * @param at     when
     * @param signal the overload signal that caused it ({@link io.github.llmbridge.core.LlmException#overloadSignal()})
     * @param from   the limit before
     * @param to     the limit after
     */
    public record Decrease(Instant at, String signal, int from, int to) {}
}
