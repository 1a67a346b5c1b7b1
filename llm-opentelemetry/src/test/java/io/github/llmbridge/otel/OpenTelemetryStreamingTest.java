package io.github.llmbridge.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.RequestHeaders;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.testing.ScriptedStream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed call through the layer: the chunks still reach the caller one by one, and the call
 * has the same span, attempt spans and metrics as a non-streamed one, plus the conventions'
 * streaming attributes and histograms.
 */
class OpenTelemetryStreamingTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    private static final String MODEL = "acme/judge-1";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), 2, Duration.ofMillis(20));

    private static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
    private static final AttributeKey<Double> TIME_TO_FIRST_CHUNK =
            AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
    private static final AttributeKey<Long> CHUNKS = AttributeKey.longKey("llm_bridge.stream.chunks");

    private static OpenTelemetryChatClient observed(ScriptedChatClient backend) {
        return OpenTelemetryChatClient.wrap(
                ResilientChatClient.builder(backend)
                        .backoff(FAST)
                        .maxAttempts(3)
                        .build(),
                otel.getOpenTelemetry());
    }

    private static ChatRequest request() {
        return ChatRequest.builder().model(MODEL).user("Rate this.").build();
    }

    private static SpanData callSpan() {
        return otel.getSpans().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT)
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                    assertThat(l).as("one call span").hasSize(1);
                    return l.get(0);
                }));
    }

    private static List<SpanData> attemptSpans() {
        return otel.getSpans().stream()
                .filter(s -> s.getKind() == SpanKind.INTERNAL && s.getName().startsWith("attempt "))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                .toList();
    }

    private static List<MetricData> metrics(String name) {
        return otel.getMetrics().stream().filter(m -> m.getName().equals(name)).toList();
    }

    private static HistogramPointData onePoint(String name) {
        List<MetricData> found = metrics(name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0).getHistogramData().getPoints().stream()
                .reduce((a, b) -> {
                    throw new AssertionError("more than one point of " + name);
                })
                .orElseThrow();
    }

    private static long calls(String outcome, String errorType) {
        Attributes want = errorType == null
                ? Attributes.builder()
                        .put("gen_ai.provider.name", "acme")
                        .put("gen_ai.request.model", MODEL)
                        .put("llm_bridge.outcome", outcome)
                        .build()
                : Attributes.builder()
                        .put("gen_ai.provider.name", "acme")
                        .put("gen_ai.request.model", MODEL)
                        .put("llm_bridge.outcome", outcome)
                        .put("error.type", errorType)
                        .build();
        return metrics("llm_bridge.client.calls").get(0).getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(want))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    @Test
    void aStreamedCallPassesEveryChunkOnAndIsOneSpanWithTheStreamingAttributes() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .stream(ScriptedStream.of("The ", "answer ", "is 7").finish(new Usage(120, 30, 150, 100, 12)));
        List<String> seen = new ArrayList<>();
        ChatResponse reply;
        try (OpenTelemetryChatClient client = observed(backend);
                ChatStream stream = client.stream(request())) {
            for (ChatChunk chunk : stream) {
                seen.add(chunk.content());
            }
            reply = stream.response().join();
        }

        assertThat(seen).containsExactly("The ", "answer ", "is 7", "");
        assertThat(reply.content()).isEqualTo("The answer is 7");
        assertThat(RequestHeaders.of(backend.requests().get(0)))
                .as("the trace context goes down the streamed request too")
                .containsKey("traceparent");
        SpanData span = callSpan();
        assertThat(span.getName()).isEqualTo("chat acme/judge-1");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        Attributes a = span.getAttributes();
        assertThat(a.get(STREAM)).isTrue();
        assertThat(a.get(CHUNKS)).isEqualTo(4L);
        assertThat(a.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(120L);
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(30L);
        assertThat(a.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("stop");
        assertThat(a.get(AttributeKey.longKey("llm_bridge.attempts"))).isEqualTo(1L);
        assertThat(a.get(AttributeKey.stringKey("error.type"))).isNull();
        double spanSeconds = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e9;
        assertThat(a.get(TIME_TO_FIRST_CHUNK)).isGreaterThan(0.0).isLessThanOrEqualTo(spanSeconds);
        assertThat(attemptSpans()).singleElement().satisfies(attempt -> {
            assertThat(attempt.getParentSpanId()).isEqualTo(span.getSpanId());
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });

        HistogramPointData first = onePoint("gen_ai.client.operation.time_to_first_chunk");
        assertThat(first.getBoundaries()).isEqualTo(GenAi.DURATION_BUCKETS);
        assertThat(first.getCount()).isEqualTo(1);
        assertThat(first.getSum()).isEqualTo(a.get(TIME_TO_FIRST_CHUNK));
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                .isEqualTo("acme");
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                .isEqualTo(MODEL);
        HistogramPointData gaps = onePoint("gen_ai.client.operation.time_per_output_chunk");
        assertThat(gaps.getBoundaries()).isEqualTo(GenAi.DURATION_BUCKETS);
        assertThat(gaps.getCount()).as("one gap per chunk after the first").isEqualTo(3);
        assertThat(onePoint("gen_ai.client.operation.duration").getCount()).isEqualTo(1);
        assertThat(metrics("gen_ai.client.token.usage")
                        .get(0)
                        .getHistogramData()
                        .getPoints())
                .extracting(HistogramPointData::getSum)
                .containsExactlyInAnyOrder(120.0, 30.0);
        assertThat(calls("success", null)).isEqualTo(1);
    }

    @Test
    void chunksReachTheCallerBeforeTheStreamEndsAndCancellingEndsTheSpan() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .stream(ScriptedStream.of("a", "b").stall());
        try (OpenTelemetryChatClient client = observed(backend)) {
            ChatStream stream = client.stream(request());
            Iterator<ChatChunk> chunks = stream.iterator();
            assertThat(chunks.next().content()).isEqualTo("a");
            assertThat(chunks.next().content()).isEqualTo("b");
            assertThat(stream.response()).as("the stream has not ended").isNotDone();
            assertThat(otel.getSpans())
                    .as("the call span is still open while chunks flow")
                    .noneMatch(s -> s.getKind() == SpanKind.CLIENT);

            stream.close();

            assertThat(stream.response()).isCancelled();
        }
        SpanData span = callSpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo("cancelled");
        assertThat(span.getAttributes().get(CHUNKS)).isEqualTo(2L);
        assertThat(span.getAttributes().get(STREAM)).isTrue();
        assertThat(onePoint("gen_ai.client.operation.time_per_output_chunk").getCount())
                .isEqualTo(1);
    }

    @Test
    void aStreamThatFailsAfterItsOutputBeganIsAFailedSpanWithItsTimeToFirstChunk() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .stream(ScriptedStream.of("Par").fail(ErrorCategory.SERVER_ERROR, "upstream died"));
        List<String> seen = new ArrayList<>();
        try (OpenTelemetryChatClient client = observed(backend)) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request(), c -> seen.add(c.content()));
            Throwable failure =
                    catchThrowableOfType(CompletionException.class, call::join).getCause();

            assertThat(failure).isInstanceOf(LlmException.class);
            assertThat(((LlmException) failure).category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        }

        assertThat(seen).containsExactly("Par");
        assertThat(backend.requests()).as("no restart once output began").hasSize(1);
        SpanData span = callSpan();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).startsWith("SERVER_ERROR: upstream died");
        Attributes a = span.getAttributes();
        assertThat(a.get(AttributeKey.stringKey("error.type"))).isEqualTo("server_error");
        assertThat(a.get(STREAM)).isTrue();
        assertThat(a.get(CHUNKS)).isEqualTo(1L);
        assertThat(a.get(TIME_TO_FIRST_CHUNK)).isGreaterThan(0.0);
        assertThat(a.get(AttributeKey.longKey("llm_bridge.attempts"))).isEqualTo(1L);
        assertThat(attemptSpans())
                .singleElement()
                .satisfies(attempt -> assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type")))
                        .isEqualTo("server_error"));
        assertThat(onePoint("gen_ai.client.operation.time_to_first_chunk").getCount())
                .isEqualTo(1);
        assertThat(onePoint("gen_ai.client.operation.duration")
                        .getAttributes()
                        .get(AttributeKey.stringKey("error.type")))
                .isEqualTo("server_error");
        assertThat(metrics("gen_ai.client.token.usage")).isEmpty();
        assertThat(calls("failure", "server_error")).isEqualTo(1);
    }

    @Test
    void aStreamRetriedBeforeAnyOutputShowsBothAttempts() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .stream(ScriptedStream.create().fail(ErrorCategory.SERVER_ERROR, "try again")).stream(
                        ScriptedStream.of("ok").finish(FinishReason.STOP));
        try (OpenTelemetryChatClient client = observed(backend)) {
            assertThat(client.streamAsync(request(), c -> {}).join().content()).isEqualTo("ok");
        }

        assertThat(attemptSpans())
                .extracting(s -> s.getStatus().getStatusCode())
                .containsExactly(StatusCode.ERROR, StatusCode.UNSET);
        assertThat(callSpan().getAttributes().get(AttributeKey.longKey("llm_bridge.attempts")))
                .isEqualTo(2L);
        assertThat(callSpan().getAttributes().get(CHUNKS)).isEqualTo(2L);
    }

    @Test
    void aCallThatIsNotStreamedHasNoStreamingAttributesOrMetrics() {
        try (OpenTelemetryChatClient client = observed(new ScriptedChatClient("acme").reply("7"))) {
            client.chat(request());
        }

        Attributes a = callSpan().getAttributes();
        assertThat(a.get(STREAM)).isNull();
        assertThat(a.get(TIME_TO_FIRST_CHUNK)).isNull();
        assertThat(a.get(CHUNKS)).isNull();
        assertThat(metrics("gen_ai.client.operation.time_to_first_chunk")).isEmpty();
        assertThat(metrics("gen_ai.client.operation.time_per_output_chunk")).isEmpty();
        assertThat(onePoint("gen_ai.client.operation.duration").getCount()).isEqualTo(1);
    }
}
