package io.github.llmbridge.otel;

import static io.github.llmbridge.otel.OtelVariables.LLM_OTEL;
import static io.github.llmbridge.otel.OtelVariables.LLM_OTEL_CAPTURE_CONTENT;
import static io.github.llmbridge.otel.OtelVariables.OTEL_SEMCONV_STABILITY_OPT_IN;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClientDecorator;
import io.github.llmbridge.core.settings.Settings;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.Arrays;

/**
 * Adds the OpenTelemetry layer to {@code ChatClients.fromEnv()} when {@code LLM_OTEL=true}, as the
 * outermost layer, with {@link GlobalOpenTelemetry} (set by the SDK's autoconfiguration, the Java
 * agent, or {@code OpenTelemetrySdk...buildAndRegisterGlobal()}). Registered in
 * {@code META-INF/services/io.github.llmbridge.core.config.ChatClientDecorator}; not meant to be
 * called directly. Nothing of OpenTelemetry is touched unless the layer is enabled.
 */
public final class OpenTelemetryDecorator implements ChatClientDecorator {

    /** Outside tracing (1000), so the span covers the wait for the trace queue too. */
    public static final int ORDER = 1100;

    /** Creates the provider (called by {@code ServiceLoader}). */
    public OpenTelemetryDecorator() {}

    @Override
    public String name() {
        return "opentelemetry";
    }

    @Override
    public int order() {
        return ORDER;
    }

    /**
     * Returns whether {@code LLM_OTEL} is true.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when it is not a yes/no value
     */
    @Override
    public boolean isEnabled(Settings settings) {
        return settings.flag(LLM_OTEL, false);
    }

    /**
     * Wraps the client.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming a variable that is not a yes/no value
     */
    @Override
    public ChatClient decorate(ChatClient client, Settings settings) {
        boolean latestOnly = settings.get(OTEL_SEMCONV_STABILITY_OPT_IN)
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).anyMatch(GenAi.LATEST_EXPERIMENTAL::equals))
                .orElse(false);
        return OpenTelemetryChatClient.builder(client)
                .openTelemetry(GlobalOpenTelemetry.get())
                .captureContent(settings.flag(LLM_OTEL_CAPTURE_CONTENT, false))
                .latestConventionsOnly(latestOnly)
                .build();
    }
}
