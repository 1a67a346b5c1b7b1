package io.github.llmbridge.otel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.config.ChatClients;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer as {@code fromEnv()} adds it: only with {@code LLM_OTEL=true}, outermost, with the
 * global OpenTelemetry; trace context on the wire; the server's address; gauges of the layers
 * beneath. Against a LiteLLM stub, the real transport.
 */
class OpenTelemetryFromEnvTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    @RegisterExtension
    static final WireMockExtension litellm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private static ChatRequest request() {
        return ChatRequest.builder().model("acme/judge-1").user("Rate this.").build();
    }

    private void stubReply() {
        litellm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"chatcmpl-1\",\"model\":\"acme/judge-1\",\"choices\":[{\"index\":0,"
                                + "\"message\":{\"role\":\"assistant\",\"content\":\"7\"},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")));
    }

    private static MetricData metric(String name) {
        return otel.getMetrics().stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    @Test
    void withLlmOtelTheCallIsTracedAndTheRequestCarriesItsTraceContext() {
        stubReply();
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND", "litellm",
                "LITELLM_PROXY_URL", litellm.baseUrl(),
                "LLM_OTEL", "true",
                "LLM_BUDGET_TOKENS", "1000",
                "LLM_TRACE_DB", dir.resolve("traces.db").toString()))) {
            client.chat(request());

            assertThat(client).isInstanceOf(OpenTelemetryChatClient.class);
            SpanData span = otel.getSpans().stream()
                    .filter(s -> s.getKind() == SpanKind.CLIENT)
                    .findFirst()
                    .orElseThrow();
            List<LoggedRequest> sent = litellm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
            assertThat(sent)
                    .singleElement()
                    .satisfies(r -> assertThat(r.getHeader("traceparent"))
                            .isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                                    + span.getSpanContext().getTraceFlags().asHex()));
            assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                    .isEqualTo("litellm");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address")))
                    .isEqualTo(java.net.URI.create(litellm.baseUrl()).getHost());
            assertThat(span.getAttributes().get(AttributeKey.longKey("server.port")))
                    .isEqualTo((long) litellm.getPort());
            assertThat(span.getInstrumentationScopeInfo().getSchemaUrl()).isEqualTo(GenAi.SCHEMA_URL);
            assertThat(metric("llm_bridge.budget.spent.tokens")
                            .getLongGaugeData()
                            .getPoints()
                            .iterator()
                            .next()
                            .getValue())
                    .isEqualTo(6);
            assertThat(metric("llm_bridge.trace.backlog").getLongGaugeData().getPoints())
                    .isNotEmpty();
            assertThat(metric("llm_bridge.trace.dropped").getLongSumData().getPoints())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isZero());
            assertThat(metric("llm_bridge.client.queue.length")
                            .getLongGaugeData()
                            .getPoints())
                    .isNotEmpty();
            assertThat(metric("llm_bridge.client.retries_refused")
                            .getLongSumData()
                            .getPoints())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isZero());
        }
    }

    @Test
    void theOptInVariableDropsTheDeprecatedAttribute() {
        stubReply();
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND", "litellm",
                "LITELLM_PROXY_URL", litellm.baseUrl(),
                "LLM_OTEL", "true",
                "OTEL_SEMCONV_STABILITY_OPT_IN", "http, gen_ai_latest_experimental"))) {
            client.chat(request());

            assertThat(otel.getSpans())
                    .filteredOn(s -> s.getKind() == SpanKind.CLIENT)
                    .singleElement()
                    .satisfies(s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.system")))
                            .isNull());
        }
    }

    @Test
    void withoutLlmOtelNothingIsAddedOrEmitted() {
        stubReply();
        for (Map<String, String> env : List.of(
                Map.of("LLM_BACKEND", "litellm", "LITELLM_PROXY_URL", litellm.baseUrl()),
                Map.of("LLM_BACKEND", "litellm", "LITELLM_PROXY_URL", litellm.baseUrl(), "LLM_OTEL", "false"))) {
            try (ChatClient client = ChatClients.fromEnv(env)) {
                client.chat(request());

                assertThat(client.unwrap(OpenTelemetryChatClient.class)).isEmpty();
            }
        }

        assertThat(otel.getSpans()).isEmpty();
        assertThat(otel.getMetrics()).isEmpty();
        assertThat(litellm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.containsHeader("traceparent")).isFalse());
    }
}
