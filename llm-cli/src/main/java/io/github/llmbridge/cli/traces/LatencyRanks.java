package io.github.llmbridge.cli.traces;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import org.sqlite.Function;

/**
 * The SQL aggregate {@code latency_ranks(latency_ms)}: the group's nearest-rank p50, p95 and p99
 * as the text {@code "p50 p95 p99"} ({@code NULL} for an empty group). Nearest rank is the
 * smallest value with at least p of the group at or below it, the definition the tracing API's
 * {@code TraceSummary} uses. SQLite's own {@code percentile_disc} picks rank
 * {@code floor(p * (n - 1))} instead, one lower for many group sizes (p95 of 10 calls is their
 * 9th latency there, their 10th here), so the tool's numbers would disagree with the library's.
 */
final class LatencyRanks extends Function.Aggregate {

    /** The function's name in SQL. */
    static final String NAME = "latency_ranks";

    private double[] values = new double[64];
    private int count;

    /** Registers the function on a connection. */
    static void register(Connection c) throws SQLException {
        Function.create(c, NAME, new LatencyRanks(), 1, Function.FLAG_DETERMINISTIC);
    }

    /** Splits the function's text into p50, p95, p99; zeros for {@code NULL}. */
    static double[] parse(String text) {
        if (text == null) {
            return new double[3];
        }
        String[] parts = text.split(" ", -1);
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    @Override
    protected void xStep() throws SQLException {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value_double(0);
    }

    @Override
    protected void xFinal() throws SQLException {
        if (count == 0) {
            result();
            return;
        }
        Arrays.sort(values, 0, count);
        result(String.format(Locale.ROOT, "%s %s %s", rank(0.50), rank(0.95), rank(0.99)));
    }

    private double rank(double p) {
        int rank = (int) Math.ceil(p * count); // 1-based
        return values[Math.max(0, rank - 1)];
    }

    /** Each group gets a fresh copy (the driver clones the registered instance per group). */
    @Override
    public Object clone() throws CloneNotSupportedException {
        LatencyRanks copy = (LatencyRanks) super.clone();
        copy.values = new double[64];
        copy.count = 0;
        return copy;
    }
}
