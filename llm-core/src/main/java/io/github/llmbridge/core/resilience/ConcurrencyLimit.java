package io.github.llmbridge.core.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The concurrency limit of one model of one client: additive increase, multiplicative decrease,
 * slow start, a floor and a ceiling ({@link AdaptiveConcurrency} says why each). Without an
 * {@link AdaptiveConcurrency} it stays at the ceiling and only counts the overload signals, so
 * {@code stats()} shows them either way.
 *
 * <p>Written here rather than taken from Netflix's {@code concurrency-limits-core}: its
 * {@code AIMDLimit} adds one per successful sample (the limit doubles every round of calls, so
 * there is no additive phase), multiplies by its ratio on every dropped sample (a burst of 30
 * refusals from one overshoot cuts a limit to 0.9^30 = 4 % of itself), counts every call slower
 * than its timeout (5 s by default) as a drop, and has no slow start; its limiters hand out
 * permits without a queue. What is needed is the algorithm alone, about a hundred lines.
 *
 * <p>Not thread-safe: its {@link PermitQueue} calls it under its own lock.
 */
final class ConcurrencyLimit {

    /** How many decreases {@link #recentDecreases()} keeps. */
    static final int RECENT = 16;
    /** The longest a refused permit stays taken when only a {@code Retry-After} says how long. */
    static final Duration MAX_COOL_DOWN = Duration.ofSeconds(1);

    private final AdaptiveConcurrency config;
    private final int ceiling;
    private final int floor;
    private double limit;
    private double slowStartThreshold;
    /** Raised by each decrease; a permit granted before it belongs to the congestion event it ended. */
    private long epoch;

    private long drops;
    private long decreases;
    private final ArrayDeque<ConcurrencyStats.Decrease> recent = new ArrayDeque<>(RECENT);
    /** Smoothed duration of successful attempts in nanoseconds (0 until the first), as TCP's srtt. */
    private long smoothedNanos;
    /** When the last successes ended (a ring), to count what the server delivered in a round trip. */
    private final long[] successTimes;

    private int successCount;

    /**
     * @param config  how to adapt, or {@code null} for a fixed limit at the ceiling
     * @param ceiling the bulkhead size
     */
    ConcurrencyLimit(AdaptiveConcurrency config, int ceiling) {
        this.config = config;
        this.ceiling = ceiling;
        this.floor = config == null ? ceiling : Math.min(ceiling, config.floor());
        this.limit = config == null ? ceiling : Math.min(ceiling, config.initialLimit());
        this.slowStartThreshold = ceiling;
        this.successTimes = new long[config == null ? 1 : Math.max(16, Math.min(ceiling, 4096))];
    }

    /** Returns whether this limit adapts. */
    boolean adaptive() {
        return config != null;
    }

    /** Returns the limit now: whole permits, between the floor and the ceiling. */
    int current() {
        return (int) limit;
    }

    int ceiling() {
        return ceiling;
    }

    /** Returns the epoch a permit granted now belongs to. */
    long epoch() {
        return epoch;
    }

    /**
     * Counts a successful attempt.
     *
     * @param inFlight the attempts in flight when it ended, itself included
     * @param took     how long it took
     * @param now      when it ended (scheduler nanoseconds)
     */
    void onSuccess(int inFlight, Duration took, long now) {
        successTimes[successCount++ % successTimes.length] = now;
        long nanos = took.toNanos();
        smoothedNanos = smoothedNanos == 0 ? nanos : smoothedNanos + (nanos - smoothedNanos) / 8;
        if (config == null || inFlight * 2 < limit) {
            return; // the limit did not hold the calls back: no evidence that more would be taken
        }
        if (limit < slowStartThreshold) {
            limit += 1; // slow start: one more per success doubles the limit every round of calls
        } else {
            // Additive increase: one more per round of calls. Growing slower near the last refusal (as
            // CUBIC does) was tried: it halved the refusals of a lone client but left a newcomer squeezed
            // by an established one at a third of the provider for the whole run (AdaptiveBench).
            limit += 1 / limit;
        }
        limit = Math.min(limit, ceiling);
    }

    /**
     * Counts an overload signal, and decreases the limit unless the attempt was sent before the
     * last decrease: those belong to the congestion event that decrease answered. The decrease is
     * taken from the least of the limit, what was in flight when the server refused (as TCP takes
     * its threshold from the flight size, RFC 5681), and, when it is below half the flight, what
     * the server delivered in the last round trip (as BBR estimates a path's capacity): a limit
     * that grew past what the calls used, or past what the server took while slow start outran its
     * answers, falls to what the server really served, in one step rather than a decrease per round.
     *
     * @param signal      what the server said
     * @param permitEpoch the epoch of the attempt's permit
     * @param flight      the attempts on the wire when it was refused, itself included
     * @param now         when (scheduler nanoseconds), to count the round trip's deliveries
     * @param at          when (wall clock), for the record
     * @return the decrease, or {@code null} when the limit did not move
     */
    ConcurrencyStats.Decrease onOverload(String signal, long permitEpoch, int flight, long now, Instant at) {
        drops++;
        if (config == null || permitEpoch < epoch) {
            return null;
        }
        int before = current();
        int lastRefusedAt = Math.max(1, flight);
        // The deliveries of a round trip jitter with the replies' durations, so they stand in for the flight
        // only when far below it: when slow start ran ahead of the server's answers.
        int delivered = deliveredWithin(now, smoothedNanos);
        double served = delivered > 0 && delivered < lastRefusedAt / 2 ? delivered : lastRefusedAt;
        double held = Math.min(limit, lastRefusedAt);
        limit = Math.max(floor, Math.min(held, served) * config.backoffRatio());
        // After a cut that deep (the server's answers lagged far behind), slow start again up to half of
        // what was held, as TCP does after a timeout, rather than creeping back one per round.
        slowStartThreshold = Math.max(limit, served < held ? held / 2 : limit);
        epoch++;
        decreases++;
        ConcurrencyStats.Decrease d = new ConcurrencyStats.Decrease(at, signal, before, current());
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(d);
        return d;
    }

    /**
     * Returns how long a permit refused by the server should stay taken before another call may
     * use it: about one round trip, or the server's {@code Retry-After} if shorter, so that a
     * provider refusing at once is not sent a new call the moment it refused the last. Zero when
     * neither is known.
     */
    Duration coolDown(Duration retryAfter) {
        if (config == null) {
            return Duration.ZERO;
        }
        long nanos = smoothedNanos;
        if (retryAfter != null && (nanos == 0 || retryAfter.toNanos() < nanos)) {
            nanos = Math.min(retryAfter.toNanos(), MAX_COOL_DOWN.toNanos());
        }
        return Duration.ofNanos(nanos);
    }

    /** Counts the successes that ended within {@code window} before {@code now}; 0 without a window. */
    private int deliveredWithin(long now, long window) {
        if (window <= 0) {
            return 0;
        }
        int n = 0;
        int recorded = Math.min(successCount, successTimes.length);
        for (int i = 0; i < recorded; i++) {
            if (now - successTimes[i] <= window) {
                n++;
            }
        }
        return n;
    }

    /** Returns the smoothed duration of successful attempts, zero before the first. */
    Duration smoothedDuration() {
        return Duration.ofNanos(smoothedNanos);
    }

    long drops() {
        return drops;
    }

    long decreases() {
        return decreases;
    }

    List<ConcurrencyStats.Decrease> recentDecreases() {
        return List.copyOf(recent);
    }
}
