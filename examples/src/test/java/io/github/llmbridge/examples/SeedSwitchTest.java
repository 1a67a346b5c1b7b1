package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendSwitch;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.ConfigVariables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The seed's switch, {@code USE_OPENROUTER_DIRECT}, with both backends on the classpath as in a
 * trainer: core does not know it; both backends declare it, alike, and {@code LLM_BACKEND} wins.
 */
class SeedSwitchTest {

    @Test
    void bothBackendsDeclareTheSameSwitch() {
        Map<String, Object> switches = new HashMap<>();
        ServiceLoader.load(ChatClientProvider.class).forEach(p -> switches.put(p.name(), p.switches()));

        BackendSwitch seed = BackendSwitch.between("USE_OPENROUTER_DIRECT", "openrouter", "litellm");
        assertThat(switches)
                .containsEntry("openrouter", List.of(seed))
                .containsEntry("litellm", List.of(seed))
                .containsEntry("mock", List.of());
    }

    @Test
    void theRegistryListsTheSwitchOnceAsReadByBothBackends() {
        assertThat(ConfigVariables.find("USE_OPENROUTER_DIRECT"))
                .hasValueSatisfying(v -> assertThat(v.module()).isEqualTo("llm-litellm-compat, llm-openrouter"));
        assertThat(ConfigVariables.all())
                .filteredOn(v -> v.name().equals("USE_OPENROUTER_DIRECT"))
                .hasSize(1);
    }

    @Test
    void llmBackendWinsOverTheSwitchInBothDirections() {
        try (ChatClient client = ChatClients.fromEnv(
                Map.of("LLM_BACKEND", "litellm", "USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", "k"))) {
            assertThat(client.backend()).isEqualTo("litellm");
        }
        try (ChatClient client = ChatClients.fromEnv(
                Map.of("LLM_BACKEND", "openrouter", "USE_OPENROUTER_DIRECT", "false", "OPENROUTER_API_KEY", "k"))) {
            assertThat(client.backend()).isEqualTo("openrouter");
        }
    }

    @Test
    void unsetSelectsTheLiteLlmProxy() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("OPENROUTER_API_KEY", "k"))) {
            assertThat(client.backend()).isEqualTo("litellm");
        }
    }
}
