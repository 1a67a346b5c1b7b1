package io.github.llmbridge.examples;

import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints the demo's results table and summary, the summary read back from the trace database. */
final class DemoReport {

    private DemoReport() {}

    static void print(PrintStream out, List<QuestionResult> results, List<TraceRecord> traces, Path traceDb) {
        out.println();
        out.printf(Locale.ROOT, "%-40s %-9s %s%n", "question", "rubrics", "reward per response (0..1)");
        for (QuestionResult r : results) {
            String rubrics = r.rubrics().positiveRubrics().size() + "+ "
                    + r.rubrics().negativeRubrics().size() + "-";
            String rewards = r.scored()
                    ? String.join(
                            "  ",
                            r.rewards().stream()
                                    .map(x -> String.format(Locale.ROOT, "%.2f", x))
                                    .toList())
                    : "FAILED " + r.failure().category() + ": " + r.failure().getMessage();
            out.printf(Locale.ROOT, "%-40s %-9s %s%n", cut(r.question(), 40), rubrics, rewards);
        }

        long calls = traces.size();
        long failures =
                traces.stream().filter(t -> t.status() != TraceStatus.OK).count();
        long retriesSurvived = traces.stream()
                .filter(t -> t.status() == TraceStatus.OK)
                .mapToLong(t -> Math.max(0, t.attemptCount() - 1))
                .sum();
        long tokens = traces.stream().mapToLong(t -> t.usage().totalTokens()).sum();
        double[] latencies = traces.stream()
                .mapToDouble(t -> t.latency().toNanos() / 1e6)
                .sorted()
                .toArray();
        out.println();
        out.printf(
                Locale.ROOT,
                "%d calls, %d retries survived, %d failed, %d tokens, latency p50 %.0f ms, p95 %.0f ms%n",
                calls,
                retriesSurvived,
                failures,
                tokens,
                percentile(latencies, 50),
                percentile(latencies, 95));
        out.println("Every call is in " + traceDb + ". Look at it with:");
        out.println("  ./llm-bridge report " + traceDb + "      (charts in one HTML file; or traces list, summary)");
        out.println("  sqlite3 " + traceDb + " \"SELECT session_name, model_used, status, attempts,"
                + " round(latency_ms) AS ms, total_tokens FROM traces ORDER BY started_at_ms\"");
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
