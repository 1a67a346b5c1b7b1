package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.resilience.HeldBackend.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry budget: retries are at most a share of the calls sent over a sliding window, plus a
 * minimum per second, so 100,000 queued calls meeting an outage make a few more attempts than
 * calls, not five times as many. Counted on virtual time against a backend the test answers.
 */
class RetryBudgetTest {

    private static final Backoff NO_WAIT = new Backoff(Duration.ZERO, 1, Duration.ZERO);

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

    private ResilientChatClient budgeted(RetryBudget budget, int bulkhead) {
        client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(bulkhead)
                .maxAttempts(5)
                .backoff(NO_WAIT)
                .retryBudget(budget)
                .scheduler(time)
                .build();
        return client;
    }

    private void submit(int n) {
        for (int i = 0; i < n; i++) {
            calls.add(client.chatAsync(
                    ChatRequest.builder().model("a/m").user("q" + i).build()));
        }
    }

    private static LlmException failure(CompletableFuture<ChatResponse> call) throws Exception {
        return LlmException.from(call.handle((r, t) -> t).get(1, TimeUnit.SECONDS));
    }

    @Test
    void retriesBeyondTheShareOfCallsSentAreNotMadeAndTheCallFailsWithItsLastError() throws Exception {
        budgeted(new RetryBudget(0.2, 0, Duration.ofSeconds(10)), 64);
        submit(10);

        for (int i = 0; i < 10; i++) {
            backend.failOldest(serverError());
        }

        List<LlmException> refused = new ArrayList<>();
        for (CompletableFuture<ChatResponse> call : calls) {
            if (call.isDone()) {
                refused.add(failure(call));
            }
        }
        assertThat(refused).hasSize(8).allSatisfy(e -> {
            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.httpStatus()).hasValue(500);
            assertThat(e.attemptCount()).isEqualTo(1);
            assertThat(e.getMessage())
                    .contains(
                            "not retried: the client's retry budget is spent: 2 retries for 10 calls sent in the last"
                                    + " 10 s",
                            "LLM_RETRY_BUDGET_PERCENT");
        });
        assertThat(client.stats().retries()).isEqualTo(2);
        assertThat(client.stats().retriesRefusedByBudget()).isEqualTo(8);
        time.advance(Duration.ZERO); // the two waits that were granted
        backend.awaitInFlight(2);
        assertThat(backend.inFlight()).as("the two retries the budget allowed").isEqualTo(2);
    }

    @Test
    void callsWaitingForAPermitBuyNoRetries() throws Exception {
        budgeted(new RetryBudget(0.2, 0, Duration.ofSeconds(10)), 1);
        submit(10); // one sent, nine queued

        backend.failOldest(serverError());

        LlmException e = failure(calls.get(0));
        assertThat(e.attemptCount()).isEqualTo(1);
        // The freed permit went to the next queued call before the retry was weighed: 2 sent, not 10.
        assertThat(e.getMessage()).contains("0 retries for 2 calls sent");
        assertThat(backend.inFlight()).as("the next queued call got the permit").isEqualTo(1);
    }

    @Test
    void theMinimumPerSecondLetsAClientWithFewCallsRetry() throws Exception {
        budgeted(new RetryBudget(0.2, 1, Duration.ofSeconds(10)), 64); // 10 retries per 10 s whatever the calls
        submit(1);

        for (int attempt = 1; attempt <= 5; attempt++) {
            backend.awaitInFlight(1);
            backend.failOldest(serverError());
            time.advance(Duration.ZERO);
        }

        LlmException e = failure(calls.get(0));
        assertThat(e.attemptCount()).isEqualTo(5);
        assertThat(e.getMessage()).contains("gave up after 5 attempts").doesNotContain("budget");
        assertThat(client.stats().retriesRefusedByBudget()).isZero();
    }

    @Test
    void theWindowSlidesSoTheBudgetComesBackAsTimePasses() throws Exception {
        budgeted(new RetryBudget(0.2, 0, Duration.ofSeconds(10)), 64);
        submit(10);
        for (int i = 0; i < 10; i++) {
            backend.failOldest(serverError());
        }
        time.advance(Duration.ZERO);
        backend.awaitInFlight(2);
        backend.succeed(2);
        assertThat(client.stats().retriesRefusedByBudget()).isEqualTo(8);

        time.advance(Duration.ofSeconds(10)); // the first second leaves the window
        submit(10);
        for (int i = 0; i < 10; i++) {
            backend.failOldest(serverError());
        }

        assertThat(client.stats().retriesRefusedByBudget())
                .as("2 of the new 10 retried again")
                .isEqualTo(16);
        assertThat(client.stats().retries()).isEqualTo(4);
    }

    @Test
    void aFallbackModelIsNotARetry() throws Exception {
        budgeted(new RetryBudget(0, 0, Duration.ofSeconds(10)), 64); // no retries at all
        CompletableFuture<ChatResponse> call = client.chatAsync(ChatRequest.builder()
                .model("a/primary")
                .fallbackModels("a/fallback")
                .user("q")
                .build());

        backend.failOldest(serverError());
        backend.succeedOldest();

        ChatResponse r = call.get(1, TimeUnit.SECONDS);
        assertThat(r.attempts()).extracting(a -> a.model()).containsExactly("a/primary", "a/fallback");
        assertThat(client.stats().retriesRefusedByBudget()).isEqualTo(1);
    }

    @Test
    void theBudgetIsReadFromItsVariablesAndABadValueNamesTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ResilientChatClient.wrap(backend, Settings.of(Map.of("LLM_RETRY_BUDGET_PERCENT", "lots"))));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LLM_RETRY_BUDGET_PERCENT", "'lots'");

        client = ResilientChatClient.builder(backend)
                .applySettings(
                        Settings.of(Map.of("LLM_RETRY_BUDGET_PERCENT", "0", "LLM_RETRY_BUDGET_MIN_PER_SECOND", "0")))
                .backoff(NO_WAIT)
                .scheduler(time)
                .build();
        submit(1);
        backend.failOldest(serverError());

        assertThat(calls.get(0)).isCompletedExceptionally();
        assertThat(client.stats().retriesRefusedByBudget()).isEqualTo(1);
    }
}
