package io.github.llmbridge.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How times and durations are written on the command line. A bad value is a one-line error that
 * says what would have been accepted; picocli prefixes it with the option's name.
 */
final class Arguments {

    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");

    /** What {@code --since} and {@code --until} accept, for help texts and errors. */
    static final String TIME_FORMS =
            "a date-time (2026-11-29T10:00, local time; 2026-11-29T10:00Z or +01:00 for another zone), a date"
                    + " (2026-11-29, its midnight), an age such as 90m, 6h or 2d (that long ago), or now";

    private Arguments() {}

    /**
     * Reads a time: an instant with a zone or offset, a local date-time or date in {@code zone}, an
     * age before {@code clock}'s now, or {@code now}.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    static Instant time(String text, Clock clock, ZoneId zone) {
        String t = text.strip();
        if (t.equalsIgnoreCase("now")) {
            return clock.instant();
        }
        Matcher age = AMOUNT.matcher(t.toLowerCase(Locale.ROOT));
        if (age.matches()) {
            return clock.instant().minus(amount(age));
        }
        String iso = t.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException notOffset) {
            // next form
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException notInstant) {
            // next form
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocal) {
            // next form
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
            throw new IllegalArgumentException("'" + text + "' is not a time; use " + TIME_FORMS);
        }
    }

    /**
     * Reads a positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1.5h}, {@code 1d},
     * {@code 1w}, or ISO-8601 ({@code PT90M}).
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = AMOUNT.matcher(t);
        Duration d = null;
        if (m.matches()) {
            d = amount(m);
        } else {
            try {
                d = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a positive duration; use a number and a unit: 500ms, 30s, 5m, 2h, 1d");
        }
        return d;
    }

    private static Duration amount(Matcher m) {
        double n = Double.parseDouble(m.group(1));
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> 604_800_000_000_000L; // w
        };
        return Duration.ofNanos(Math.round(n * unitNanos));
    }

    /** {@code --since}, {@code --until}: see {@link #time}. */
    public static final class TimeConverter implements ITypeConverter<Instant> {
        private final CliContext context;

        /** Reads times with the context's clock and zone. */
        public TimeConverter(CliContext context) {
            this.context = context;
        }

        @Override
        public Instant convert(String value) {
            try {
                return time(value, context.clock(), context.zone());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --interval}, {@code --bucket}, {@code --budget}: see {@link #duration}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {

        /** Creates the converter. */
        public DurationConverter() {}

        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
