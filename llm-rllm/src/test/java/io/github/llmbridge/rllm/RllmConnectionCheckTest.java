package io.github.llmbridge.rllm;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.settings.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connection check (and so {@code llm-bridge doctor} and {@code check}) on the {@code rllm}
 * backend: it probes the gateway's {@code /health}, says which rLLM generation answered, and
 * checks that the gateway has a healthy worker.
 */
class RllmConnectionCheckTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static Settings settings() {
        return Settings.of(Map.of("LLM_BACKEND", "rllm", "RLLM_GATEWAY_URL", wm.baseUrl() + "/sessions/doctor/v1"));
    }

    private static void gateway010(String workers) {
        wm.stubFor(get(urlEqualTo("/health")).willReturn(okJson("{\"status\": \"ok\"}")));
        wm.stubFor(get(urlEqualTo("/health/workers")).willReturn(okJson(workers)));
        wm.stubFor(get(urlEqualTo("/admin/weight_version")).willReturn(notFound()));
        wm.stubFor(post(urlEqualTo("/sessions/doctor/v1/chat/completions")).willReturn(okJson("""
                {"model":"qwen","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));
    }

    @Test
    void aHealthyGatewayIsNamedWithItsGenerationAndWorkers() {
        gateway010("""
                {"workers": [{"worker_id": "0", "url": "http://127.0.0.1:8000", "api_path": "/v1", "healthy": true}],
                 "healthy": 1, "total": 1}""");

        ConnectionReport report = ConnectionCheck.run(settings(), "qwen");

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.steps())
                .extracting(CheckStep::name)
                .containsSubsequence("connect", "gateway", "workers", "http", "reply");
        assertThat(report.step("gateway").orElseThrow().detail()).contains("rLLM model gateway 0.1.0");
        assertThat(report.step("workers").orElseThrow().detail()).isEqualTo("1 of 1 workers healthy");
    }

    @Test
    void aGatewayWithoutAWorkerFailsTheWorkersStepSayingHowToAddOne() {
        gateway010("{\"workers\": [], \"healthy\": 0, \"total\": 0}");

        ConnectionReport report = ConnectionCheck.run(settings(), "qwen");

        assertThat(report.ok()).isFalse();
        assertThat(report.step("workers").orElseThrow().detail()).isEqualTo("the gateway has no worker");
        assertThat(report.step("workers").orElseThrow().fix())
                .contains("POST /admin/workers")
                .contains("RLLM_GATEWAY_URL");
    }

    @Test
    void aLiteLlmProxyAtTheGatewayUrlIsNamedAsSuch() {
        wm.stubFor(get(urlEqualTo("/health/liveliness")).willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get(urlEqualTo("/admin/flush-tracer"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(405)));

        ConnectionReport report = ConnectionCheck.run(settings(), "qwen");

        assertThat(report.ok()).isFalse();
        assertThat(report.step("gateway").orElseThrow().detail()).contains("rLLM's LiteLLM proxy");
        assertThat(report.step("gateway").orElseThrow().fix()).contains("this is a LiteLLM proxy, not the gateway");
    }
}
