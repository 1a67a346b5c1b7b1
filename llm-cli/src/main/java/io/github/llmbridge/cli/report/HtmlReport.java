package io.github.llmbridge.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.cli.Shown;
import io.github.llmbridge.cli.traces.GroupTotals;
import io.github.llmbridge.cli.traces.ReportData;
import io.github.llmbridge.core.ErrorCategory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders {@link ReportData} as one self-contained HTML file: the numbers as cards and tables
 * (readable without JavaScript), the charts drawn by Chart.js from data embedded in the page, and
 * Chart.js itself inlined, so the file opens offline and can be mailed or archived with the run.
 *
 * <pre>{@code
 * String html = new HtmlReport(ZoneId.systemDefault(), "run-17.db", "traces/run-17.db").render(data, Instant.now());
 * }</pre>
 *
 * <p>A chart is drawn only where it has something to show (no failures: a sentence instead of an
 * empty chart), so every chart in a report has data points.
 */
public final class HtmlReport {

    private static final String RESOURCES = "/io/github/llmbridge/cli/report/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most time buckets the charts draw with the empty ones filled in. */
    private static final int MAX_FILLED_BUCKETS = 10_000;

    private final ZoneId zone;
    private final String title;
    private final String database;
    private final String chartJsVersion;

    /**
     * Creates a renderer.
     *
     * @param zone     the time zone times are shown in
     * @param title    the page's title, e.g. the database's file name
     * @param database how {@code llm-bridge traces show} should name the database in the page's hints
     */
    public HtmlReport(ZoneId zone, String title, String database) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.title = Objects.requireNonNull(title, "title");
        this.database = Objects.requireNonNull(database, "database");
        this.chartJsVersion = chartJsVersion();
    }

    /**
     * Returns the page.
     *
     * @param data        what to show
     * @param generatedAt when the report was made, shown in its header
     */
    public String render(ReportData data, Instant generatedAt) {
        StringBuilder h = new StringBuilder(256 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>LLM Bridge report: ")
                .append(esc(title))
                .append("</title>\n<style>\n")
                .append(resource(RESOURCES + "report.css"))
                .append("</style>\n</head>\n<body>\n");
        header(h, data, generatedAt);
        ReportData.Totals t = data.totals();
        if (t.calls() == 0) {
            h.append("<p class=\"empty\">No calls match ")
                    .append(esc(data.filter().describe()))
                    .append(" in this database.</p>\n");
        } else {
            cards(h, data);
            body(h, data);
        }
        h.append("<footer>Made by llm-bridge with Chart.js ")
                .append(esc(chartJsVersion))
                .append(" (MIT licence), inlined so that this file opens offline. Show one call in full with <code>")
                .append("llm-bridge traces show ")
                .append(esc(database))
                .append(" ID</code>.</footer>\n");
        h.append("<script id=\"report-data\" type=\"application/json\">")
                .append(json(chartData(data)))
                .append("</script>\n<script>\n")
                .append(chartJs())
                .append("\n</script>\n<script>\n")
                .append(resource(RESOURCES + "report.js"))
                .append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private void header(StringBuilder h, ReportData data, Instant generatedAt) {
        ReportData.Totals t = data.totals();
        h.append("<header>\n<h1>LLM Bridge report: ")
                .append(esc(title))
                .append("</h1>\n<p class=\"meta\">")
                .append(esc(data.source()))
                .append(" &middot; ")
                .append(esc(data.filter().describe()));
        if (t.first() != null) {
            h.append(" &middot; calls from ")
                    .append(esc(Shown.time(t.first(), zone)))
                    .append(" to ")
                    .append(esc(Shown.time(t.last(), zone)));
        }
        h.append(" &middot; times in ")
                .append(esc(zone.getId()))
                .append(" &middot; made ")
                .append(esc(Shown.time(generatedAt, zone)))
                .append("</p>\n</header>\n");
    }

    private static void cards(StringBuilder h, ReportData data) {
        ReportData.Totals t = data.totals();
        h.append("<section class=\"cards\" id=\"totals\">\n");
        card(h, "calls", Shown.count(t.calls()), "", false);
        card(
                h,
                "failed",
                Shown.count(t.failures()),
                Shown.percent((double) t.failures() / t.calls()) + " of calls",
                t.failures() > 0);
        card(h, "retries", Shown.count(t.retries()), Shown.count(t.retriedCalls()) + " calls retried", false);
        card(h, "fallbacks", Shown.count(t.fallbacks()), "calls that tried another model", false);
        card(h, "latency p50", Shown.millis(t.p50Ms()), "p95 " + Shown.millis(t.p95Ms()), false);
        card(h, "latency p99", Shown.millis(t.p99Ms()), "max " + Shown.millis(t.maxMs()), false);
        card(
                h,
                "tokens",
                Shown.compactCount(t.totalTokens()),
                Shown.compactCount(t.promptTokens()) + " prompt, " + Shown.compactCount(t.completionTokens())
                        + " completion",
                false);
        card(
                h,
                "cost",
                Shown.dollars(t.cost()),
                t.costedCalls() == t.calls()
                        ? "every call reported one"
                        : Shown.count(t.calls() - t.costedCalls()) + " calls reported none",
                false);
        h.append("</section>\n");
    }

    private static void card(StringBuilder h, String label, String value, String sub, boolean bad) {
        h.append("<div class=\"card")
                .append(bad ? " bad" : "")
                .append("\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\">")
                .append(esc(value))
                .append("</div><div class=\"sub\">")
                .append(esc(sub))
                .append("</div></div>\n");
    }

    private void body(StringBuilder h, ReportData data) {
        ReportData.Totals t = data.totals();
        String per = Shown.duration(data.bucket());
        section(h, "Calls and failures over time", "per " + per);
        chart(h, "chart-calls", "");
        section(h, "Latency percentiles over time", "nearest rank, per " + per);
        chart(h, "chart-latency", "");
        h.append("<div class=\"pair\">\n<div>\n");
        section(h, "Failures by category", Shown.count(t.failures()) + " failed calls");
        if (data.failuresByCategory().isEmpty()) {
            h.append("<p class=\"note\">No call failed.</p>\n");
        } else {
            chart(h, "chart-categories", "");
        }
        h.append("</div>\n<div>\n");
        section(h, "Retries and fallbacks over time", "per " + per);
        if (t.retries() == 0 && t.fallbacks() == 0) {
            h.append("<p class=\"note\">No call needed a retry or another model.</p>\n");
        } else {
            chart(h, "chart-retries", "");
        }
        h.append("</div>\n</div>\n");
        section(h, "Cost and tokens accumulated", "");
        if (t.cost() == 0 && t.totalTokens() == 0) {
            h.append("<p class=\"note\">No call reported tokens or a cost.</p>\n");
        } else {
            chart(h, "chart-cost", "");
        }
        section(h, "Per model", "the model each call requested");
        chart(h, "chart-models", "");
        groupTable(h, "model", data.byModel());
        section(h, "Per session prefix", "a session name up to its last delimiter: a training step");
        chart(h, "chart-prefixes", " tall");
        if (data.prefixesTruncated()) {
            h.append("<p class=\"note\">Only the first ")
                    .append(data.byPrefix().size())
                    .append(" prefixes are shown (report --max-groups).</p>\n");
        }
        groupTable(h, "session prefix", data.byPrefix());
        section(h, "Slowest calls", "the " + data.slowest().size() + " slowest");
        callTable(h, data.slowest(), false);
        section(h, "Failed calls", "");
        if (data.latestFailures().isEmpty()) {
            h.append("<p class=\"note\">No call failed.</p>\n");
        } else {
            h.append("<h3>Commonest errors</h3>\n");
            errorTable(h, data.commonErrors());
            h.append("<h3>Latest failures</h3>\n");
            callTable(h, data.latestFailures(), true);
        }
    }

    private static void section(StringBuilder h, String heading, String note) {
        h.append("<h2>").append(esc(heading));
        if (!note.isEmpty()) {
            h.append(" <small class=\"meta\">(").append(esc(note)).append(")</small>");
        }
        h.append("</h2>\n");
    }

    private static void chart(StringBuilder h, String id, String size) {
        h.append("<div class=\"chart")
                .append(size)
                .append("\"><canvas id=\"")
                .append(id)
                .append("\" role=\"img\" aria-label=\"")
                .append(id.substring("chart-".length()))
                .append(" chart\"></canvas></div>\n");
    }

    private void groupTable(StringBuilder h, String label, List<GroupTotals> groups) {
        h.append("<div class=\"scroll\"><table>\n<thead><tr><th>")
                .append(esc(label))
                .append("</th><th class=\"n\">calls</th><th class=\"n\">failed</th><th class=\"n\">failed %</th>")
                .append("<th class=\"n\">attempts</th><th class=\"n\">tokens</th><th class=\"n\">cost</th>")
                .append("<th class=\"n\">p50</th><th class=\"n\">p95</th><th>first call</th><th>last call</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (GroupTotals g : groups) {
            h.append("<tr><td>")
                    .append(esc(g.group()))
                    .append("</td>")
                    .append(n(Shown.count(g.calls())))
                    .append(n(Shown.count(g.failures())))
                    .append(n(Shown.percent(g.failureRate())))
                    .append(n(Shown.count(g.attempts())))
                    .append(n(Shown.count(g.totalTokens())))
                    .append(n(Shown.dollars(g.cost())))
                    .append(n(Shown.millis(g.p50Ms())))
                    .append(n(Shown.millis(g.p95Ms())))
                    .append("<td class=\"t\">")
                    .append(esc(Shown.time(g.first(), zone)))
                    .append("</td><td class=\"t\">")
                    .append(esc(Shown.time(g.last(), zone)))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private void callTable(StringBuilder h, List<ReportData.CallLine> calls, boolean failures) {
        h.append("<div class=\"scroll\"><table>\n<thead><tr><th>started</th><th>trace id</th><th>session</th>")
                .append("<th>model</th><th>status</th><th class=\"n\">HTTP</th><th class=\"n\">attempts</th>")
                .append("<th class=\"n\">latency</th>")
                .append(failures ? "" : "<th class=\"n\">tokens</th>")
                .append("<th>error</th></tr></thead>\n<tbody>\n");
        for (ReportData.CallLine c : calls) {
            h.append("<tr")
                    .append(c.failed() ? " class=\"failed\"" : "")
                    .append("><td class=\"t\">")
                    .append(esc(Shown.time(c.startedAt(), zone)))
                    .append("</td><td class=\"t\"><code title=\"")
                    .append(esc(c.traceId()))
                    .append("\">")
                    .append(esc(
                            c.traceId().substring(0, Math.min(13, c.traceId().length()))))
                    .append("</code></td><td class=\"s\">")
                    .append(esc(c.sessionName() == null ? "-" : c.sessionName()))
                    .append("</td><td>")
                    .append(esc(c.model()))
                    .append("</td><td class=\"status\">")
                    .append(esc(
                            c.failed()
                                    ? (c.category() == null
                                            ? "failed"
                                            : c.category().name())
                                    : "ok"))
                    .append("</td>")
                    .append(n(c.httpStatus() == 0 ? "-" : String.valueOf(c.httpStatus())))
                    .append(n(String.valueOf(c.attempts())))
                    .append(n(Shown.millis(c.latencyMs())))
                    .append(failures ? "" : n(Shown.count(c.totalTokens())))
                    .append("<td class=\"msg\">")
                    .append(esc(c.errorMessage() == null ? "" : c.errorMessage()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private void errorTable(StringBuilder h, List<ReportData.ErrorCount> errors) {
        h.append("<div class=\"scroll\"><table>\n<thead><tr><th class=\"n\">calls</th><th>category</th>")
                .append("<th>message (long numbers shown as N)</th><th>last seen</th></tr></thead>\n<tbody>\n");
        for (ReportData.ErrorCount e : errors) {
            h.append("<tr>")
                    .append(n(Shown.count(e.count())))
                    .append("<td>")
                    .append(esc(e.category() == null ? "-" : e.category().name()))
                    .append("</td><td class=\"msg\">")
                    .append(esc(e.message()))
                    .append("</td><td class=\"t\">")
                    .append(esc(Shown.time(e.last(), zone)))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static String n(String value) {
        return "<td class=\"n\">" + esc(value) + "</td>";
    }

    /** The series the charts draw; only those the page has a canvas for. */
    private ObjectNode chartData(ReportData data) {
        ObjectNode root = JSON.createObjectNode();
        root.put("bucket", Shown.duration(data.bucket()));
        if (data.totals().calls() == 0) {
            return root;
        }
        ObjectNode time = root.putObject("time");
        ArrayNode labels = time.putArray("labels");
        ArrayNode ok = time.putArray("ok");
        ArrayNode failed = time.putArray("failed");
        ArrayNode p50 = time.putArray("p50");
        ArrayNode p95 = time.putArray("p95");
        ArrayNode p99 = time.putArray("p99");
        ArrayNode retries = time.putArray("retries");
        ArrayNode fallbacks = time.putArray("fallbacks");
        ArrayNode cost = time.putArray("cumulativeCost");
        ArrayNode tokens = time.putArray("cumulativeTokens");
        DateTimeFormatter label = labelFormat(data);
        double costSoFar = 0;
        long tokensSoFar = 0;
        for (ReportData.Bucket b : withEmptyBuckets(data)) {
            labels.add(label.format(b.start().atZone(zone)));
            ok.add(b.calls() - b.failures());
            failed.add(b.failures());
            if (b.calls() == 0) {
                p50.addNull(); // no call, no latency: a gap in the lines, not a zero
                p95.addNull();
                p99.addNull();
            } else {
                // a latency of 0 ms has no place on the log axis
                p50.add(Math.max(0.1, round(b.p50Ms())));
                p95.add(Math.max(0.1, round(b.p95Ms())));
                p99.add(Math.max(0.1, round(b.p99Ms())));
            }
            retries.add(b.retries());
            fallbacks.add(b.fallbacks());
            costSoFar += b.cost();
            tokensSoFar += b.totalTokens();
            cost.add(Math.round(costSoFar * 1e6) / 1e6);
            tokens.add(tokensSoFar);
        }
        if (!data.failuresByCategory().isEmpty()) {
            ObjectNode categories = root.putObject("categories");
            ArrayNode names = categories.putArray("labels");
            ArrayNode counts = categories.putArray("counts");
            for (Map.Entry<ErrorCategory, Long> e : data.failuresByCategory().entrySet()) {
                names.add(e.getKey().name());
                counts.add(e.getValue());
            }
        }
        root.set("models", groups(data.byModel()));
        root.set("prefixes", groups(data.byPrefix()));
        return root;
    }

    /**
     * The buckets with an empty one wherever no call started, so that the time axis keeps its
     * scale (the charts' axis is one label per bucket). Past {@value #MAX_FILLED_BUCKETS} buckets
     * (a tiny {@code --bucket} over a long run) only the buckets with calls are drawn.
     */
    private static List<ReportData.Bucket> withEmptyBuckets(ReportData data) {
        List<ReportData.Bucket> buckets = data.overTime();
        if (buckets.isEmpty()) {
            return buckets;
        }
        long width = data.bucket().toMillis();
        long first = buckets.get(0).start().toEpochMilli();
        long last = buckets.get(buckets.size() - 1).start().toEpochMilli();
        if ((last - first) / width + 1 > MAX_FILLED_BUCKETS) {
            return buckets;
        }
        List<ReportData.Bucket> filled = new java.util.ArrayList<>();
        int next = 0;
        for (long at = first; at <= last; at += width) {
            ReportData.Bucket b = buckets.get(next);
            if (b.start().toEpochMilli() == at) {
                filled.add(b);
                next++;
            } else {
                filled.add(new ReportData.Bucket(Instant.ofEpochMilli(at), 0, 0, 0, 0, 0, 0, 0, 0, 0));
            }
        }
        return filled;
    }

    private static ObjectNode groups(List<GroupTotals> groups) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode labels = node.putArray("labels");
        ArrayNode ok = node.putArray("ok");
        ArrayNode failed = node.putArray("failed");
        ArrayNode cost = node.putArray("cost");
        for (GroupTotals g : groups) {
            labels.add(g.group());
            ok.add(g.calls() - g.failures());
            failed.add(g.failures());
            cost.add(Math.round(g.cost() * 1e6) / 1e6);
        }
        return node;
    }

    /** Labels as short as the bucket allows: seconds only for buckets under a minute, dates for a day or more. */
    private DateTimeFormatter labelFormat(ReportData data) {
        Duration bucket = data.bucket();
        ReportData.Totals t = data.totals();
        boolean oneDay = t.first() != null
                && t.first()
                        .atZone(zone)
                        .toLocalDate()
                        .equals(t.last().atZone(zone).toLocalDate());
        String pattern;
        if (bucket.toDays() >= 1) {
            pattern = "yyyy-MM-dd";
        } else if (bucket.toMinutes() < 1) {
            pattern = oneDay ? "HH:mm:ss" : "MM-dd HH:mm:ss";
        } else {
            pattern = oneDay ? "HH:mm" : "MM-dd HH:mm";
        }
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    /** JSON that is safe inside a script element: no {@code <} can close it. */
    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Chart.js as the WebJar ships it, without its source-map comment (the map is not shipped). */
    private String chartJs() {
        String js = resource("/META-INF/resources/webjars/chart.js/" + chartJsVersion + "/dist/chart.umd.js");
        return js.replaceAll("(?m)^//# sourceMappingURL=.*$", "").replace("</script", "<\\/script");
    }

    private static String chartJsVersion() {
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = HtmlReport.class.getResourceAsStream("/llm-bridge.properties")) {
            if (in == null) {
                throw new IllegalStateException("llm-bridge.properties is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("chartjs.version");
    }

    private static String resource(String path) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Escapes text for HTML content and attribute values. */
    static String esc(String text) {
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
