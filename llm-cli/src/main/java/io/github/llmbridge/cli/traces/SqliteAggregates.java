package io.github.llmbridge.cli.traces;

import io.github.llmbridge.cli.Progress;
import io.github.llmbridge.core.ErrorCategory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SQL behind {@code traces summary} and the report, over the documented columns of the
 * {@code traces} table. Aggregation happens in SQLite: latency percentiles with the aggregate
 * {@link LatencyRanks} (nearest rank, as {@code TraceSummary}), and for the report one pass copies the few columns it
 * needs into a temporary table, which the eight aggregations then read instead of the ~2 KB rows.
 * All of it runs in one read transaction, so the report is a consistent snapshot while a trainer
 * keeps writing.
 */
final class SqliteAggregates {

    /** Bucket widths the report picks from: the first that gives at most {@link ReportRequest#TARGET_BUCKETS}. */
    private static final List<Duration> NICE_BUCKETS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofDays(1),
            Duration.ofDays(2),
            Duration.ofDays(7),
            Duration.ofDays(30));

    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{5,}");
    private static final String NO_SESSION = "(no session)";
    /** The report's steps; the ninth, writing the HTML, is the caller's. */
    private static final int STEPS = 9;

    private final Connection c;

    SqliteAggregates(Connection c) {
        this.c = c;
    }

    /** See {@link TraceSource#summarise}. */
    List<GroupTotals> summarise(TraceFilter filter, Grouping grouping, char delimiter, int limit) throws SQLException {
        Where where = Where.of(filter);
        String key = key(grouping, delimiter);
        String sql = "SELECT " + key + " AS grp, count(*), total(t.status = 'failed'), total(t.attempts),"
                + " total(t.prompt_tokens), total(t.completion_tokens), total(t.total_tokens), total(t.cost),"
                + " latency_ranks(t.latency_ms), min(t.started_at_ms), max(t.started_at_ms)"
                + " FROM traces t WHERE " + where.sql()
                + (grouping == Grouping.ALL ? "" : " GROUP BY grp")
                + " ORDER BY min(t.started_at_ms) LIMIT ?";
        List<GroupTotals> groups = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int next = where.bind(p, 1);
            p.setInt(next, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (r.getLong(2) == 0) {
                        continue; // ALL over no rows still returns one row of NULLs
                    }
                    groups.add(group(r));
                }
            }
        }
        return groups;
    }

    /** See {@link TraceSource#report}. */
    ReportData report(String source, ReportRequest request, Progress progress) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // one read transaction: every figure from the same snapshot
        try (Statement s = c.createStatement()) {
            progress.step(1, STEPS, "reading the traces");
            s.execute("DROP TABLE IF EXISTS temp.report_calls");
            Where where = Where.of(request.filter());
            try (PreparedStatement p = c.prepareStatement("CREATE TEMP TABLE report_calls AS SELECT t.id AS id,"
                    + " t.started_at_ms AS at_ms, t.status = 'failed' AS failed, t.error_category AS category,"
                    + " t.attempts AS attempts, t.latency_ms AS ms, t.prompt_tokens AS pt, t.completion_tokens AS ct,"
                    + " t.total_tokens AS tt, t.cost AS cost, t.model_requested AS model, "
                    + key(Grouping.PREFIX, request.prefixDelimiter()) + " AS prefix,"
                    // a fallback: some attempt asked another model than the request did
                    + " CASE WHEN t.attempts > 1 AND json_valid(t.attempt_history) THEN EXISTS (SELECT 1 FROM"
                    + " json_each(t.attempt_history) j WHERE json_extract(j.value, '$.model') <> t.model_requested)"
                    + " ELSE 0 END AS fellback"
                    + " FROM traces t WHERE " + where.sql())) {
                where.bind(p, 1);
                p.executeUpdate();
            }
            progress.step(2, STEPS, "totals and latency percentiles");
            ReportData.Totals totals = totals(s);
            Duration bucket = request.bucket() != null ? request.bucket() : bucketFor(totals);
            progress.step(3, STEPS, "calls, failures and latency over time");
            List<ReportData.Bucket> overTime = overTime(totals, bucket);
            progress.step(4, STEPS, "failures by category");
            Map<ErrorCategory, Long> byCategory = failuresByCategory(s);
            progress.step(5, STEPS, "per model");
            List<GroupTotals> byModel = groups("model", request.maxGroups());
            progress.step(6, STEPS, "per session prefix");
            List<GroupTotals> byPrefix = groups("prefix", request.maxGroups() + 1);
            boolean truncated = byPrefix.size() > request.maxGroups();
            if (truncated) {
                byPrefix = byPrefix.subList(0, request.maxGroups());
            }
            progress.step(7, STEPS, "slowest and failed calls");
            List<ReportData.CallLine> slowest = calls("ORDER BY ms DESC, id LIMIT ?", request.listed());
            List<ReportData.CallLine> failures =
                    calls("WHERE failed ORDER BY at_ms DESC, id DESC LIMIT ?", request.listed());
            progress.step(8, STEPS, "common error messages");
            List<ReportData.ErrorCount> errors = commonErrors(request.listed());
            s.execute("DROP TABLE temp.report_calls");
            return new ReportData(
                    source,
                    request.filter(),
                    totals,
                    bucket,
                    overTime,
                    byCategory,
                    byModel,
                    byPrefix,
                    truncated,
                    slowest,
                    failures,
                    errors);
        } finally {
            c.rollback(); // nothing was written to the file; this ends the read transaction
            c.setAutoCommit(autoCommit);
        }
    }

    private static ReportData.Totals totals(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*), total(failed), total(max(attempts - 1, 0)),"
                + " total(attempts > 1), total(fellback), total(pt), total(ct), total(tt), total(cost), count(cost),"
                + " min(at_ms), max(at_ms), latency_ranks(ms), max(ms) FROM report_calls")) {
            r.next();
            long calls = r.getLong(1);
            double[] ranks = LatencyRanks.parse(r.getString(13));
            return new ReportData.Totals(
                    calls,
                    (long) r.getDouble(2),
                    (long) r.getDouble(3),
                    (long) r.getDouble(4),
                    (long) r.getDouble(5),
                    (long) r.getDouble(6),
                    (long) r.getDouble(7),
                    (long) r.getDouble(8),
                    r.getDouble(9),
                    r.getLong(10),
                    calls == 0 ? null : Instant.ofEpochMilli(r.getLong(11)),
                    calls == 0 ? null : Instant.ofEpochMilli(r.getLong(12)),
                    ranks[0],
                    ranks[1],
                    ranks[2],
                    r.getDouble(14));
        }
    }

    /** The first nice width that splits the run into at most the target number of buckets. */
    static Duration bucketFor(ReportData.Totals totals) {
        if (totals.first() == null) {
            return NICE_BUCKETS.get(0);
        }
        long span = Duration.between(totals.first(), totals.last()).toMillis() + 1;
        for (Duration width : NICE_BUCKETS) {
            if (span / width.toMillis() < ReportRequest.TARGET_BUCKETS) {
                return width;
            }
        }
        return NICE_BUCKETS.get(NICE_BUCKETS.size() - 1);
    }

    private List<ReportData.Bucket> overTime(ReportData.Totals totals, Duration bucket) throws SQLException {
        List<ReportData.Bucket> buckets = new ArrayList<>();
        if (totals.first() == null) {
            return buckets;
        }
        long width = bucket.toMillis();
        long origin = Math.floorDiv(totals.first().toEpochMilli(), width) * width;
        try (PreparedStatement p = c.prepareStatement("SELECT (at_ms - ?) / ? AS b, count(*), total(failed),"
                + " total(max(attempts - 1, 0)), total(fellback), total(tt), total(cost), latency_ranks(ms)"
                + " FROM report_calls GROUP BY b ORDER BY b")) {
            p.setLong(1, origin);
            p.setLong(2, width);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    double[] ranks = LatencyRanks.parse(r.getString(8));
                    buckets.add(new ReportData.Bucket(
                            Instant.ofEpochMilli(origin + r.getLong(1) * width),
                            r.getLong(2),
                            (long) r.getDouble(3),
                            (long) r.getDouble(4),
                            (long) r.getDouble(5),
                            (long) r.getDouble(6),
                            r.getDouble(7),
                            ranks[0],
                            ranks[1],
                            ranks[2]));
                }
            }
        }
        return buckets;
    }

    private static Map<ErrorCategory, Long> failuresByCategory(Statement s) throws SQLException {
        Map<ErrorCategory, Long> counts = new LinkedHashMap<>();
        try (ResultSet r = s.executeQuery("SELECT category, count(*) FROM report_calls WHERE failed AND category"
                + " IS NOT NULL GROUP BY category ORDER BY count(*) DESC, category")) {
            while (r.next()) {
                Optional<ErrorCategory> category = category(r.getString(1));
                long count = r.getLong(2);
                category.ifPresent(cat -> counts.merge(cat, count, Long::sum));
            }
        }
        return counts;
    }

    private List<GroupTotals> groups(String column, int limit) throws SQLException {
        List<GroupTotals> groups = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + column + ", count(*), total(failed), total(attempts),"
                + " total(pt), total(ct), total(tt), total(cost), latency_ranks(ms), min(at_ms), max(at_ms)"
                + " FROM report_calls GROUP BY " + column + " ORDER BY min(at_ms) LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    groups.add(group(r));
                }
            }
        }
        return groups;
    }

    /** One row of a grouping: key, count, five totals, cost, the latency ranks, first and last start. */
    private static GroupTotals group(ResultSet r) throws SQLException {
        double[] ranks = LatencyRanks.parse(r.getString(9));
        return new GroupTotals(
                groupName(r.getString(1)),
                r.getLong(2),
                (long) r.getDouble(3),
                (long) r.getDouble(4),
                (long) r.getDouble(5),
                (long) r.getDouble(6),
                (long) r.getDouble(7),
                r.getDouble(8),
                ranks[0],
                ranks[1],
                Instant.ofEpochMilli(r.getLong(10)),
                Instant.ofEpochMilli(r.getLong(11)));
    }

    /** Calls picked from the temporary table by {@code order}, with their details from {@code traces}. */
    private List<ReportData.CallLine> calls(String order, int limit) throws SQLException {
        List<ReportData.CallLine> lines = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT t.trace_id, t.started_at_ms, t.session_name,"
                + " t.model_requested, t.status, t.error_category, t.http_status, t.attempts, t.latency_ms,"
                + " t.total_tokens, t.error_message FROM (SELECT id, at_ms, ms FROM report_calls " + order + ") r"
                + " JOIN traces t ON t.id = r.id")) {
            p.setInt(1, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    lines.add(new ReportData.CallLine(
                            r.getString(1),
                            Instant.ofEpochMilli(r.getLong(2)),
                            r.getString(3),
                            r.getString(4),
                            "failed".equals(r.getString(5)),
                            category(r.getString(6)).orElse(null),
                            r.getInt(7),
                            r.getInt(8),
                            r.getDouble(9),
                            r.getLong(10),
                            r.getString(11)));
                }
            }
        }
        // the join does not keep the subquery's order
        Comparator<ReportData.CallLine> byOrder = order.startsWith("ORDER BY ms")
                ? Comparator.comparingDouble(ReportData.CallLine::latencyMs).reversed()
                : Comparator.comparing(ReportData.CallLine::startedAt).reversed();
        lines.sort(byOrder.thenComparing(ReportData.CallLine::traceId));
        return lines;
    }

    private List<ReportData.ErrorCount> commonErrors(int limit) throws SQLException {
        Map<String, ReportData.ErrorCount> folded = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT t.error_category, t.error_message, count(*),"
                        + " max(t.started_at_ms) FROM report_calls c JOIN traces t ON t.id = c.id WHERE c.failed"
                        + " GROUP BY t.error_category, t.error_message")) {
            while (r.next()) {
                ErrorCategory category = category(r.getString(1)).orElse(null);
                String message = r.getString(2) == null
                        ? "(no message)"
                        : LONG_NUMBER.matcher(r.getString(2)).replaceAll("N");
                long count = r.getLong(3);
                Instant last = Instant.ofEpochMilli(r.getLong(4));
                folded.merge(
                        category + "\n" + message,
                        new ReportData.ErrorCount(category, message, count, last),
                        (a, b) -> new ReportData.ErrorCount(
                                a.category(),
                                a.message(),
                                a.count() + b.count(),
                                a.last().isAfter(b.last()) ? a.last() : b.last()));
            }
        }
        return folded.values().stream()
                .sorted(Comparator.comparingLong(ReportData.ErrorCount::count)
                        .reversed()
                        .thenComparing(ReportData.ErrorCount::message))
                .limit(limit)
                .toList();
    }

    /**
     * The SQL expression of a group's key. A prefix is the session name up to its last delimiter:
     * {@code rtrim(name, <name without delimiters>)} strips the characters after the last one.
     */
    private static String key(Grouping grouping, char delimiter) {
        return switch (grouping) {
            case SESSION -> "coalesce(t.session_name, '')";
            case MODEL -> "t.model_requested";
            case ALL -> "'all'";
            case PREFIX -> {
                String d = "'" + (delimiter == '\'' ? "''" : String.valueOf(delimiter)) + "'";
                yield "CASE WHEN instr(t.session_name, " + d + ") > 0 THEN rtrim(rtrim(t.session_name,"
                        + " replace(t.session_name, " + d + ", '')), " + d + ") ELSE coalesce(t.session_name, '') END";
            }
        };
    }

    private static String groupName(String key) {
        return key == null || key.isEmpty() ? NO_SESSION : key;
    }

    private static Optional<ErrorCategory> category(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ErrorCategory.valueOf(name));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty(); // a category of a newer library version: not charted
        }
    }

    /** A filter as SQL over {@code traces t}, with its parameters, as the tracing module's reader applies it. */
    private record Where(String sql, List<Object> args) {

        static Where of(TraceFilter f) {
            StringBuilder sql = new StringBuilder("1 = 1");
            List<Object> args = new ArrayList<>();
            if (f.sessionName() != null) {
                sql.append(" AND t.session_name = ?");
                args.add(f.sessionName());
            }
            if (f.sessionUid() != null) {
                sql.append(" AND t.id IN (SELECT s.trace_rowid FROM trace_session_uids s WHERE s.session_uid = ?)");
                args.add(f.sessionUid());
            }
            if (f.model() != null) {
                sql.append(" AND (t.model_requested = ? OR t.model_used = ?)");
                args.add(f.model());
                args.add(f.model());
            }
            if (f.status() != null) {
                sql.append(" AND t.status = ?");
                args.add(f.status().column());
            }
            if (f.category() != null) {
                sql.append(" AND t.error_category = ?");
                args.add(f.category().name());
            }
            if (f.since() != null) {
                sql.append(" AND t.started_at_ms >= ?");
                args.add(f.since().toEpochMilli());
            }
            if (f.until() != null) {
                sql.append(" AND t.started_at_ms < ?");
                args.add(f.until().toEpochMilli());
            }
            return new Where(sql.toString(), args);
        }

        /** Binds the parameters from {@code first}; returns the next free index. */
        int bind(PreparedStatement p, int first) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(first + i, args.get(i));
            }
            return first + args.size();
        }
    }
}
