package io.github.llmbridge.cli;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables the command-line tool reads beyond the library's, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()} like a library module's. The
 * tool also reads {@code LLM_TRACE_DB} (declared by llm-tracing-sqlite) as the default database.
 */
public final class CliVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-cli";

    /**
     * The model the doctor and the check ask. The examples' demo reads it too and declares it
     * alike, so the doctor kept its default when it moved here from the examples.
     */
    public static final ConfigVariable DEMO_MODEL = ConfigVariable.builder(MODULE, "DEMO_MODEL")
            .meaning("model the demo, `llm-bridge doctor` and `llm-bridge check` ask")
            .defaultValue(Doctor.DEFAULT_MODEL)
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public CliVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(DEMO_MODEL);
    }
}
