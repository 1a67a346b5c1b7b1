package io.github.llmbridge.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.judge.LabelScores;
import io.github.llmbridge.core.judge.LabelSet;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingMetricExporter;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The README's OpenTelemetry program, as written there, with the SDK's logging exporter. */
class ReadmeOpenTelemetryExampleTest {

    @Test
    void theProgramPrintsTheSpanOfTheCallAndTheMetrics() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // Spans come as whole lines (holding braces), metrics as "metric: {0}" and the metric.
                Object[] parameters = record.getParameters();
                String message = record.getMessage();
                if (parameters != null && parameters.length == 1) {
                    message = message.replace("{0}", String.valueOf(parameters[0]));
                }
                logged.add(record.getLoggerName() + ": " + message);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger spans = Logger.getLogger(LoggingSpanExporter.class.getName());
        Logger metrics = Logger.getLogger(LoggingMetricExporter.class.getName());
        spans.addHandler(capture);
        metrics.addHandler(capture);
        try {
            // --- README snippet
            OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()))
                            .build())
                    .setMeterProvider(SdkMeterProvider.builder()
                            .registerMetricReader(PeriodicMetricReader.create(LoggingMetricExporter.create()))
                            .build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
            try (ChatClient judge = OpenTelemetryChatClient.wrap(
                            ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_REPLY", "7")), otel);
                    LlmSession step = LlmSession.open("step-1")) {
                LabelScores.score(
                        judge,
                        ChatRequest.builder()
                                .model("acme/judge")
                                .user("Rate 4 from 1 to 10.")
                                .build(),
                        LabelSet.range(1, 10),
                        "correctness");
            }
            otel.shutdown(); // flushes: the log shows "'chat acme/judge' : <trace id> <span id> CLIENT ..." and the
            // metrics
            // --- end of snippet
        } finally {
            spans.removeHandler(capture);
            metrics.removeHandler(capture);
        }

        assertThat(logged)
                .anySatisfy(line -> assertThat(line)
                        .contains("'chat acme/judge'")
                        .contains("CLIENT")
                        .contains("gen_ai.provider.name=mock")
                        .contains("gen_ai.conversation.id"));
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("gen_ai.client.operation.duration"));
    }
}
