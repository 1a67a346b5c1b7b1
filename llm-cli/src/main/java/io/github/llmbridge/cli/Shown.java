package io.github.llmbridge.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How numbers and times are shown to people, in tables and the report (machine formats keep the raw values). */
public final class Shown {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Shown() {}

    /** A time to the second in {@code zone}: {@code 2026-11-20 09:13:07}. */
    public static String time(Instant at, ZoneId zone) {
        return TIME.format(at.atZone(zone));
    }

    /** A latency: {@code 812 ms} under 10 s, else {@code 12.4 s}. */
    public static String millis(double ms) {
        return ms < 10_000
                ? String.format(Locale.ROOT, "%.0f ms", ms)
                : String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    /** A count with thousands separators: {@code 1,000,000}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A count short enough for a card: {@code 1.00 B}, {@code 85.3 M}, else {@link #count}. */
    public static String compactCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        }
        if (n >= 10_000_000L) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        return count(n);
    }

    /** US dollars, with enough decimals for a single call's cost: {@code $0.000123}, {@code $435.61}. */
    public static String dollars(double cost) {
        if (cost == 0) {
            return "$0";
        }
        return cost >= 1 ? String.format(Locale.ROOT, "$%,.2f", cost) : String.format(Locale.ROOT, "$%.6f", cost);
    }

    /** A share: {@code 4.2 %}. */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** A duration as a person says it: {@code 5 min}, {@code 2 h}, {@code 30 s}. */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s / 86_400 + " d";
        }
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + " min";
        }
        return d.toMillis() % 1000 == 0 ? s + " s" : d.toMillis() + " ms";
    }
}
