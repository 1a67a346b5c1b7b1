package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the traces hold about a spending budget, without a column of its own: each call's usage and
 * cost (what the budget counts), and a refused call as a failed trace with category
 * {@code BUDGET_EXHAUSTED} whose message says what was spent and the limit.
 */
class BudgetTracingTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedCallIsTracedWithItsCategoryAndTheSpendInItsMessage() {
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND", "mock",
                        "LLM_TRACE_DB", dir.resolve("traces.db").toString(),
                        "LLM_SESSION_BUDGET_TOKENS", "1"));
                LlmSession episode = LlmSession.open("episode-1")) {
            ChatRequest request = ChatRequest.builder().model("m").user("hello").build();
            long spent = client.chat(request).usage().totalTokens(); // crosses the limit of 1
            LlmException refused = catchThrowableOfType(LlmException.class, () -> client.chat(request));
            TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

            assertThat(refused.category()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
            List<TraceRecord> traces = store.findBySessionName("episode-1");
            assertThat(traces).hasSize(2);
            TraceRecord last = traces.get(0); // newest first
            assertThat(last.status()).isEqualTo(TraceStatus.FAILED);
            assertThat(last.errorCategory()).isEqualTo(ErrorCategory.BUDGET_EXHAUSTED);
            assertThat(last.errorMessage())
                    .contains("session 'episode-1'")
                    .contains(spent + " of its 1-token limit in 1 calls")
                    .contains("LLM_SESSION_BUDGET_TOKENS");
            assertThat(last.attemptCount()).isZero();
            assertThat(traces.get(1).usage().totalTokens())
                    .as("what the budget counted is in the trace")
                    .isEqualTo(spent)
                    .isPositive();
        }
    }
}
