package io.github.llmbridge.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's budget that stops a loop, as written there, against the mock backend. */
class ReadmeBudgetExampleTest {

    @Test
    void theBudgetStopsTheLoopOnceTheTokensAreSpent() {
        int stoppedAfter;
        String message;
        Spend spent;
        // --- README snippet
        try (ChatClient judge =
                ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_REPLY", "7", "LLM_BUDGET_TOKENS", "80"))) {
            ChatRequest rate = ChatRequest.builder()
                    .model("acme/judge")
                    .user("Rate the answer 4 from 1 to 10.")
                    .build();
            int calls = 0;
            try {
                while (true) {
                    judge.chat(rate);
                    calls++;
                }
            } catch (LlmException e) {
                if (e.category() != ErrorCategory.BUDGET_EXHAUSTED) {
                    throw e;
                }
                System.out.println("stopped after " + calls + " calls: " + e.getMessage());
                stoppedAfter = calls;
                message = e.getMessage();
            }
            System.out.println(judge.unwrap(SpendingBudget.class).orElseThrow().spent());
            spent = judge.unwrap(SpendingBudget.class).orElseThrow().spent();
        }
        // --- end of snippet

        long perCall = spent.tokens() / spent.calls();
        assertThat(stoppedAfter).isEqualTo((80 + perCall - 1) / perCall);
        assertThat(spent.tokens()).isEqualTo(perCall * stoppedAfter).isGreaterThanOrEqualTo(80);
        assertThat(message)
                .isEqualTo("spending budget exhausted: the client spent " + spent.tokens()
                        + " of its 80-token limit in " + stoppedAfter
                        + " calls; raise LLM_BUDGET_TOKENS, or reset the budget (SpendingBudget.reset())");
    }
}
