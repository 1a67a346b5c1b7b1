package io.github.llmbridge.tracing;

import java.time.Duration;

/**
 * Totals over the traces of one session name, from {@link TraceStore#summary(String)}.
 *
 * @param sessionName      the session name summarised
 * @param calls            logical calls recorded
 * @param failures         calls with status {@code failed}
 * @param attemptCount     HTTP attempts over all calls
 * @param promptTokens     prompt tokens over all calls
 * @param completionTokens completion tokens over all calls
 * @param totalTokens      total tokens over all calls
 * @param cost             summed reported cost in US dollars (calls without a cost count as 0)
 * @param latencyP50       median call latency (nearest rank), {@link Duration#ZERO} without calls
 * @param latencyP95       95th-percentile call latency (nearest rank), {@link Duration#ZERO} without calls
 */
public record TraceSummary(
        String sessionName,
        long calls,
        long failures,
        long attemptCount,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        double cost,
        Duration latencyP50,
        Duration latencyP95) {}
