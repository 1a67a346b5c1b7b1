package io.github.llmbridge.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.ResponseFormat;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.judge.Evaluation;
import io.github.llmbridge.core.judge.Evaluations;
import io.github.llmbridge.core.judge.LabelScores;
import io.github.llmbridge.core.judge.LabelSet;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the layer emits for a success, a retried call, a fallback, a failure and a fail-open
 * reply: every attribute, the attempts as child spans, the metrics with their advised buckets,
 * and evaluation events.
 */
class OpenTelemetryChatClientTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    private static final String MODEL = "acme/judge-1";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), 2, Duration.ofMillis(20));

    private static OpenTelemetryChatClient observed(ScriptedChatClient backend, boolean failOpen) {
        ResilientChatClient resilient = ResilientChatClient.builder(backend)
                .backoff(FAST)
                .maxAttempts(3)
                .failOpen(failOpen)
                .build();
        return OpenTelemetryChatClient.wrap(resilient, otel.getOpenTelemetry());
    }

    private static ChatRequest request() {
        return ChatRequest.builder().model(MODEL).user("Rate this.").build();
    }

    private static ChatResponse reply() {
        return ChatResponse.builder()
                .id("chatcmpl-42")
                .model("acme/judge-1-0613")
                .choices(List.of(
                        new Choice(0, ChatMessage.assistant("7"), FinishReason.STOP),
                        new Choice(1, ChatMessage.assistant("8"), FinishReason.LENGTH)))
                .usage(new Usage(120, 30, 150, 100, 12))
                .cost(0.0042)
                .build();
    }

    private static SpanData callSpan() {
        return otel.getSpans().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT)
                .findFirst()
                .orElseThrow();
    }

    private static List<SpanData> attemptSpans() {
        return otel.getSpans().stream()
                .filter(s -> s.getKind() == SpanKind.INTERNAL && s.getName().startsWith("attempt "))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                .toList();
    }

    private static MetricData metric(String name) {
        return otel.getMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static long counter(String name, Attributes attributes) {
        return metric(name).getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(attributes))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    @Test
    void aSuccessfulCallIsOneClientSpanWithEveryConventionAttribute() {
        ScriptedChatClient backend = new ScriptedChatClient("acme").reply(reply());
        ChatRequest request = request().toBuilder()
                .temperature(0.2)
                .topP(0.9)
                .maxTokens(64)
                .stop(List.of("END"))
                .seed(7L)
                .n(2)
                .frequencyPenalty(0.1)
                .presencePenalty(0.3)
                .responseFormat(ResponseFormat.jsonObject())
                .build();
        Span parent =
                otel.getOpenTelemetry().getTracer("test").spanBuilder("reward").startSpan();
        try (OpenTelemetryChatClient client = observed(backend, false);
                Scope ignored = parent.makeCurrent();
                LlmSession step = LlmSession.open("step-42")) {
            client.chat(request);
            parent.end();

            SpanData span = callSpan();
            assertThat(span.getName()).isEqualTo("chat acme/judge-1");
            assertThat(span.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getAttributes().asMap())
                    .containsAllEntriesOf(Map.ofEntries(
                            Map.entry(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
                            Map.entry(AttributeKey.stringKey("gen_ai.provider.name"), "acme"),
                            Map.entry(AttributeKey.stringKey("gen_ai.system"), "acme"),
                            Map.entry(AttributeKey.stringKey("gen_ai.request.model"), MODEL),
                            Map.entry(AttributeKey.doubleKey("gen_ai.request.temperature"), 0.2),
                            Map.entry(AttributeKey.doubleKey("gen_ai.request.top_p"), 0.9),
                            Map.entry(AttributeKey.longKey("gen_ai.request.max_tokens"), 64L),
                            Map.entry(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"), List.of("END")),
                            Map.entry(AttributeKey.longKey("gen_ai.request.seed"), 7L),
                            Map.entry(AttributeKey.longKey("gen_ai.request.choice.count"), 2L),
                            Map.entry(AttributeKey.doubleKey("gen_ai.request.frequency_penalty"), 0.1),
                            Map.entry(AttributeKey.doubleKey("gen_ai.request.presence_penalty"), 0.3),
                            Map.entry(AttributeKey.stringKey("gen_ai.output.type"), "json"),
                            Map.entry(AttributeKey.stringKey("gen_ai.conversation.id"), step.uid()),
                            Map.entry(AttributeKey.stringKey("llm_bridge.session.name"), "step-42"),
                            Map.entry(AttributeKey.stringKey("gen_ai.response.id"), "chatcmpl-42"),
                            Map.entry(AttributeKey.stringKey("gen_ai.response.model"), "acme/judge-1-0613"),
                            Map.entry(
                                    AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
                                    List.of("stop", "length")),
                            Map.entry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 120L),
                            Map.entry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 30L),
                            Map.entry(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 100L),
                            Map.entry(AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens"), 12L),
                            Map.entry(AttributeKey.doubleKey("llm_bridge.cost"), 0.0042),
                            Map.entry(AttributeKey.longKey("llm_bridge.attempts"), 1L)));
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isNull();
            assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
                    .as("content is opt-in")
                    .isNull();
            assertThat(attemptSpans()).singleElement().satisfies(a -> {
                assertThat(a.getParentSpanId()).isEqualTo(span.getSpanId());
                assertThat(a.getAttributes().get(AttributeKey.longKey("llm_bridge.attempt.number")))
                        .isEqualTo(1L);
                assertThat(a.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                        .isEqualTo(200L);
            });
        }
    }

    @Test
    void theMetricsUseTheAdvisedBucketsAndCountTokensByType() {
        try (OpenTelemetryChatClient client = observed(new ScriptedChatClient("acme").reply(reply()), false)) {
            client.chat(request());

            HistogramPointData duration = metric("gen_ai.client.operation.duration")
                    .getHistogramData()
                    .getPoints()
                    .iterator()
                    .next();
            assertThat(duration.getBoundaries()).isEqualTo(GenAi.DURATION_BUCKETS);
            assertThat(duration.getCount()).isEqualTo(1);
            assertThat(duration.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
                    .isEqualTo("acme/judge-1-0613");
            List<HistogramPointData> tokens = List.copyOf(
                    metric("gen_ai.client.token.usage").getHistogramData().getPoints());
            assertThat(tokens).hasSize(2);
            assertThat(tokens)
                    .allSatisfy(p -> assertThat(p.getBoundaries())
                            .containsExactlyElementsOf(GenAi.TOKEN_BUCKETS.stream()
                                    .map(Long::doubleValue)
                                    .toList()));
            assertThat(tokens)
                    .extracting(
                            p -> p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type")), p -> p.getSum())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("input", 120.0),
                            org.assertj.core.groups.Tuple.tuple("output", 30.0));
            assertThat(counter(
                            "llm_bridge.client.calls",
                            Attributes.builder()
                                    .put("gen_ai.provider.name", "acme")
                                    .put("gen_ai.request.model", MODEL)
                                    .put("llm_bridge.outcome", "success")
                                    .build()))
                    .isEqualTo(1);
            LongPointData limit = metric("llm_bridge.client.concurrency.limit")
                    .getLongGaugeData()
                    .getPoints()
                    .iterator()
                    .next();
            assertThat(limit.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                    .isEqualTo(MODEL);
            assertThat(limit.getValue())
                    .isEqualTo(client.unwrap(ResilientChatClient.class)
                            .orElseThrow()
                            .stats()
                            .concurrency(MODEL)
                            .orElseThrow()
                            .limit());
        }
    }

    @Test
    void aRetriedCallShowsEachAttemptWithItsStatusAndWait() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .fail(LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                        .httpStatus(429)
                        .build())
                .reply(reply());
        try (OpenTelemetryChatClient client = observed(backend, false)) {
            client.chat(request());

            List<SpanData> attempts = attemptSpans();
            assertThat(attempts).hasSize(2);
            SpanData first = attempts.get(0);
            assertThat(first.getName()).isEqualTo("attempt 1 acme/judge-1");
            assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(first.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("rate_limited");
            assertThat(first.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(429L);
            assertThat(first.getAttributes().get(AttributeKey.doubleKey("llm_bridge.attempt.wait_after")))
                    .isGreaterThan(0.0);
            assertThat(attempts.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(callSpan().getAttributes().get(AttributeKey.longKey("llm_bridge.attempts")))
                    .isEqualTo(2L);
            assertThat(counter(
                            "llm_bridge.client.retries",
                            Attributes.builder()
                                    .put("gen_ai.provider.name", "acme")
                                    .put("gen_ai.request.model", MODEL)
                                    .build()))
                    .isEqualTo(1);
        }
    }

    @Test
    void aFallbackShowsTheOtherModelsAttempt() {
        ScriptedChatClient backend = new ScriptedChatClient("acme")
                .fail(ErrorCategory.MODEL_NOT_FOUND, "no such model")
                .reply(reply());
        try (OpenTelemetryChatClient client = observed(backend, false)) {
            client.chat(request().toBuilder().fallbackModels("other/judge-2").build());

            assertThat(attemptSpans())
                    .extracting(s -> s.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                    .containsExactly(MODEL, "other/judge-2");
            assertThat(attemptSpans().get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("model_not_found");
            assertThat(counter(
                            "llm_bridge.client.fallbacks",
                            Attributes.builder()
                                    .put("gen_ai.provider.name", "acme")
                                    .put("gen_ai.request.model", MODEL)
                                    .build()))
                    .isEqualTo(1);
        }
    }

    @Test
    void aFailedCallSetsErrorTypeAndAnErrorStatus() {
        ScriptedChatClient backend = new ScriptedChatClient("acme").fail(ErrorCategory.AUTHENTICATION, "bad key");
        try (OpenTelemetryChatClient client = observed(backend, false)) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            SpanData span = callSpan();
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getStatus().getDescription()).startsWith("AUTHENTICATION: bad key");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("authentication");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id")))
                    .isNull();
            assertThat(metric("gen_ai.client.operation.duration")
                            .getHistogramData()
                            .getPoints()
                            .iterator()
                            .next()
                            .getAttributes()
                            .get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("authentication");
            assertThat(otel.getMetrics()).noneMatch(m -> m.getName().equals("gen_ai.client.token.usage"));
            assertThat(counter(
                            "llm_bridge.client.calls",
                            Attributes.builder()
                                    .put("gen_ai.provider.name", "acme")
                                    .put("gen_ai.request.model", MODEL)
                                    .put("llm_bridge.outcome", "failure")
                                    .put("error.type", "authentication")
                                    .build()))
                    .isEqualTo(1);
        }
    }

    @Test
    void aFailOpenReplyIsRecordedAsTheFailureItStandsFor() {
        ScriptedChatClient backend = new ScriptedChatClient("acme").fail(ErrorCategory.CONTENT_FILTERED, "no");
        try (OpenTelemetryChatClient client = observed(backend, true)) {
            ChatResponse reply = client.chat(request());

            assertThat(reply.failed()).isTrue();
            SpanData span = callSpan();
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("content_filtered");
            assertThat(span.getAttributes().get(AttributeKey.booleanKey("llm_bridge.fail_open")))
                    .isTrue();
        }
    }

    @Test
    void contentIsRecordedOnlyWhenAskedInTheConventionsShape() {
        ResilientChatClient resilient = ResilientChatClient.builder(new ScriptedChatClient("acme").reply("7"))
                .build();
        try (OpenTelemetryChatClient client = OpenTelemetryChatClient.builder(resilient)
                .openTelemetry(otel.getOpenTelemetry())
                .captureContent(true)
                .build()) {
            client.chat(ChatRequest.builder()
                    .model(MODEL)
                    .system("Be terse.")
                    .user("Rate this.")
                    .build());

            Attributes a = callSpan().getAttributes();
            assertThat(a.get(AttributeKey.stringKey("gen_ai.input.messages")))
                    .isEqualTo("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be terse.\"}]},"
                            + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Rate this.\"}]}]");
            assertThat(a.get(AttributeKey.stringKey("gen_ai.output.messages")))
                    .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"7\"}],"
                            + "\"finish_reason\":\"stop\"}]");
        }
    }

    @Test
    void latestConventionsOnlyLeavesOutTheDeprecatedSystemAttribute() {
        ResilientChatClient resilient = ResilientChatClient.builder(new ScriptedChatClient("acme").reply("7"))
                .build();
        try (OpenTelemetryChatClient client = OpenTelemetryChatClient.builder(resilient)
                .openTelemetry(otel.getOpenTelemetry())
                .latestConventionsOnly(true)
                .build()) {
            client.chat(request());

            assertThat(callSpan().getAttributes().get(AttributeKey.stringKey("gen_ai.system")))
                    .isNull();
            assertThat(callSpan().getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                    .isEqualTo("acme");
        }
    }

    @Test
    void judgeScoresBecomeEvaluationResultEvents() {
        try (OpenTelemetryChatClient client = observed(new ScriptedChatClient("acme").reply("7"), false)) {
            LabelScores.score(client, request(), LabelSet.range(1, 10), "correctness");
            Evaluations.report(client, new Evaluation("relevance", Double.NaN, "relevant", "on topic", "chatcmpl-9"));

            List<LogRecordData> events = otel.getLogRecords();
            assertThat(events).hasSize(2);
            assertThat(events).allSatisfy(e -> assertThat(e.getEventName()).isEqualTo("gen_ai.evaluation.result"));
            assertThat(events.get(0).getAttributes().asMap())
                    .containsEntry(AttributeKey.stringKey("gen_ai.evaluation.name"), "correctness")
                    .containsEntry(AttributeKey.doubleKey("gen_ai.evaluation.score.value"), 7.0)
                    .containsEntry(AttributeKey.stringKey("gen_ai.evaluation.score.label"), "7")
                    .containsKey(AttributeKey.stringKey("gen_ai.evaluation.explanation"));
            assertThat(events.get(1).getAttributes().asMap())
                    .containsEntry(AttributeKey.stringKey("gen_ai.evaluation.name"), "relevance")
                    .containsEntry(AttributeKey.stringKey("gen_ai.evaluation.score.label"), "relevant")
                    .containsEntry(AttributeKey.stringKey("gen_ai.response.id"), "chatcmpl-9")
                    .doesNotContainKey(AttributeKey.doubleKey("gen_ai.evaluation.score.value"));
        }
    }
}
