package io.github.llmbridge.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.BackendSwitch;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What this backend contributes to core, which knows no backend by name: the switch that selects
 * it and its default bulkhead size. Only this backend (and {@code mock}) is on this module's test
 * classpath, so the LiteLLM proxy, which the same switch names, is missing here.
 */
class OpenRouterProviderTest {

    @Test
    void declaresTheSeedSwitchTrueForOpenRouterFalseOrUnsetForLiteLlm() {
        assertThat(new OpenRouterProvider().switches())
                .containsExactly(BackendSwitch.between("USE_OPENROUTER_DIRECT", "openrouter", "litellm"));
    }

    @Test
    void theBulkheadDefaultsToTenCalls() {
        try (OpenRouterChatClient client =
                OpenRouterChatClient.builder().apiKey("sk-or-test").build()) {
            assertThat(ResilientChatClient.defaultConcurrency(client)).isEqualTo(10);
        }
        try (ChatClient client =
                ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k"))) {
            assertThat(client.unwrap(ResilientChatClient.class))
                    .hasValueSatisfying(r -> assertThat(r.toString()).contains("bulkhead=10"));
        }
    }

    @Test
    void theConcurrencyVariableStillSizesTheBulkhead() {
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k", "OPENROUTER_MAX_CONCURRENT_CALLS", "3"))) {
            assertThat(client.unwrap(ResilientChatClient.class))
                    .hasValueSatisfying(r -> assertThat(r.toString()).contains("bulkhead=3"));
        }
    }

    @Test
    void switchedOffWithoutTheLiteLlmModuleIsReportedNotIgnored() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("USE_OPENROUTER_DIRECT", "false", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("'litellm'", "USE_OPENROUTER_DIRECT=false", "available: mock, openrouter");
    }

    @Test
    void theSwitchIsValidatedEvenWhenLlmBackendWins() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND", "openrouter", "USE_OPENROUTER_DIRECT", "maybe", "OPENROUTER_API_KEY", "k")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("USE_OPENROUTER_DIRECT", "maybe");
    }
}
