package io.github.llmbridge.cli.traces;

import io.github.llmbridge.core.ErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML report shows, aggregated by the store: a few thousand numbers however many
 * traces there are.
 *
 * @param source            what was read ({@link TraceSource#description()})
 * @param filter            which traces
 * @param totals            over all matching calls
 * @param bucket            the width of one time bucket
 * @param overTime          one entry per bucket with at least one call, oldest first
 * @param failuresByCategory failed calls per category, most first
 * @param byModel           per requested model, in order of first use
 * @param byPrefix          per session prefix, in order of first call
 * @param prefixesTruncated whether there were more prefixes than {@link ReportRequest#maxGroups()}
 * @param slowest           the slowest calls, slowest first
 * @param latestFailures    the latest failed calls, newest first
 * @param commonErrors      the commonest error messages (digits folded), most first
 */
public record ReportData(
        String source,
        TraceFilter filter,
        Totals totals,
        Duration bucket,
        List<Bucket> overTime,
        Map<ErrorCategory, Long> failuresByCategory,
        List<GroupTotals> byModel,
        List<GroupTotals> byPrefix,
        boolean prefixesTruncated,
        List<CallLine> slowest,
        List<CallLine> latestFailures,
        List<ErrorCount> commonErrors) {

    /** Copies the lists. */
    public ReportData {
        overTime = List.copyOf(overTime);
        failuresByCategory = Collections.unmodifiableMap(new LinkedHashMap<>(failuresByCategory));
        byModel = List.copyOf(byModel);
        byPrefix = List.copyOf(byPrefix);
        slowest = List.copyOf(slowest);
        latestFailures = List.copyOf(latestFailures);
        commonErrors = List.copyOf(commonErrors);
    }

    /**
     * Totals over all matching calls.
     *
     * @param calls            logical calls
     * @param failures         failed calls
     * @param retries          attempts beyond each call's first
     * @param retriedCalls     calls that needed more than one attempt
     * @param fallbacks        calls that tried another model than the one requested
     * @param promptTokens     prompt tokens
     * @param completionTokens completion tokens
     * @param totalTokens      total tokens
     * @param cost             summed reported cost in US dollars
     * @param costedCalls      calls that reported a cost
     * @param first            the first call's start, {@code null} without calls
     * @param last             the last call's start, {@code null} without calls
     * @param p50Ms            median latency
     * @param p95Ms            95th-percentile latency
     * @param p99Ms            99th-percentile latency
     * @param maxMs            the longest latency
     */
    public record Totals(
            long calls,
            long failures,
            long retries,
            long retriedCalls,
            long fallbacks,
            long promptTokens,
            long completionTokens,
            long totalTokens,
            double cost,
            long costedCalls,
            Instant first,
            Instant last,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double maxMs) {}

    /**
     * One time bucket.
     *
     * @param start       the bucket's start
     * @param calls       calls started in it
     * @param failures    of which failed
     * @param retries     attempts beyond each call's first
     * @param fallbacks   calls that tried another model
     * @param totalTokens tokens
     * @param cost        reported cost in US dollars
     * @param p50Ms       median latency
     * @param p95Ms       95th-percentile latency
     * @param p99Ms       99th-percentile latency
     */
    public record Bucket(
            Instant start,
            long calls,
            long failures,
            long retries,
            long fallbacks,
            long totalTokens,
            double cost,
            double p50Ms,
            double p95Ms,
            double p99Ms) {}

    /**
     * One call in a list of the report.
     *
     * @param traceId      the trace id ({@code llm-bridge traces show} takes it)
     * @param startedAt    when it started
     * @param sessionName  its session, {@code null} for none
     * @param model        the model requested
     * @param failed       whether it failed
     * @param category     its failure's category, {@code null} for success
     * @param httpStatus   the last HTTP status, 0 for none
     * @param attempts     HTTP attempts
     * @param latencyMs    its latency
     * @param totalTokens  tokens
     * @param errorMessage the failure's message, {@code null} for success
     */
    public record CallLine(
            String traceId,
            Instant startedAt,
            String sessionName,
            String model,
            boolean failed,
            ErrorCategory category,
            int httpStatus,
            int attempts,
            double latencyMs,
            long totalTokens,
            String errorMessage) {}

    /**
     * An error message and how often it occurred; long numbers in it (five digits or more) are
     * folded to {@code N}, so that "128057 tokens requested" and "131000 tokens requested" count as
     * one message while HTTP statuses and ports stay.
     *
     * @param category the failures' category
     * @param message  the message, long numbers folded
     * @param count    how many failed calls had it
     * @param last     the latest of them
     */
    public record ErrorCount(ErrorCategory category, String message, long count, Instant last) {}
}
