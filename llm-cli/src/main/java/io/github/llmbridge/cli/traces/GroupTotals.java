package io.github.llmbridge.cli.traces;

import java.time.Instant;

/**
 * Totals over one group of calls: a session, a session prefix, a model, or all of them. The
 * percentiles are nearest-rank, as the tracing API's {@code TraceSummary} computes them.
 *
 * @param group            the group's key ({@code (no session)} for calls outside any session)
 * @param calls            logical calls
 * @param failures         calls with status {@code failed}
 * @param attempts         HTTP attempts over all calls
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param totalTokens      total tokens
 * @param cost             summed reported cost in US dollars (calls without one count as 0)
 * @param p50Ms            median latency in milliseconds
 * @param p95Ms            95th-percentile latency in milliseconds
 * @param first            when the group's first call started
 * @param last             when its last call started
 */
public record GroupTotals(
        String group,
        long calls,
        long failures,
        long attempts,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        double cost,
        double p50Ms,
        double p95Ms,
        Instant first,
        Instant last) {

    /** Returns the share of calls that failed, 0 without calls. */
    public double failureRate() {
        return calls == 0 ? 0 : (double) failures / calls;
    }
}
