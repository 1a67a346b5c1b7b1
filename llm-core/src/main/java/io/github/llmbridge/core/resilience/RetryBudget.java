package io.github.llmbridge.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How many retries a client may make compared with the calls it sends, so that an outage is not
 * multiplied into a retry storm: over a sliding {@code window}, retries may be at most
 * {@code ratio} of the calls whose first attempt was sent in it, plus {@code minPerSecond} per
 * second of the window (so a client with few calls may still retry). A retry beyond the budget is
 * not made: the call fails at once with its last error, saying so, and
 * {@link ResilienceStats#retriesRefusedByBudget()} counts it. Calls count when their first attempt
 * is sent, not when they are queued, so 100,000 calls waiting for a permit do not buy 20,000
 * retries in advance. Fallback models are not retries: each model's first attempt is free.
 *
 * <pre>{@code
 * ResilientChatClient.builder(backend).retryBudget(new RetryBudget(0.1, 5, Duration.ofSeconds(10)))
 * }</pre>
 *
 * @param ratio        retries allowed per call sent, at least 0 (default 0.2: at most 20 % more attempts)
 * @param minPerSecond retries allowed per second of the window whatever the calls, at least 0 (default 10)
 * @param window       how far back calls and retries are counted, at least 1 s (default 10 s)
 */
public record RetryBudget(double ratio, int minPerSecond, Duration window) {

    /** 20 % of calls plus 10 retries a second, over 10 s. */
    public static final RetryBudget DEFAULT = new RetryBudget(0.2, 10, Duration.ofSeconds(10));

    /** No budget: every retry the retry policy allows is made. */
    public static final RetryBudget UNLIMITED = new RetryBudget(Double.POSITIVE_INFINITY, 0, Duration.ofSeconds(1));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public RetryBudget {
        Objects.requireNonNull(window, "window");
        if (!(ratio >= 0)) {
            throw new IllegalArgumentException("ratio must not be negative, was " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("minPerSecond must not be negative, was " + minPerSecond);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1 s, was " + window);
        }
    }

    /** Returns whether this budget refuses no retry. */
    public boolean isUnlimited() {
        return Double.isInfinite(ratio);
    }
}
