package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendSwitch;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.settings.Settings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the {@code openrouter} backend with {@code ChatClients.fromEnv()}. */
public final class OpenRouterProvider implements ChatClientProvider {

    private static final Logger log = LoggerFactory.getLogger(OpenRouterProvider.class);

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OpenRouterProvider() {}

    @Override
    public String name() {
        return OpenRouterChatClient.BACKEND;
    }

    /**
     * Returns the seed's switch, {@code USE_OPENROUTER_DIRECT}: true selects this backend; false,
     * or not set, the LiteLLM proxy ({@code litellm}), which declares the same switch.
     */
    @Override
    public List<BackendSwitch> switches() {
        return List.of(BackendSwitch.between(
                OpenRouterVariables.USE_OPENROUTER_DIRECT.name(), OpenRouterChatClient.BACKEND, "litellm"));
    }

    @Override
    public ChatClient create(Settings settings) {
        OpenRouterChatClient client = OpenRouterChatClient.fromSettings(settings);
        log.info(
                "Using direct OpenRouter API calls instead of the LiteLLM proxy ({})",
                Secrets.displayUrl(client.baseUrl().toString()));
        return client;
    }
}
