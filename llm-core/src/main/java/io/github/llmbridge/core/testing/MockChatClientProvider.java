package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.settings.Settings;

/** Registers the {@code mock} backend ({@code LLM_BACKEND=mock}); see {@link MockChatClient}. */
public final class MockChatClientProvider implements ChatClientProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public MockChatClientProvider() {}

    @Override
    public String name() {
        return "mock";
    }

    @Override
    public ChatClient create(Settings settings) {
        return MockChatClient.fromSettings(settings);
    }
}
