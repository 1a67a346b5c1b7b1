package io.github.llmbridge.benchmarks;

import java.util.Arrays;

/** Percentiles and medians. */
final class Stats {

    private Stats() {}

    /** Nearest-rank percentile of sorted values ({@code p} in 0..1); 0 when empty. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
    }

    /** Median of a few numbers (rounds). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
