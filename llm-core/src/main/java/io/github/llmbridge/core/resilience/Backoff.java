package io.github.llmbridge.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait after failed attempt {@code n} (1-based) is
 * uniformly random in {@code [0, min(cap, base × factor^(n-1))]}. Full jitter spreads the retries
 * of many concurrent calls that failed together (a provider's 503 burst) instead of sending them
 * back in lock-step.
 *
 * @param base   the ceiling of the first wait (default 1 s)
 * @param factor how much the ceiling grows per attempt, at least 1 (default 2)
 * @param cap    the largest wait, also the bound on a server's {@code Retry-After} (default 30 s)
 */
public record Backoff(Duration base, double factor, Duration cap) {

    /** 1 s, doubling, at most 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));

    /** Checks the values. */
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative: base " + base + ", cap " + cap);
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be at least 1, was " + factor);
        }
    }

    /** Returns the largest wait after failed attempt {@code attempt} (1-based), before jitter. */
    public Duration ceiling(int attempt) {
        double nanos = base.toNanos() * Math.pow(factor, Math.max(0, attempt - 1));
        return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
    }

    /** Returns a jittered wait after failed attempt {@code attempt}, drawn from {@code random}. */
    public Duration wait(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toNanos();
        return ceiling == 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
