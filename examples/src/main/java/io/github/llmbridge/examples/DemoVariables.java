package io.github.llmbridge.examples;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables the examples' {@link Demo} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()} like a library module's.
 */
public final class DemoVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "examples";

    /** The model the demo asks; llm-cli's doctor and check read it too, and declare it alike. */
    public static final ConfigVariable DEMO_MODEL = variable("DEMO_MODEL")
            .meaning("model the demo, `llm-bridge doctor` and `llm-bridge check` ask")
            .defaultValue(Demo.DEFAULT_MODEL)
            .build();

    /** The share of requests the demo's simulator fails on purpose. */
    public static final ConfigVariable DEMO_FAULT_RATE = variable("DEMO_FAULT_RATE")
            .meaning("share of requests the demo's simulator fails on purpose, 0 to below 1 (examples only)")
            .defaultValue(Demo.DEFAULT_FAULT_RATE)
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public DemoVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(DEMO_MODEL, DEMO_FAULT_RATE);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
