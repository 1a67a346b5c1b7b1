package io.github.llmbridge.core.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    /** Successes to have seen before a round trip's deliveries may stand in for what the server serves. */
    static final int MIN_DELIVERIES = 8;
    /** A refusal this long ago no longer holds the limit back from probing past it. */
    static final long FORGET_REFUSAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** The longest a refused permit stays taken when only a {@code Retry-After} says how long. */
    static final Duration MAX_COOL_DOWN = Duration.ofSeconds(1);

    private final AdaptiveConcurrency config;
    private final int ceiling;
    private final int floor;
    private double limit;
    private double slowStartThreshold;
    /** The flight when the server last refused; growing past it risks the next refusal. */
    private double lastRefusedAt = Double.POSITIVE_INFINITY;
    /** When the last decrease was (scheduler nanoseconds), to forget {@link #lastRefusedAt} after a quiet spell. */
    private long lastDecreaseNanos;
    /** What the last refusal cost the refused call: its {@code Retry-After}, else a round trip. */
    private long refusalCostNanos;
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
     * @param waiting  calls of this model waiting for a permit
     */
    void onSuccess(int inFlight, Duration took, long now, int waiting) {
        successTimes[successCount++ % successTimes.length] = now;
        long nanos = took.toNanos();
        smoothedNanos = smoothedNanos == 0 ? nanos : smoothedNanos + (nanos - smoothedNanos) / 8;
        if (config == null || inFlight * 2 < limit) {
            return; // the limit did not hold the calls back: no evidence that more would be taken
        }
        if (limit < slowStartThreshold) {
            limit += 1; // slow start: one more per success doubles the limit every round of calls
        } else if (probeWorthIt(now, waiting)) {
            limit += 1 / limit; // additive increase: one more per round of calls
        }
        limit = Math.min(limit, ceiling);
    }

    /**
     * Whether growing is worth the refusal it may bring. Below where the server last refused it
     * always is. At that point a refusal costs the refused call its {@code Retry-After}, so the
     * limit grows only while the calls waiting would keep it busy longer than that: a batch's last
     * rounds are not risked for a gain that could no longer be used, which would hold the whole
     * batch up by one {@code Retry-After}. A client whose many calls keep waiting probes as always,
     * so two clients sharing a provider still converge to fair shares (growing slower near the
     * last refusal for everyone, as CUBIC does, left a newcomer squeezed by an established client
     * at a third of the provider for a whole run). The point is forgotten after a minute without a
     * refusal, so a provider that grew is found again.
     */
    private boolean probeWorthIt(long now, int waiting) {
        if (limit + 1 < lastRefusedAt || now - lastDecreaseNanos > FORGET_REFUSAL_NANOS) {
            return true;
        }
        long round = Math.max(1, smoothedNanos);
        return (double) waiting * round >= (double) Math.max(refusalCostNanos, round) * limit;
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
     * @param retryAfter  how long the server asked the refused call to wait, or {@code null}
     * @param now         when (scheduler nanoseconds), to count the round trip's deliveries
     * @param at          when (wall clock), for the record
     * @return the decrease, or {@code null} when the limit did not move
     */
    ConcurrencyStats.Decrease onOverload(
            String signal, long permitEpoch, int flight, Duration retryAfter, long now, Instant at) {
        drops++;
        if (config == null || permitEpoch < epoch) {
            return null;
        }
        int before = current();
        lastRefusedAt = Math.max(1, flight);
        lastDecreaseNanos = now;
        refusalCostNanos = retryAfter != null ? retryAfter.toNanos() : smoothedNanos;
        // The deliveries of a round trip jitter with the replies' durations, so they stand in for the flight
        // only when far below it: when slow start ran ahead of the server's answers.
        double held = Math.min(limit, lastRefusedAt);
        // Only the end of the first slow start can run that far ahead of the server's answers; later, with
        // other clients taking turns at the same provider, a round's deliveries swing too much to cut by.
        // And a few answers say little about what the server serves.
        int delivered = decreases == 0 && successCount >= MIN_DELIVERIES ? deliveredWithin(now, smoothedNanos) : 0;
        double served = delivered > 0 && delivered < lastRefusedAt / 2 ? delivered : lastRefusedAt;
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
