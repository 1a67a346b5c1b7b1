package io.github.llmbridge.core.internal.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a server's advice on when to retry: {@code retry-after-ms} (milliseconds, sent by OpenAI
 * and some gateways) wins over {@code Retry-After}, which is either delay-seconds or an HTTP date.
 * Dates in the past give zero; unparsable values give no advice.
 */
final class RetryAfter {

    private RetryAfter() {}

    /**
     * Returns the advised wait from response headers (keys in lower case).
     *
     * @param clock the clock an HTTP date is measured against
     */
    static Optional<Duration> from(Map<String, String> headers, Clock clock) {
        Optional<Duration> millis = parseNumber(headers.get("retry-after-ms"), 1_000_000L);
        if (millis.isPresent()) {
            return millis;
        }
        String value = headers.get("retry-after");
        if (value == null) {
            return Optional.empty();
        }
        Optional<Duration> seconds = parseNumber(value, 1_000_000_000L);
        return seconds.isPresent() ? seconds : parseHttpDate(value.strip(), clock);
    }

    private static Optional<Duration> parseNumber(String value, long nanosPerUnit) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            double amount = Double.parseDouble(value.strip());
            if (amount >= 0 && Double.isFinite(amount)) {
                return Optional.of(Duration.ofNanos(Math.round(amount * nanosPerUnit)));
            }
        } catch (NumberFormatException ignored) {
            // not a number: may be an HTTP date
        }
        return Optional.empty();
    }

    private static Optional<Duration> parseHttpDate(String value, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
