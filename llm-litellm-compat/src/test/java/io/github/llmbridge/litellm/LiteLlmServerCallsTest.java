package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.EnvProxySelector;
import io.github.llmbridge.core.settings.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@link LiteLlmServer} makes its calls, now the same way as OpenRouter's account calls
 * ({@code JsonHttp}): the chat client's HTTP client, proxies and reply-size cap, error replies
 * mapped as chat calls' are (headers and {@code Retry-After} kept), redirects reported where they
 * point. The first three tests failed on the LiteLLM server's former calls; the last two keep what
 * those did well (the chat client's HTTP proxy; the variable to check when nothing answers).
 */
class LiteLlmServerCallsTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @RegisterExtension
    static final WireMockExtension proxyWm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-proxy-calls-key-424242";

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    @Test
    void aHealthReplyOverTheChatClientsSizeCapIsRefused() {
        wm.stubFor(get("/health")
                .willReturn(okJson("{\"healthy_endpoints\": [], \"padding\": \"" + "x".repeat(4096) + "\"}")));
        try (LiteLlmChatClient client = LiteLlmChatClient.builder()
                .serverUrl(root())
                .apiKey(KEY)
                .maxResponseBytes(1024)
                .build()) {
            LlmException e = catchThrowableOfType(
                    LlmException.class, () -> client.server().health());

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertThat(e.getMessage()).contains("larger than the limit of 1024 bytes");
        }
    }

    @Test
    void aRateLimitedHealthCheckKeepsRetryAfterAndTheProxysHeaders() {
        wm.stubFor(get("/health")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "12")
                        .withHeader("x-litellm-call-id", "call-7")
                        .withBody("{\"error\": {\"message\": \"rate limited\", \"code\": \"429\"}}")));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> LiteLlmServer.builder()
                        .serverUrl(root())
                        .apiKey(KEY)
                        .build()
                        .health());

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(12));
        assertThat(e.headers()).containsEntry("x-litellm-call-id", "call-7");
    }

    @Test
    void aRedirectedFlushSaysWhereItPointsInsteadOfABadRequest() {
        wm.stubFor(post("/admin/flush-tracer")
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", "https://proxy.example/admin/flush-tracer")));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> LiteLlmServer.builder()
                        .serverUrl(root())
                        .adminToken("admin-token-0123456789")
                        .build()
                        .flushTracer(Duration.ofSeconds(5)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("redirecting to https://proxy.example/admin/flush-tracer");
    }

    /**
     * A second stub server plays the HTTP forward proxy: a plain-http request through a proxy goes
     * to the proxy, with the target URL in its request line and the proxy credentials in
     * {@code Proxy-Authorization}; the target itself sees nothing.
     */
    @Test
    void theServerOfAChatClientTakesTheChatClientsHttpProxyWithItsCredentials() {
        proxyWm.stubFor(get("/health/liveliness").willReturn(okJson("\"I'm alive!\"")));
        String proxyUrl = "http://alice:s3cret-pw@127.0.0.1:" + proxyWm.getPort();
        try (LiteLlmChatClient client = LiteLlmChatClient.builder()
                .serverUrl(root())
                .proxySelector(EnvProxySelector.builder()
                        .settings(Settings.of(Map.of("HTTP_PROXY", proxyUrl)))
                        .proxyLoopback(true)
                        .build())
                .build()) {

            assertThat(client.server().liveliness()).isTrue();

            String basic =
                    "Basic " + Base64.getEncoder().encodeToString("alice:s3cret-pw".getBytes(StandardCharsets.UTF_8));
            proxyWm.verify(
                    1,
                    getRequestedFor(urlEqualTo("/health/liveliness"))
                            .withHeader("Proxy-Authorization", equalTo(basic)));
            wm.verify(0, getRequestedFor(urlEqualTo("/health/liveliness")));
        }
    }

    @Test
    void aServerNobodyListensOnNamesTheVariableToCheck() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> LiteLlmServer.builder()
                        .serverUrl("http://127.0.0.1:" + closed)
                        .apiKey(KEY)
                        .build()
                        .health());

        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.getMessage())
                .contains("could not connect", "127.0.0.1:" + closed, "is it running", "LITELLM_PROXY_URL");
    }
}
