package io.github.llmbridge.cli.traces;

import java.time.Duration;
import java.util.Objects;

/**
 * What the report should cover and how finely.
 *
 * @param filter          which traces
 * @param bucket          the width of a time bucket; {@code null} picks one that gives at most
 *                        {@link #TARGET_BUCKETS} buckets
 * @param prefixDelimiter where a session name's prefix ends ({@code /}: {@code step-42/rollout-7} is in {@code step-42})
 * @param listed          how many of the slowest calls, the latest failures and the commonest errors are listed
 * @param maxGroups       the most models and session prefixes shown (the earliest first)
 */
public record ReportRequest(TraceFilter filter, Duration bucket, char prefixDelimiter, int listed, int maxGroups) {

    /** About how many time buckets an automatic bucket width aims at. */
    public static final int TARGET_BUCKETS = 120;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a non-positive bucket, count or group limit
     */
    public ReportRequest {
        Objects.requireNonNull(filter, "filter");
        if (bucket != null && (bucket.isNegative() || bucket.isZero())) {
            throw new IllegalArgumentException("bucket must be positive, was " + bucket);
        }
        if (listed < 1 || maxGroups < 1) {
            throw new IllegalArgumentException("listed and maxGroups must be at least 1");
        }
    }
}
