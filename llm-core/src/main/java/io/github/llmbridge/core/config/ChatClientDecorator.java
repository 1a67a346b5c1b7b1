package io.github.llmbridge.core.config;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;

/**
 * Service-provider interface through which {@link ChatClients#fromEnv()} wraps the client in
 * optional layers contributed by other modules (tracing, when {@code LLM_TRACE_DB} is set), so the
 * core never depends on them. Registered in
 * {@code META-INF/services/io.github.llmbridge.core.config.ChatClientDecorator}.
 */
public interface ChatClientDecorator {

    /** Returns a short name for logs. */
    String name();

    /**
     * Returns the position of this layer: decorators are applied in ascending order, so the
     * highest order ends up outermost (closest to the caller). Ties are broken by name.
     */
    default int order() {
        return 0;
    }

    /** Returns whether the settings ask for this layer. */
    boolean isEnabled(Settings settings);

    /**
     * Wraps the client.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when its settings are invalid
     */
    ChatClient decorate(ChatClient client, Settings settings);
}
