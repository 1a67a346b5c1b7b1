package io.github.llmbridge.core.settings;

import java.util.List;

/**
 * Service-provider interface through which a module declares the configuration variables it
 * reads, so {@link ConfigVariables#all()} lists them without the core knowing the module.
 * Registered in {@code META-INF/services/io.github.llmbridge.core.settings.ConfigVariableSource}; the
 * implementing class usually also holds the declarations as constants named like the variables,
 * which the module's code reads through:
 *
 * <pre>{@code
 * public final class AcmeVariables implements ConfigVariableSource {
 *     public static final ConfigVariable ACME_TITLE = ConfigVariable.builder("llm-acme", "ACME_TITLE")
 *             .meaning("sent as X-Acme-Title").defaultValue("unset (headers not sent)").build();
 *     public List<ConfigVariable> variables() { return List.of(ACME_TITLE); }
 * }
 * }</pre>
 */
public interface ConfigVariableSource {

    /** Returns the variables this module reads, in the order they are best shown. */
    List<ConfigVariable> variables();
}
