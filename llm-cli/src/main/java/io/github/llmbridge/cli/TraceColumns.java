package io.github.llmbridge.cli;

import io.github.llmbridge.cli.Rows.Column;
import io.github.llmbridge.cli.traces.GroupTotals;
import io.github.llmbridge.tracing.TraceRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** The columns of {@code traces list} and {@code traces summary}. */
final class TraceColumns {

    /** How many characters of a trace id the table shows; {@code traces show} takes them. */
    static final int SHORT_ID = 13;

    private TraceColumns() {}

    /** Every column of a listed call, for JSON lines and CSV. */
    static List<Column<TraceRecord>> calls() {
        return List.of(
                Column.text("started_at", TraceRecord::startedAt, 24),
                Column.text("trace_id", TraceRecord::traceId, 36),
                Column.text("session_name", TraceRecord::sessionName, 30),
                Column.text("model_requested", TraceRecord::modelRequested, 30),
                Column.text("model_used", TraceRecord::modelUsed, 30),
                Column.text("status", r -> r.status().column(), 6),
                Column.text(
                        "error_category",
                        r -> r.errorCategory() == null
                                ? null
                                : r.errorCategory().name(),
                        22),
                Column.number("http_status", r -> r.httpStatus() == 0 ? null : r.httpStatus(), String::valueOf, 4),
                Column.number("attempts", TraceRecord::attemptCount, String::valueOf, 3),
                Column.number("latency_ms", r -> r.latency().toNanos() / 1e6, String::valueOf, 9),
                Column.number("prompt_tokens", r -> r.usage().promptTokens(), String::valueOf, 7),
                Column.number("completion_tokens", r -> r.usage().completionTokens(), String::valueOf, 7),
                Column.number("total_tokens", r -> r.usage().totalTokens(), String::valueOf, 7),
                Column.number("cost", TraceRecord::cost, String::valueOf, 10),
                Column.text("error_message", TraceRecord::errorMessage, 60));
    }

    /** What the table of calls shows: one line per call that fits a wide terminal. */
    static List<Column<TraceRecord>> callTable(ZoneId zone) {
        return List.of(
                new Column<>("started", TraceRecord::startedAt, v -> Shown.time((Instant) v, zone), 19, false),
                Column.text(
                        "id",
                        r -> r.traceId()
                                .substring(0, Math.min(SHORT_ID, r.traceId().length())),
                        SHORT_ID),
                Column.text("session", TraceRecord::sessionName, 26),
                Column.text("model", TraceRecord::modelRequested, 26),
                Column.text(
                        "status",
                        r -> r.errorCategory() == null
                                ? r.status().column()
                                : r.status().column() + " " + r.errorCategory().name(),
                        30),
                Column.number("tries", TraceRecord::attemptCount, String::valueOf, 5),
                Column.number("latency", r -> r.latency().toNanos() / 1e6, v -> Shown.millis((Double) v), 8),
                Column.number("tokens", r -> r.usage().totalTokens(), v -> Shown.count((Long) v), 7),
                Column.number("cost", TraceRecord::cost, v -> Shown.dollars((Double) v), 9),
                Column.text("error", TraceRecord::errorMessage, 60));
    }

    /** Every column of a group's totals. */
    static List<Column<GroupTotals>> groups() {
        return List.of(
                Column.text("group", GroupTotals::group, 40),
                Column.number("calls", GroupTotals::calls, v -> Shown.count((Long) v), 9),
                Column.number("failures", GroupTotals::failures, v -> Shown.count((Long) v), 8),
                Column.number("failure_rate", GroupTotals::failureRate, v -> Shown.percent((Double) v), 7),
                Column.number("attempts", GroupTotals::attempts, v -> Shown.count((Long) v), 9),
                Column.number("prompt_tokens", GroupTotals::promptTokens, v -> Shown.count((Long) v), 13),
                Column.number("completion_tokens", GroupTotals::completionTokens, v -> Shown.count((Long) v), 13),
                Column.number("total_tokens", GroupTotals::totalTokens, v -> Shown.count((Long) v), 13),
                Column.number("cost", GroupTotals::cost, v -> Shown.dollars((Double) v), 11),
                Column.number("p50_ms", GroupTotals::p50Ms, v -> Shown.millis((Double) v), 8),
                Column.number("p95_ms", GroupTotals::p95Ms, v -> Shown.millis((Double) v), 8),
                Column.text("first", GroupTotals::first, 24),
                Column.text("last", GroupTotals::last, 24));
    }

    /** What the table of groups shows. */
    static List<Column<GroupTotals>> groupTable(ZoneId zone) {
        return List.of(
                Column.text("group", GroupTotals::group, 40),
                Column.number("calls", GroupTotals::calls, v -> Shown.count((Long) v), 9),
                Column.number("failed", GroupTotals::failures, v -> Shown.count((Long) v), 8),
                Column.number("failed %", GroupTotals::failureRate, v -> Shown.percent((Double) v), 8),
                Column.number("attempts", GroupTotals::attempts, v -> Shown.count((Long) v), 9),
                Column.number("tokens", GroupTotals::totalTokens, v -> Shown.count((Long) v), 13),
                Column.number("cost", GroupTotals::cost, v -> Shown.dollars((Double) v), 11),
                Column.number("p50", GroupTotals::p50Ms, v -> Shown.millis((Double) v), 8),
                Column.number("p95", GroupTotals::p95Ms, v -> Shown.millis((Double) v), 8),
                new Column<>("first", GroupTotals::first, v -> Shown.time((Instant) v, zone), 19, false),
                new Column<>("last", GroupTotals::last, v -> Shown.time((Instant) v, zone), 19, false));
    }
}
