package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.config.Settings;

/** Registers the {@code litellm} backend with {@code ChatClients.fromEnv()}. */
public final class LiteLlmProvider implements ChatClientProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public LiteLlmProvider() {}

    @Override
    public String name() {
        return LiteLlmChatClient.BACKEND;
    }

    @Override
    public ChatClient create(Settings settings) {
        return LiteLlmChatClient.fromSettings(settings);
    }
}
