package io.github.llmbridge.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.BackendSwitch;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.settings.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What this backend contributes to core, which knows no backend by name: the switch that selects
 * it (the default) and its default bulkhead size. Only this backend (and {@code mock}) is on this
 * module's test classpath, so OpenRouter, which the same switch names, is missing here.
 */
class LiteLlmProviderTest {

    @Test
    void declaresTheSeedSwitchFalseOrUnsetForLiteLlmTrueForOpenRouter() {
        assertThat(new LiteLlmProvider().switches())
                .containsExactly(BackendSwitch.between("USE_OPENROUTER_DIRECT", "openrouter", "litellm"));
    }

    @Test
    void isTheDefaultWhenNothingIsSet() {
        assertThat(ChatClients.chooseBackend(Settings.of(Map.of())))
                .isEqualTo(new ChatClients.BackendChoice("litellm", "USE_OPENROUTER_DIRECT not set"));
        try (ChatClient client = ChatClients.fromEnv(Map.of())) {
            assertThat(client.backend()).isEqualTo("litellm");
        }
    }

    @Test
    void theBulkheadDefaultsTo256Calls() {
        try (LiteLlmChatClient client = LiteLlmChatClient.builder().build()) {
            assertThat(ResilientChatClient.defaultConcurrency(client)).isEqualTo(256);
            try (ResilientChatClient resilient =
                    ResilientChatClient.builder(client).build()) {
                assertThat(resilient.toString()).contains("bulkhead=256");
            }
        }
        try (ChatClient client = ChatClients.fromEnv(Map.of())) {
            assertThat(client.unwrap(ResilientChatClient.class))
                    .hasValueSatisfying(r -> assertThat(r.toString()).contains("bulkhead=256"));
        }
    }

    @Test
    void theConcurrencyVariableStillSizesTheBulkhead() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LITELLM_MAX_CONCURRENT_CALLS", "7"))) {
            assertThat(client.unwrap(ResilientChatClient.class))
                    .hasValueSatisfying(r -> assertThat(r.toString()).contains("bulkhead=7"));
        }
    }

    @Test
    void theSwitchIsValidatedEvenWhenLlmBackendWins() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "litellm", "USE_OPENROUTER_DIRECT", "ture")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("USE_OPENROUTER_DIRECT", "ture");
    }
}
