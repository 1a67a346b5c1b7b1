package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendSwitch;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.settings.Settings;
import java.util.List;

/** Registers the {@code litellm} backend with {@code ChatClients.fromEnv()}. */
public final class LiteLlmProvider implements ChatClientProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public LiteLlmProvider() {}

    @Override
    public String name() {
        return LiteLlmChatClient.BACKEND;
    }

    /**
     * Returns the seed's switch, {@code USE_OPENROUTER_DIRECT}: false, or not set, selects this
     * backend, the default; true selects {@code openrouter}, which declares the same switch.
     */
    @Override
    public List<BackendSwitch> switches() {
        return List.of(BackendSwitch.between(
                LiteLlmVariables.USE_OPENROUTER_DIRECT.name(), "openrouter", LiteLlmChatClient.BACKEND));
    }

    @Override
    public ChatClient create(Settings settings) {
        return LiteLlmChatClient.fromSettings(settings);
    }
}
