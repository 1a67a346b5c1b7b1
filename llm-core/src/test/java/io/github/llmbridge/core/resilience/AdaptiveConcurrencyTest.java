package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.resilience.HeldBackend.rateLimited;
import static io.github.llmbridge.core.resilience.HeldBackend.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adaptive concurrency limit, counted in rounds of calls against a backend that answers only
 * when the test says so: slow start doubles the limit per round, additive increase adds one per
 * round after the first overload signal, an overload signal multiplies it by the backoff ratio
 * once per congestion event, and it stays between the floor and the ceiling. Every step is
 * asserted exactly, on virtual time.
 */
class AdaptiveConcurrencyTest {

    private static final String MODEL = "a/m";

    private final HeldBackend backend = new HeldBackend();
    private final VirtualTime time = new VirtualTime();
    private final List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    private ResilientChatClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private ResilientChatClient adaptive(AdaptiveConcurrency config, int ceiling) {
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(ceiling)
                .adaptiveConcurrency(config)
                .maxAttempts(1)
                .scheduler(time)
                .build();
        return client;
    }

    private void submit(int n, String model) {
        for (int i = 0; i < n; i++) {
            calls.add(client.chatAsync(
                    ChatRequest.builder().model(model).user("q" + i).build()));
        }
    }

    private ConcurrencyStats limitOf(String model) {
        return client.stats().concurrency(model).orElseThrow();
    }

    @Test
    void slowStartDoublesTheLimitEveryRoundOfCallsUpToTheCeiling() {
        adaptive(AdaptiveConcurrency.DEFAULT, 64);
        submit(300, MODEL);
        assertThat(backend.inFlight()).as("slow start begins at 8").isEqualTo(8);

        backend.succeed(8);
        assertThat(limitOf(MODEL).limit()).isEqualTo(16);
        assertThat(backend.inFlight()).isEqualTo(16);
        backend.succeed(16);
        assertThat(limitOf(MODEL).limit()).isEqualTo(32);
        backend.succeed(32);
        assertThat(limitOf(MODEL).limit()).isEqualTo(64);
        backend.succeed(64);
        assertThat(limitOf(MODEL).limit()).as("never above the ceiling").isEqualTo(64);
        assertThat(backend.inFlight()).isEqualTo(64);
        assertThat(limitOf(MODEL).drops()).isZero();
    }

    @Test
    void anOverloadSignalMultipliesTheLimitByTheBackoffRatioOncePerCongestionEvent() throws Exception {
        adaptive(new AdaptiveConcurrency(1, 20, 0.5), 64);
        submit(300, MODEL);

        for (int i = 0; i < 20; i++) {
            backend.failOldest(rateLimited()); // all sent at limit 20: one congestion event
        }

        ConcurrencyStats after = limitOf(MODEL);
        assertThat(after.limit()).isEqualTo(10);
        assertThat(after.drops()).isEqualTo(20);
        assertThat(after.decreases()).isEqualTo(1);
        assertThat(backend.inFlight()).as("refilled up to the new limit").isEqualTo(10);

        backend.failOldest(rateLimited()); // sent after the decrease: a new event
        ConcurrencyStats again = limitOf(MODEL);
        assertThat(again.limit()).isEqualTo(5);
        assertThat(again.decreases()).isEqualTo(2);
        assertThat(again.recentDecreases())
                .extracting(
                        ConcurrencyStats.Decrease::from,
                        ConcurrencyStats.Decrease::to,
                        ConcurrencyStats.Decrease::signal)
                .containsExactly(tuple(20, 10, "429 rate limit"), tuple(10, 5, "429 rate limit"));
        assertThat(again.recentDecreases().get(0).at()).isEqualTo(VirtualTime.EPOCH);

        LlmException first = LlmException.from(calls.get(0).handle((r, t) -> t).get(1, TimeUnit.SECONDS));
        assertThat(first.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(first.attemptCount()).isEqualTo(1);
        assertThat(first.attempts()).singleElement().satisfies(a -> {
            assertThat(a.concurrencyLimit()).as("the limit it was sent under").isEqualTo(20);
            assertThat(a.overloadSignal()).isEqualTo("429 rate limit");
        });
    }

    @Test
    void aLimitAboveWhatWasInFlightFallsFromTheFlightNotFromTheLimit() {
        adaptive(new AdaptiveConcurrency(1, 40, 0.5), 64);
        submit(20, MODEL); // 20 in flight under a limit of 40

        backend.failOldest(rateLimited());

        assertThat(limitOf(MODEL).limit())
                .as("half of the 20 the server held, not half of 40")
                .isEqualTo(10);
    }

    @Test
    void aSlowStartThatOutranTheServersAnswersFallsToWhatItDeliveredInARoundTrip() {
        adaptive(new AdaptiveConcurrency(1, 40, 0.5), 64);
        submit(300, MODEL);
        time.advance(Duration.ofMillis(100));
        backend.succeed(10);
        time.advance(Duration.ofMillis(150));
        backend.succeed(10); // 20 delivered in the last round trip (about 200 ms), 60 sent
        assertThat(limitOf(MODEL).limit()).as("slow start went on regardless").isEqualTo(60);

        backend.failOldest(rateLimited());

        assertThat(limitOf(MODEL).limit())
                .as("half the 20 delivered, not half the 60 in flight")
                .isEqualTo(10);
        backend.succeed(5);
        assertThat(limitOf(MODEL).limit())
                .as("slow start again, toward half of what was held")
                .isEqualTo(15);
    }

    @Test
    void afterTheFirstDecreaseTheLimitGrowsByAboutOnePerRoundNotByDoubling() {
        adaptive(new AdaptiveConcurrency(1, 10, 0.5), 64);
        submit(300, MODEL);
        backend.failOldest(rateLimited());
        assertThat(limitOf(MODEL).limit()).isEqualTo(5);

        backend.succeed(5);
        assertThat(limitOf(MODEL).limit())
                .as("5 + 1/5 + 1/5.2 + ... < 6 after five")
                .isEqualTo(5);
        backend.succeedOldest();
        assertThat(limitOf(MODEL).limit()).as("one more after a round of calls").isEqualTo(6);
        backend.succeed(4);
        assertThat(limitOf(MODEL).limit())
                .as("slow start would be at 15 by now")
                .isEqualTo(6);
    }

    @Test
    void pastTheLastRefusalTheLimitGrowsOnlyWhileTheQueueOutlastsTheRetryAfterARefusalCosts() {
        for (int calls : new int[] {40, 300}) {
            HeldBackend held = new HeldBackend();
            try (ResilientChatClient c = ResilientChatClient.builder(held)
                    .maxConcurrentCalls(64)
                    .adaptiveConcurrency(new AdaptiveConcurrency(1, 10, 0.9))
                    .maxAttempts(1)
                    .scheduler(time)
                    .build()) {
                for (int i = 0; i < calls; i++) {
                    var unused = c.chatAsync(
                            ChatRequest.builder().model(MODEL).user("q" + i).build());
                }
                time.advance(Duration.ofMillis(100));
                held.succeedOldest(); // a round trip of 100 ms
                held.failOldest(rateLimited(Duration.ofSeconds(1))); // refused at 11 in flight: 9.9
                held.succeed(25);

                int limit = c.stats().concurrency(MODEL).orElseThrow().limit();
                if (calls == 40) {
                    assertThat(limit)
                            .as("2.4 s of calls left against a 1 s penalty per round: stops below the refusal")
                            .isEqualTo(10);
                } else {
                    assertThat(limit)
                            .as("27 s of calls left: it probes on, past the refusal at 11")
                            .isEqualTo(11);
                }
            }
        }
    }

    @Test
    void theLimitNeverFallsBelowTheFloor() {
        adaptive(new AdaptiveConcurrency(3, 8, 0.5), 64);
        submit(300, MODEL);

        backend.failOldest(rateLimited()); // 8 -> 4
        backend.succeed(7); // the rest of the first event; each freed permit goes to a call sent at 4
        backend.failOldest(rateLimited()); // 4 -> 3 (the floor, not 2)
        backend.succeed(3);
        backend.failOldest(rateLimited());

        ConcurrencyStats s = limitOf(MODEL);
        assertThat(s.recentDecreases())
                .extracting(ConcurrencyStats.Decrease::to)
                .startsWith(4, 3);
        assertThat(s.limit()).isEqualTo(3);
    }

    @Test
    void aLimitTheCallsDoNotReachDoesNotGrow() {
        adaptive(AdaptiveConcurrency.DEFAULT, 64);
        submit(3, MODEL);

        backend.succeed(3);

        assertThat(limitOf(MODEL).limit())
                .as("3 in flight of 8: no evidence more would be taken")
                .isEqualTo(8);
    }

    @Test
    void failuresThatSayNothingAboutLoadLeaveTheLimitAlone() {
        adaptive(AdaptiveConcurrency.DEFAULT, 64);
        submit(20, MODEL);

        backend.failOldest(serverError());
        backend.failOldest(
                LlmException.builder(ErrorCategory.TIMEOUT, "no reply in time").build());
        backend.failOldest(LlmException.builder(ErrorCategory.BAD_REQUEST, "400")
                .httpStatus(400)
                .build());

        ConcurrencyStats s = limitOf(MODEL);
        assertThat(s.limit()).isEqualTo(8);
        assertThat(s.drops()).isZero();
        assertThat(s.decreases()).isZero();
    }

    @Test
    void eachModelHasALimitOfItsOwn() {
        adaptive(new AdaptiveConcurrency(1, 8, 0.5), 64);
        submit(20, "a/one");
        submit(20, "a/two");

        backend.failOldest("a/one", rateLimited());

        assertThat(limitOf("a/one").limit()).isEqualTo(4);
        assertThat(limitOf("a/two").limit())
                .as("another model's 429 is not this one's")
                .isEqualTo(8);
        assertThat(backend.inFlight("a/two")).isEqualTo(8);
    }

    @Test
    void aFixedBulkheadKeepsItsSizeButStillCountsTheDrops() {
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(16)
                .adaptiveConcurrency(false)
                .maxAttempts(1)
                .scheduler(time)
                .build();
        submit(40, MODEL);

        backend.failOldest(rateLimited());
        backend.failOldest(rateLimited());

        ConcurrencyStats s = limitOf(MODEL);
        assertThat(s.adaptive()).isFalse();
        assertThat(s.limit()).isEqualTo(16);
        assertThat(s.drops()).isEqualTo(2);
        assertThat(s.decreases()).isZero();
        assertThat(backend.inFlight()).isEqualTo(16);
    }

    @Test
    void eachAttemptRecordsTheLimitItWasSentUnderTheSignalItMetAndItsCallId() throws Exception {
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(64)
                .adaptiveConcurrency(new AdaptiveConcurrency(1, 8, 0.5))
                .maxAttempts(2)
                .backoff(new Backoff(Duration.ZERO, 1, Duration.ZERO))
                .scheduler(time)
                .build();
        CompletableFuture<ChatResponse> call =
                client.chatAsync(ChatRequest.builder().model(MODEL).user("q").build());

        backend.failOldest(rateLimited());
        time.awaitRequested(2); // the zero wait before the retry
        time.advance(Duration.ZERO);
        backend.awaitInFlight(1);
        backend.succeedOldest();
        ChatResponse r = call.get(10, TimeUnit.SECONDS);

        assertThat(r.attempts()).hasSize(2);
        Attempt refused = r.attempts().get(0);
        Attempt answered = r.attempts().get(1);
        assertThat(refused.concurrencyLimit()).isEqualTo(8);
        assertThat(refused.overloadSignal()).isEqualTo("429 rate limit");
        assertThat(refused.errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(answered.concurrencyLimit())
                .as("sent after the decrease: one was in flight, halved to the floor")
                .isEqualTo(1);
        assertThat(answered.overloadSignal()).isNull();
        assertThat(List.of(refused.callId(), answered.callId()))
                .as("each attempt the id the backend sent it with")
                .containsExactlyElementsOf(backend.callIdsSeen())
                .doesNotHaveDuplicates()
                .doesNotContainNull();
    }

    @Test
    void aRefusedPermitStaysTakenForTheServersRetryAfterBeforeTheNextCallGetsIt() {
        adaptive(new AdaptiveConcurrency(1, 4, 0.5), 64);
        submit(10, MODEL);

        backend.failOldest(rateLimited(Duration.ofMillis(500))); // 4 -> 2; its permit cools down
        assertThat(backend.inFlight()).isEqualTo(3);
        assertThat(limitOf(MODEL).inFlight()).as("three sent, one cooling down").isEqualTo(4);
        backend.succeed(2); // 2 + 1/2 + 1/2.5: still 2, held by one sent and one cooling

        assertThat(limitOf(MODEL).limit()).isEqualTo(2);
        assertThat(backend.inFlight()).isEqualTo(1);
        time.advance(Duration.ofMillis(499));
        assertThat(backend.inFlight()).as("not a millisecond early").isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        assertThat(backend.inFlight())
                .as("the cooled permit goes to the next call")
                .isEqualTo(2);
        assertThat(limitOf(MODEL).inFlight()).isEqualTo(2);
    }

    @Test
    void aCallCutOffWhileQueuedSaysItWaitedUnderTheAdaptiveLimit() throws Exception {
        adaptive(new AdaptiveConcurrency(1, 4, 0.5), 64);
        submit(4, MODEL);
        CompletableFuture<ChatResponse> late = client.chatAsync(ChatRequest.builder()
                .model(MODEL)
                .user("late")
                .timeout(Duration.ofSeconds(5))
                .build());

        time.advance(Duration.ofSeconds(5));

        LlmException e = LlmException.from(late.handle((r, t) -> t).get(1, TimeUnit.SECONDS));
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.attemptCount()).isZero();
        assertThat(e.getMessage())
                .contains("while waiting for one of 4 concurrency permits (the adaptive limit of a/m; ceiling 64)");
    }

    @Test
    void largeStepsOfTheLimitAreLoggedWithTheSignalBehindADecrease() {
        List<String> logged = new ArrayList<>();
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(64)
                .adaptiveConcurrency(new AdaptiveConcurrency(1, 8, 0.5))
                .maxAttempts(1)
                .scheduler(time)
                .limitLog(logged::add)
                .build();
        submit(100, MODEL);

        backend.succeed(8); // 8 -> 16 one by one: logged when at least 2 and a quarter away from the last line
        backend.failOldest(rateLimited()); // 16 -> 8

        assertThat(logged)
                .containsExactly(
                        "adaptive concurrency of held model a/m: limit 8 -> 10 (ceiling 64, 0 drops so far)",
                        "adaptive concurrency of held model a/m: limit 10 -> 12 (ceiling 64, 0 drops so far)",
                        "adaptive concurrency of held model a/m: limit 12 -> 15 (ceiling 64, 0 drops so far)",
                        "adaptive concurrency of held model a/m: limit 15 -> 8 (ceiling 64, 1 drops so far, last on"
                                + " 429 rate limit)");
    }
}
