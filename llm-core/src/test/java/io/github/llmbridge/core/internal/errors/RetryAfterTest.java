package io.github.llmbridge.core.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a server's advice on when to retry, against a fixed clock (Wed, 01 Jan 2025 12:00:00 GMT). */
class RetryAfterTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2025-01-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void wholeSecondsAreTakenAsSeconds() {
        assertThat(RetryAfter.from(Map.of("retry-after", "7"), NOON)).contains(Duration.ofSeconds(7));
    }

    @Test
    void decimalSecondsKeepTheirFraction() {
        assertThat(RetryAfter.from(Map.of("retry-after", "1.5"), NOON)).contains(Duration.ofMillis(1500));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(RetryAfter.from(Map.of("retry-after", " 3 "), NOON)).contains(Duration.ofSeconds(3));
    }

    @Test
    void zeroSecondsMeansRetryNow() {
        assertThat(RetryAfter.from(Map.of("retry-after", "0"), NOON)).contains(Duration.ZERO);
    }

    @Test
    void httpDateInTheFutureIsTheTimeUntilThen() {
        assertThat(RetryAfter.from(Map.of("retry-after", "Wed, 01 Jan 2025 12:00:30 GMT"), NOON))
                .contains(Duration.ofSeconds(30));
    }

    @Test
    void httpDateInThePastMeansRetryNow() {
        assertThat(RetryAfter.from(Map.of("retry-after", "Wed, 01 Jan 2025 11:59:00 GMT"), NOON))
                .contains(Duration.ZERO);
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        Map<String, String> headers = Map.of("retry-after-ms", "250", "retry-after", "10");

        assertThat(RetryAfter.from(headers, NOON)).contains(Duration.ofMillis(250));
    }

    @Test
    void retryAfterMsAloneIsMilliseconds() {
        assertThat(RetryAfter.from(Map.of("retry-after-ms", "1500"), NOON)).contains(Duration.ofMillis(1500));
    }

    @Test
    void unparsableRetryAfterMsFallsBackToRetryAfter() {
        Map<String, String> headers = Map.of("retry-after-ms", "soon", "retry-after", "4");

        assertThat(RetryAfter.from(headers, NOON)).contains(Duration.ofSeconds(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "-5", "NaN", "Infinity", "Wednesday", "2025-01-01T12:00:30Z"})
    void garbageGivesNoAdvice(String value) {
        assertThat(RetryAfter.from(Map.of("retry-after", value), NOON)).isEmpty();
    }

    @Test
    void noHeaderGivesNoAdvice() {
        assertThat(RetryAfter.from(Map.of("x-request-id", "abc"), NOON)).isEmpty();
    }
}
