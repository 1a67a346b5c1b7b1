package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pacing by the provider's rate-limit headers: when a reply says the calls already in flight use
 * up what is left of the window, new calls of that model wait for the reset instead of being
 * refused. Only with adaptive concurrency on; on virtual time.
 */
class RateLimitPacingTest {

    private static final String MODEL = "a/m";

    private final HeldBackend backend = new HeldBackend();
    private final VirtualTime time = new VirtualTime();
    private ResilientChatClient client;

    @AfterEach
    void close() {
        client.close();
    }

    private void start(boolean adaptive, int calls) {
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(64)
                .adaptiveConcurrency(adaptive)
                .maxAttempts(1)
                .scheduler(time)
                .build();
        for (int i = 0; i < calls; i++) {
            var unused = client.chatAsync(
                    ChatRequest.builder().model(MODEL).user("q" + i).build());
        }
    }

    private ConcurrencyStats stats() {
        return client.stats().concurrency(MODEL).orElseThrow();
    }

    @Test
    void aWindowTheCallsInFlightUseUpPausesNewCallsUntilItResets() {
        start(true, 50);
        assertThat(backend.inFlight()).isEqualTo(8);

        backend.succeedOldest(Map.of("x-ratelimit-remaining-requests", "3", "x-ratelimit-reset-requests", "2s"));

        assertThat(backend.inFlight())
                .as("7 in flight would spend the 3 left: nothing new is sent")
                .isEqualTo(7);
        assertThat(stats().pausedUntil()).isEqualTo(VirtualTime.EPOCH.plusSeconds(2));
        assertThat(stats().limit()).as("the limit itself still grew").isEqualTo(9);
        time.advance(Duration.ofMillis(1999));
        assertThat(backend.inFlight()).isEqualTo(7);
        time.advance(Duration.ofMillis(1));
        assertThat(backend.inFlight())
                .as("the window reset: up to the limit again")
                .isEqualTo(9);
        assertThat(stats().pausedUntil()).isNull();
    }

    @Test
    void aTokenBucketsRefillRateShortensThePauseToWhatTheCallsInFlightNeed() {
        start(true, 50);

        // 3 left of 100, full again in 970 ms: 100 a second come back; 7 in flight need 5 more.
        backend.succeedOldest(Map.of(
                "x-ratelimit-limit-requests", "100",
                "x-ratelimit-remaining-requests", "3",
                "x-ratelimit-reset-requests", "970ms"));

        assertThat(stats().pausedUntil()).isEqualTo(VirtualTime.EPOCH.plusMillis(50));
    }

    @Test
    void withTheWindowsSizeNewCallsGoNoFasterThanItRefills() {
        start(true, 50);

        // Empty, 10 long, full again in 1 s: 10 a second come back, and 7 were sent after this one.
        backend.succeedOldest(Map.of(
                "x-ratelimit-limit-requests", "10",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "1s"));

        assertThat(backend.inFlight()).isEqualTo(7);
        assertThat(stats().pausedUntil())
                .as("8 calls' worth to refill first")
                .isEqualTo(VirtualTime.EPOCH.plusMillis(800));
        time.advance(Duration.ofMillis(799));
        assertThat(backend.inFlight()).isEqualTo(7);
        time.advance(Duration.ofMillis(1));
        assertThat(backend.inFlight()).isEqualTo(8);
        time.advance(Duration.ofMillis(99));
        assertThat(backend.inFlight())
                .as("one call per 100 ms: the refill rate")
                .isEqualTo(8);
        time.advance(Duration.ofMillis(1));
        assertThat(backend.inFlight()).isEqualTo(9);
    }

    @Test
    void aWindowWithRoomForTheCallsInFlightPacesNothing() {
        start(true, 50);

        backend.succeedOldest(Map.of("x-ratelimit-remaining-requests", "40", "x-ratelimit-reset-requests", "6m0s"));

        assertThat(stats().pausedUntil()).isNull();
        assertThat(backend.inFlight()).isEqualTo(9);
    }

    @Test
    void theTokenWindowPausesWhenTheCallsInFlightWouldSpendIt() {
        start(true, 50);
        backend.succeedOldest(); // 20 tokens per call, from its usage

        backend.succeedOldest(Map.of("x-ratelimit-remaining-tokens", "150", "x-ratelimit-reset-tokens", "750ms"));

        assertThat(stats().pausedUntil())
                .as("9 in flight x 20 tokens > 150")
                .isEqualTo(VirtualTime.EPOCH.plusMillis(750));
    }

    @Test
    void openRoutersResetInEpochMillisecondsOnA429PausesToo() {
        start(true, 50);
        long resetAt = VirtualTime.EPOCH.plusSeconds(5).toEpochMilli();

        backend.failOldest(LlmException.builder(ErrorCategory.RATE_LIMITED, "429")
                .httpStatus(429)
                .overloadSignal("429 rate limit")
                .headers(Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(resetAt)))
                .build());

        assertThat(stats().pausedUntil()).isEqualTo(VirtualTime.EPOCH.plusSeconds(5));
    }

    @Test
    void liteLlmsNoneIsNoValue() {
        start(true, 50);

        backend.succeedOldest(Map.of("x-ratelimit-remaining-requests", "None", "x-ratelimit-reset-requests", "None"));

        assertThat(stats().pausedUntil()).isNull();
    }

    @Test
    void aFixedBulkheadIsNotPaced() {
        start(false, 100);

        backend.succeedOldest(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "30s"));

        assertThat(stats().pausedUntil()).isNull();
        assertThat(backend.inFlight()).isEqualTo(64);
    }
}
