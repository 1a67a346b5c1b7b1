/**
 * OpenTelemetry for LLM Bridge: a GenAI client span per call with a child span per attempt, the
 * GenAI client metrics and the library's own, {@code gen_ai.evaluation.result} events for judge
 * scores, and W3C trace context on the HTTP request. Depends on the OpenTelemetry API only.
 */
@SuppressWarnings({"module", "requires-automatic"})
module io.github.llmbridge.otel {
    requires transitive io.github.llmbridge.core;
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.github.llmbridge.otel;

    provides io.github.llmbridge.core.config.ChatClientDecorator with
            io.github.llmbridge.otel.OpenTelemetryDecorator;
    provides io.github.llmbridge.core.settings.ConfigVariableSource with
            io.github.llmbridge.otel.OtelVariables;
}
