package io.github.llmbridge.tracing.cache;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.tracing.contract.FakeChatClient;

/**
 * A backend named {@code fake-completions} for the cache's {@code fromEnv} tests (registered in
 * this module's test resources): {@link FakeChatClient#answering()}, whose replies carry a chat
 * completion body, as a real backend's do, so the cache can give them again.
 */
public class CompletionBackendProvider implements ChatClientProvider {

    /** Creates the provider (called by {@code ServiceLoader}). */
    public CompletionBackendProvider() {}

    @Override
    public String name() {
        return "fake-completions";
    }

    @Override
    public ChatClient create(Settings settings) {
        return FakeChatClient.answering();
    }
}
