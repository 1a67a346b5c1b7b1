package io.github.llmbridge.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.settings.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accounts of a spending budget: what is counted, when it refuses, warnings, sessions and resets. */
class SpendingBudgetTest {

    private static ChatResponse reply(long tokens, Double cost) {
        return ChatResponse.builder()
                .model("acme/judge-1")
                .backend("test")
                .content("ok")
                .usage(new Usage(tokens - 1, 1, tokens, 0, 0))
                .cost(cost)
                .build();
    }

    @Test
    void refusesOnceTheTokenLimitIsReachedAndSaysWhatWasSpentAndWhatToRaise() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(100)).build();
        budget.charge(null, reply(60, null));
        assertThat(budget.refusal(null, "test", "m")).isNull();
        budget.charge(null, reply(60, null)); // the call that crosses the limit is counted

        LlmException refused = budget.refusal(null, "test", "acme/judge-1");

        assertThat(refused.category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(refused.model()).isEqualTo("acme/judge-1");
        assertThat(refused.getMessage())
                .contains("the client spent 120 of its 100-token limit in 2 calls")
                .contains("raise LLM_BUDGET_TOKENS")
                .contains("SpendingBudget.reset()");
        assertThat(budget.stats()).isEqualTo(new BudgetStats(new Spend(0, 120, 2), SpendLimit.tokens(100), 1, 2));
    }

    @Test
    void countsTheReportedCostAgainstAMoneyLimit() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.cost(0.01)).build();
        budget.charge(null, reply(10, 0.004));
        budget.charge(null, reply(10, 0.004));
        assertThat(budget.refusal(null, "test", "m")).isNull();
        budget.charge(null, reply(10, 0.004));

        LlmException refused = budget.refusal(null, "test", "m");

        assertThat(refused.getMessage())
                .contains("spent $0.0120 of its $0.01 limit")
                .contains("LLM_BUDGET_USD");
        assertThat(budget.spent().tokens()).isEqualTo(30);
        assertThat(budget.stats().uncostedCalls()).isZero();
    }

    @Test
    void aReplyWithoutACostIsCountedInTokensAndAsUncosted() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.cost(1.0)).build();
        budget.charge(null, reply(500, null));

        assertThat(budget.spent()).isEqualTo(new Spend(0, 500, 1));
        assertThat(budget.stats().uncostedCalls()).isEqualTo(1);
        assertThat(budget.refusal(null, "test", "m")).isNull();
    }

    @Test
    void aFailOpenPlaceholderIsNotCharged() {
        SpendingBudget budget =
                SpendingBudget.builder().limit(SpendLimit.tokens(10)).build();
        budget.charge(
                null,
                ChatResponse.builder()
                        .error(new LlmException(ErrorCategory.SERVER_ERROR, "down"))
                        .usage(new Usage(50, 0, 50, 0, 0))
                        .build());

        assertThat(budget.spent()).isEqualTo(Spend.ZERO);
    }

    @Test
    void warnsAtHalfAndAtNinetyPercentOnceEachUntilReset() {
        Account account = new Account("the client", SpendLimit.tokens(100));

        assertThat(account.charge(0, 40)).isZero();
        assertThat(account.charge(0, 10)).isEqualTo(50);
        assertThat(account.charge(0, 30)).isZero();
        assertThat(account.charge(0, 15)).isEqualTo(90);
        assertThat(account.charge(0, 50)).isZero();
        account.reset();
        assertThat(account.charge(0, 95))
                .as("a jump past both thresholds warns once, at 90 %")
                .isEqualTo(90);
        assertThat(account.charge(0, 1)).isZero();
    }

    @Test
    void nestedSessionsCountInEveryEnclosingSessionAndTheFirstExhaustedOneRefuses() {
        SpendingBudget budget =
                SpendingBudget.builder().sessionLimit(SpendLimit.tokens(20)).build();
        try (LlmSession step = LlmSession.open("step-1")) {
            budget.limitSession(step, SpendLimit.tokens(30));
            try (LlmSession rolloutA = LlmSession.open("rollout-a")) {
                budget.charge(rolloutA, reply(10, null));
                assertThat(budget.refusal(rolloutA, "test", "m")).isNull();
                budget.charge(rolloutA, reply(10, null));

                LlmException refused = budget.refusal(rolloutA, "test", "m");

                assertThat(refused.getMessage())
                        .contains("session 'rollout-a'")
                        .contains("20 of its 20-token limit")
                        .contains("LLM_SESSION_BUDGET_TOKENS");
                assertThat(budget.refusal(step, "test", "m"))
                        .as("the step has room left")
                        .isNull();
            }
            try (LlmSession rolloutB = LlmSession.open("rollout-b")) {
                assertThat(budget.refusal(rolloutB, "test", "m"))
                        .as("a new session starts at zero")
                        .isNull();
                budget.charge(rolloutB, reply(10, null));

                LlmException refused = budget.refusal(rolloutB, "test", "m");

                assertThat(refused.getMessage()).contains("session 'step-1'").contains("30 of its 30-token limit");
                assertThat(budget.spent(rolloutB).tokens()).isEqualTo(10);
            }
            assertThat(budget.spent(step)).isEqualTo(new Spend(0, 30, 3));
        }
        assertThat(budget.refusal(null, "test", "m"))
                .as("outside sessions only the client limit applies, and it has none")
                .isNull();
        assertThat(budget.spent().tokens()).isEqualTo(30);
    }

    @Test
    void resetOnDemandEmptiesEveryAccount() {
        SpendingBudget budget = SpendingBudget.builder()
                .limit(SpendLimit.tokens(10))
                .sessionLimit(SpendLimit.tokens(10))
                .build();
        try (LlmSession episode = LlmSession.open("episode")) {
            budget.charge(episode, reply(10, null));
            assertThat(budget.refusal(episode, "test", "m")).isNotNull();

            budget.reset();

            assertThat(budget.refusal(episode, "test", "m")).isNull();
            assertThat(budget.spent()).isEqualTo(Spend.ZERO);
            assertThat(budget.spent(episode)).isEqualTo(Spend.ZERO);
            assertThat(budget.stats().refused()).isZero();
        }
    }

    @Test
    void readsTheFourVariables() {
        SpendingBudget budget = SpendingBudget.fromSettings(Settings.of(Map.of(
                        "LLM_BUDGET_USD", "5",
                        "LLM_BUDGET_TOKENS", "2_000_000",
                        "LLM_SESSION_BUDGET_TOKENS", "20000")))
                .orElseThrow();

        assertThat(budget.limit()).isEqualTo(SpendLimit.cost(5).andTokens(2_000_000));
        assertThat(budget.sessionLimit()).isEqualTo(SpendLimit.tokens(20_000));
        assertThat(SpendingBudget.fromSettings(Settings.of(Map.of()))).isEmpty();
    }

    @Test
    void aBadValueIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> SpendingBudget.fromSettings(Settings.of(Map.of("LLM_SESSION_BUDGET_USD", "-1"))));
        LlmException tokens = catchThrowableOfType(
                LlmException.class, () -> SpendingBudget.fromSettings(Settings.of(Map.of("LLM_BUDGET_TOKENS", "1.5"))));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).isEqualTo("LLM_SESSION_BUDGET_USD must be a positive number, was '-1'");
        assertThat(tokens.getMessage()).isEqualTo("LLM_BUDGET_TOKENS must be a whole number of tokens, was '1.5'");
    }
}
