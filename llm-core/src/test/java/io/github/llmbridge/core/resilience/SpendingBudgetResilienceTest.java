package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.llmbridge.core.resilience.Replies.PATH;
import static io.github.llmbridge.core.resilience.Replies.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.budget.SpendLimit;
import io.github.llmbridge.core.budget.SpendingBudget;
import io.github.llmbridge.core.config.ChatClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A spending budget inside the resilience layer: the call that crosses the limit, the refused
 * call that sends nothing, no retry and no fallback after a refusal, fail-open, and calls racing
 * the limit. Each stubbed reply reports 7 tokens.
 */
class SpendingBudgetResilienceTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(2), 2, Duration.ofMillis(10));

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private HttpTestBackend backend;

    @BeforeEach
    void backend() {
        backend = new HttpTestBackend(wm.baseUrl(), 8);
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok()));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static int requests() {
        return wm.findAll(postRequestedFor(urlEqualTo(PATH))).size();
    }

    @Test
    void theCallThatCrossesTheLimitCompletesAndTheNextIsRefusedWithoutAnHttpRequest() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(10)).build();
        ResilientChatClient client =
                ResilientChatClient.builder(backend).budget(budget).build();

        client.chat(Replies.request());
        ChatResponse crossing = client.chat(Replies.request());
        LlmException refused = catchThrowableOfType(LlmException.class, () -> client.chat(Replies.request()));

        assertThat(crossing.usage().totalTokens()).isEqualTo(7);
        assertThat(refused.category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
        assertThat(refused.getMessage()).contains("spent 14 of its 10-token limit in 2 calls");
        assertThat(refused.attempts()).isEmpty();
        assertThat(requests()).as("requests that reached the server").isEqualTo(2);
        ResilienceStats stats = client.stats();
        assertThat(stats.failuresByCategory()).isEqualTo(Map.of(ErrorCategory.BUDGET_EXHAUSTED, 1L));
        assertThat(stats.budget().spent().tokens()).isEqualTo(14);
        assertThat(stats.budget().refused()).isEqualTo(1);
    }

    @Test
    void aRefusedCallIsNotSentToAFallbackModel() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(5)).build();
        ResilientChatClient client = ResilientChatClient.builder(backend)
                .budget(budget)
                .fallbackModels(List.of("other/judge-2"))
                .build();
        client.chat(Replies.request());

        LlmException refused = catchThrowableOfType(LlmException.class, () -> client.chat(Replies.request()));

        assertThat(refused.category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
        assertThat(requests()).isEqualTo(1);
        assertThat(client.stats().fallbacks()).isZero();
    }

    @Test
    void aRetryAfterTheBudgetRanOutIsRefusedAndNotRetriedFurther() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(10)).build();
        AtomicInteger sent = new AtomicInteger();
        ChatClient failingOnce = new ChatClient() {
            @Override
            public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
                sent.incrementAndGet();
                // Another call's reply uses the budget up while this attempt fails with a retryable 503.
                budget.charge(
                        null,
                        ChatResponse.builder().usage(new Usage(10, 0, 10, 0, 0)).build());
                return CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.SERVER_ERROR, "503")
                        .httpStatus(503)
                        .build());
            }

            @Override
            public String backend() {
                return "test";
            }

            @Override
            public void close() {}
        };
        ResilientChatClient client = ResilientChatClient.builder(failingOnce)
                .budget(budget)
                .backoff(FAST)
                .maxAttempts(5)
                .fallbackModels(List.of("other/judge-2"))
                .build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(Replies.request()));

        assertThat(e.category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
        assertThat(sent).as("attempts that reached the backend").hasValue(1);
        assertThat(e.attempts()).hasSize(1);
        assertThat(e.attempts().get(0).errorCategory()).isEqualTo(ErrorCategory.SERVER_ERROR);
    }

    @Test
    void underFailOpenARefusedCallReturnsAFailedReplyWithTheBudgetError() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(5)).build();
        ResilientChatClient client = ResilientChatClient.builder(backend)
                .budget(budget)
                .failOpen(true)
                .build();
        client.chat(Replies.request());

        ChatResponse reply = client.chat(Replies.request());

        assertThat(reply.failed()).isTrue();
        assertThat(reply.content()).isEmpty();
        assertThat(reply.error().orElseThrow().category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
        assertThat(reply.error().orElseThrow().getMessage()).contains("LLM_BUDGET_TOKENS");
        assertThat(requests()).isEqualTo(1);
        assertThat(budget.spent().calls()).as("the placeholder is not charged").isEqualTo(1);
    }

    @Test
    void concurrentCallsRacingTheLimitOvershootByAtMostTheBulkheadSize() throws Exception {
        int bulkhead = 4;
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(70)).build(); // 10 replies
        ResilientChatClient client = ResilientChatClient.builder(backend)
                .budget(budget)
                .maxConcurrentCalls(bulkhead)
                .build();
        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(client.chatAsync(Replies.request()));
        }

        int ok = 0;
        int refused = 0;
        for (CompletableFuture<ChatResponse> call : calls) {
            Throwable failure = call.handle((r, t) -> t).get(20, TimeUnit.SECONDS);
            if (failure == null) {
                ok++;
            } else {
                assertThat(LlmException.from(failure).category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
                refused++;
            }
        }

        assertThat(ok).isBetween(10, 10 + bulkhead);
        assertThat(refused).isEqualTo(60 - ok);
        assertThat(requests()).isEqualTo(ok);
        assertThat(budget.spent().tokens()).isEqualTo(7L * ok);
        assertThat(budget.stats().refused()).isEqualTo(refused);
    }

    @Test
    void fromEnvReadsTheBudgetAndTheClientAnswersForIt() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_BUDGET_TOKENS", "1000"))) {
            SpendingBudget budget = client.unwrap(SpendingBudget.class).orElseThrow();

            assertThat(budget.limit()).isEqualTo(SpendLimit.tokens(1000));
            assertThat(client.toString()).contains("budget=1000 tokens");
        }
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock"))) {
            assertThat(client.unwrap(SpendingBudget.class)).isEmpty();
        }
    }
}
