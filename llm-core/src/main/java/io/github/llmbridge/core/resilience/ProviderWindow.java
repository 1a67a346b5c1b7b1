package io.github.llmbridge.core.resilience;

/**
 * What one model's request window at the provider holds, estimated from the rate-limit headers of
 * its replies, so new calls are sent no faster than the window refills. A provider that says how
 * big its window is ({@code x-ratelimit-limit-requests}), how much is left
 * ({@code -remaining-requests}) and when it is full again ({@code -reset-requests}) runs a token
 * bucket that refills at (limit - remaining) / reset; OpenAI's limits work so. The estimate
 * starts from what a reply said when its request arrived, adds what refilled while the reply
 * was on its way, and takes off the calls sent since; each call sent takes one more.
 *
 * <p>Not thread-safe: its {@link PermitQueue} calls it under its own lock. Times are the
 * scheduler's nanoseconds.
 */
final class ProviderWindow {

    private boolean known;
    private double tokens;
    private long at;
    private double perNano;
    private long limit;

    /** Returns whether a reply has said how the window refills. */
    boolean known() {
        return known;
    }

    /**
     * Takes in what a reply said.
     *
     * @param remaining what was left when its request arrived
     * @param limit     the window's size
     * @param resetNanos until the window is full again
     * @param tookNanos how long ago the request was sent
     * @param sentSince calls of this model sent after it
     * @param now       the time now
     * @return whether the reply said enough to estimate (a size above what is left, a reset)
     */
    boolean observe(long remaining, long limit, long resetNanos, long tookNanos, long sentSince, long now) {
        if (limit <= 0 || remaining < 0 || resetNanos <= 0 || limit <= remaining) {
            return false; // a full window says nothing of its refill rate
        }
        this.limit = limit;
        this.perNano = (double) (limit - remaining) / resetNanos;
        this.tokens = Math.max(-limit, Math.min(limit, remaining + perNano * tookNanos - sentSince));
        this.at = now;
        this.known = true;
        return true;
    }

    /** Returns the calls that may be sent now (fractions of a call count toward the next one). */
    double available(long now) {
        if (!known) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.min(limit, tokens + perNano * (now - at));
    }

    /** Counts a call sent now. */
    void take(long now) {
        if (known) {
            tokens = available(now) - 1;
            at = now;
        }
    }

    /** Returns how long until one call may be sent, zero when one may now. */
    long nanosUntilOne(long now) {
        double missing = 1 - available(now);
        return missing <= 0 ? 0 : (long) Math.ceil(missing / perNano);
    }
}
