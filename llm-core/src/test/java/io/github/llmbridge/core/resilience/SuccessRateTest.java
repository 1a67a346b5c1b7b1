package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.CountingStubServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server failing 30 % of attempts at random (seeded): with 5 attempts the theory says
 * 1 - 0.3^5 = 99.76 % of calls succeed. Checked over 1,000 real HTTP calls. That takes about
 * 43 retries per 100 calls, more than the default retry budget allows (RetryBudgetTest), so
 * this test of the retry policy alone lifts the budget.
 */
class SuccessRateTest {

    @Test
    void fiveAttemptsTurnA30PercentFailureRateIntoAtLeast99Point5PercentSuccess() throws Exception {
        Random faults = new Random(20261122);
        try (CountingStubServer stub = new CountingStubServer(user -> {
                    synchronized (faults) {
                        return faults.nextDouble() < 0.3 ? Reply.status(503, null) : Reply.ok();
                    }
                });
                HttpTestBackend backend = new HttpTestBackend(stub.baseUrl(), 16);
                ResilientChatClient client = ResilientChatClient.builder(backend)
                        .maxAttempts(5)
                        .maxConcurrentCalls(16)
                        .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(8)))
                        .random(new Random(1))
                        .retryBudget(RetryBudget.UNLIMITED)
                        .build()) {
            List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.chatAsync(
                        ChatRequest.builder().model(Replies.MODEL).user("q" + i).build()));
            }
            int succeeded = 0;
            int maxAttempts = 0;
            for (CompletableFuture<ChatResponse> call : calls) {
                try {
                    ChatResponse r = call.get(60, TimeUnit.SECONDS);
                    succeeded++;
                    maxAttempts = Math.max(maxAttempts, r.attempts().size());
                } catch (java.util.concurrent.ExecutionException e) {
                    maxAttempts = Math.max(maxAttempts, LlmException.from(e).attemptCount());
                }
            }

            ResilienceStats stats = client.stats();
            System.out.printf(
                    "success rate over 1000 calls, 30%% attempt failures, 5 attempts: %.1f %%"
                            + " (%d retries, %d server requests, most attempts in one call %d)%n",
                    succeeded / 10.0, stats.retries(), stub.arrivals().size(), maxAttempts);
            assertThat(succeeded).isGreaterThanOrEqualTo(995);
            assertThat(maxAttempts).isLessThanOrEqualTo(5);
            assertThat(stats.successes()).isEqualTo(succeeded);
            assertThat(stub.arrivals()).hasSize((int) (1000 + stats.retries()));
        }
    }
}
