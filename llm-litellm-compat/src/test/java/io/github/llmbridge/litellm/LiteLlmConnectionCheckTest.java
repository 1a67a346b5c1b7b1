package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection check of the LiteLLM backend: the proxy's health endpoints, then the request. */
class LiteLlmConnectionCheckTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static Settings settings(String url) {
        return Settings.of(Map.of("LITELLM_PROXY_URL", url, "LITELLM_API_KEY", "sk-litellm-0123456789"));
    }

    @Test
    void healthyProxyPassesLivelinessReadinessAndTheRequest() {
        wm.stubFor(get(urlEqualTo("/health/liveliness")).willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get(urlEqualTo("/health/readiness")).willReturn(okJson("""
                {"status": "healthy", "db": "connected", "litellm_version": "1.50.0"}""")));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"model":"gpt-4o-mini","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        ConnectionReport report = ConnectionCheck.run(settings(wm.baseUrl()), "gpt-4o-mini");

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.steps())
                .extracting(s -> s.name())
                .containsExactly(
                        "settings",
                        "dns",
                        "connect",
                        "tls",
                        "liveliness",
                        "readiness",
                        "rllm",
                        "http",
                        "auth",
                        "model",
                        "reply");
        assertThat(report.step("readiness").orElseThrow().detail())
                .isEqualTo("ready (status healthy, db connected, LiteLLM 1.50.0)");
        assertThat(report.step("rllm").orElseThrow().detail()).startsWith("a stock LiteLLM proxy");
    }

    @Test
    void rllmsOldProxyIsNamedByItsPostOnlyFlushRoute() {
        wm.stubFor(get(urlEqualTo("/health/liveliness")).willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get(urlEqualTo("/health/readiness")).willReturn(okJson("{\"status\": \"healthy\"}")));
        wm.stubFor(get(urlEqualTo("/admin/flush-tracer"))
                .willReturn(aResponse().withStatus(405).withBody("{\"detail\": \"Method Not Allowed\"}")));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        ConnectionReport report = ConnectionCheck.run(settings(wm.baseUrl()), "gpt-4o-mini");

        assertThat(report.step("rllm").orElseThrow().detail())
                .isEqualTo("rLLM's LiteLLM proxy (rLLM v0.2.1 to v0.3.0-pre): it has POST /admin/flush-tracer");
        wm.verify(0, postRequestedFor(urlEqualTo("/admin/flush-tracer")));
    }

    @Test
    void rllmsModelGatewayInsteadOfAProxyFailsSayingWhichBackendToUse() {
        wm.stubFor(get(urlEqualTo("/health")).willReturn(okJson("{\"status\": \"ok\"}")));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        ConnectionReport report = ConnectionCheck.run(settings(wm.baseUrl()), "gpt-4o-mini");

        assertThat(report.ok()).isFalse();
        assertThat(report.step("liveliness").orElseThrow().detail()).startsWith("this is rLLM's model gateway");
        assertThat(report.step("liveliness").orElseThrow().fix()).contains("LLM_BACKEND=rllm");
        assertThat(report.step("readiness")).isEmpty();
    }

    @Test
    void proxyNotRunningSaysSo() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectionReport report = ConnectionCheck.run(settings("http://localhost:" + closed), "gpt-4o-mini");

        assertThat(report.step("connect").orElseThrow().fix())
                .isEqualTo("LITELLM_PROXY_URL http://localhost:" + closed
                        + " refused the connection: is the proxy running?");
        assertThat(report.step("liveliness")).isEmpty();
    }

    @Test
    void unknownModelOnTheProxyFailsTheModelStep() {
        wm.stubFor(get(urlEqualTo("/health/liveliness")).willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get(urlEqualTo("/health/readiness")).willReturn(okJson("{\"status\": \"healthy\"}")));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                        {"error":{"message":"Invalid model name passed in model=gpt-5-judge","type":"invalid_request_error","code":"400"}}""")));

        ConnectionReport report = ConnectionCheck.run(settings(wm.baseUrl()), "gpt-5-judge");

        assertThat(report.step("auth").orElseThrow().status().name()).isEqualTo("OK");
        assertThat(report.step("model").orElseThrow().fix()).contains("does not know model 'gpt-5-judge'");
    }

    @Test
    void proxyThatIsUpButNotReadyFailsReadiness() {
        wm.stubFor(get(urlEqualTo("/health/liveliness")).willReturn(okJson("\"I'm alive!\"")));
        wm.stubFor(get(urlEqualTo("/health/readiness"))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\": \"database not connected\"}")));
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        ConnectionReport report = ConnectionCheck.run(settings(wm.baseUrl()), "gpt-4o-mini");

        assertThat(report.ok()).isFalse();
        assertThat(report.step("readiness").orElseThrow().detail()).contains("database not connected");
        assertThat(report.step("reply").orElseThrow().status().name()).isEqualTo("OK");
    }
}
