package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the rate-limit headers OpenAI (through LiteLLM) and OpenRouter send. */
class RateLimitHeadersTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"1s, 1000", "6m0s, 360000", "20ms, 20", "1h2m3.5s, 3723500", "0.5, 500", "0s, 0", "1.25s, 1250"})
    void openAiDurationsAreRead(String value, long millis) {
        assertThat(RateLimitHeaders.duration(value)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "''{0}'' is no duration")
    @CsvSource({"None", "1x", "s", "-1", "1s junk"})
    void whatIsNoDurationIsNone(String value) {
        assertThat(RateLimitHeaders.duration(value)).isNull();
    }

    @Test
    void openAisHeadersGiveBothWindows() {
        RateLimitHeaders h = RateLimitHeaders.read(
                Map.of(
                        "x-ratelimit-remaining-requests", "59",
                        "x-ratelimit-reset-requests", "1s",
                        "x-ratelimit-remaining-tokens", "149950",
                        "x-ratelimit-reset-tokens", "20ms"),
                NOW);

        assertThat(h).isEqualTo(new RateLimitHeaders(59, Duration.ofSeconds(1), 149950, Duration.ofMillis(20)));
    }

    @Test
    void aProvidersHeadersForwardedByLiteLlmAreReadWhenItsOwnAreMissing() {
        RateLimitHeaders h = RateLimitHeaders.read(
                Map.of(
                        "x-ratelimit-remaining-requests", "None",
                        "llm_provider-x-ratelimit-remaining-tokens", "10",
                        "llm_provider-x-ratelimit-reset-tokens", "6s"),
                NOW);

        assertThat(h.remainingRequests()).isEqualTo(-1);
        assertThat(h.remainingTokens()).isEqualTo(10);
        assertThat(h.tokensReset()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void openRoutersResetIsAnEpochMillisecond() {
        RateLimitHeaders h = RateLimitHeaders.read(
                Map.of(
                        "x-ratelimit-remaining",
                        "0",
                        "x-ratelimit-reset",
                        Long.toString(NOW.plusSeconds(7).toEpochMilli())),
                NOW);

        assertThat(h.remainingRequests()).isZero();
        assertThat(h.requestsReset()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void noHeadersSayNothing() {
        assertThat(RateLimitHeaders.read(Map.of("x-request-id", "r1"), NOW).isEmpty())
                .isTrue();
    }
}
