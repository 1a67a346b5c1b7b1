package io.github.llmbridge.core.config;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;

/**
 * Service-provider interface through which {@link ChatClients#fromEnv()} finds backends. A backend
 * module registers its provider in
 * {@code META-INF/services/io.github.llmbridge.core.config.ChatClientProvider}, so putting the jar on the
 * classpath is all it takes to make the backend selectable by name.
 */
public interface ChatClientProvider {

    /** Returns the name users select the backend by ({@code LLM_BACKEND=<name>}), lower case. */
    String name();

    /**
     * Creates a backend client from the settings.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when a setting is missing
     *                      or invalid, naming the variable
     */
    ChatClient create(Settings settings);
}
