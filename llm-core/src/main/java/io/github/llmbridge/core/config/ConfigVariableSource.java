package io.github.llmbridge.core.config;

import java.util.List;

/**
 * Service-provider interface through which a module declares the configuration variables it
 * reads, so {@link ConfigVariables#all()} lists them without the core knowing the module.
 * Registered in {@code META-INF/services/io.github.llmbridge.core.config.ConfigVariableSource}; the
 * implementing class usually also holds the declarations as constants named like the variables,
 * which the module's code reads through:
 *
 * <pre>{@code
 * public final class OpenRouterVariables implements ConfigVariableSource {
 *     public static final ConfigVariable OPENROUTER_TITLE = ConfigVariable.builder("llm-openrouter", "OPENROUTER_TITLE")
 *             .meaning("sent as X-OpenRouter-Title and X-Title").defaultValue("unset (headers not sent)").build();
 *     public List<ConfigVariable> variables() { return List.of(OPENROUTER_TITLE); }
 * }
 * }</pre>
 */
public interface ConfigVariableSource {

    /** Returns the variables this module reads, in the order they are best shown. */
    List<ConfigVariable> variables();
}
