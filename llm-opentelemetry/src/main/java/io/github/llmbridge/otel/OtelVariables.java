package io.github.llmbridge.otel;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-opentelemetry} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()}. Each constant is named like its
 * variable, and the code reads the variable through it.
 */
public final class OtelVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-opentelemetry";

    /** Turns the OpenTelemetry layer on for {@code fromEnv()}. */
    public static final ConfigVariable LLM_OTEL = variable("LLM_OTEL")
            .meaning("true: every call gets an OpenTelemetry GenAI span, metrics and trace context on the request,"
                    + " through GlobalOpenTelemetry (bring the SDK and an exporter)")
            .defaultValue("false")
            .build();

    /** Records message content on spans (opt-in). */
    public static final ConfigVariable LLM_OTEL_CAPTURE_CONTENT = variable("LLM_OTEL_CAPTURE_CONTENT")
            .meaning("true: record the messages sent and received on each span (gen_ai.input.messages,"
                    + " gen_ai.output.messages); they may hold personal data")
            .defaultValue("false")
            .build();

    /** The semantic conventions' own switch between versions. */
    public static final ConfigVariable OTEL_SEMCONV_STABILITY_OPT_IN = variable("OTEL_SEMCONV_STABILITY_OPT_IN")
            .meaning("comma-separated opt-ins of OpenTelemetry's semantic conventions; with"
                    + " gen_ai_latest_experimental the deprecated gen_ai.system attribute is no longer added beside"
                    + " gen_ai.provider.name")
            .defaultValue("unset (gen_ai.system added)")
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public OtelVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(LLM_OTEL, LLM_OTEL_CAPTURE_CONTENT, OTEL_SEMCONV_STABILITY_OPT_IN);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
