package io.github.llmbridge.core.config;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.util.List;

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
     * Returns the yes/no variables that select this backend when {@code LLM_BACKEND} is not set;
     * none by default (the backend is then selected by name only). Every backend a switch names
     * declares it alike, so it means the same whichever of their modules is on the classpath.
     */
    default List<BackendSwitch> switches() {
        return List.of();
    }

    /**
     * Creates a backend client from the settings.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when a setting is missing
     *                      or invalid, naming the variable
     */
    ChatClient create(Settings settings);
}
