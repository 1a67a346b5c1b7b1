package io.github.llmbridge.core.internal.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.EnvProxySelector;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.httpproxy.Tinyproxy;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.settings.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link JsonHttp}, the one way backends make calls beside chat completions: JSON in and out,
 * error replies and transport failures mapped as chat calls' are, the key never shown, the reply
 * capped, the time limit kept, and the same proxies as the chat calls.
 */
class JsonHttpTest {

    private static final String KEY = "sk-jsonhttp-SECRET-0123456789";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static JsonHttp http() {
        return JsonHttp.builder("test").secrets(List.of(KEY)).build();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + wm.getPort() + path);
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + KEY);
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static void assertNoKeyIn(LlmException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(KEY);
        assertThat(e.headers().toString()).doesNotContain(KEY);
        e.providerMetadata().ifPresent(m -> assertThat(m.toString()).doesNotContain(KEY));
    }

    @Test
    void getReturnsTheJsonObjectSendingTheHeadersGiven() {
        wm.stubFor(get("/api/key").willReturn(okJson("{\"data\": {\"usage\": 1.5}}")));

        JsonHttp.Reply reply = http().get(uri("/api/key"), auth(), TIMEOUT);

        assertThat(reply.ok()).isTrue();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.jsonObject().path("data").path("usage").asDouble()).isEqualTo(1.5);
        wm.verify(
                1,
                getRequestedFor(urlEqualTo("/api/key"))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader("Accept", equalTo("application/json"))
                        .withHeader("User-Agent", equalTo(LibraryVersion.USER_AGENT)));
    }

    @Test
    void postSendsTheBodyAsJson() {
        wm.stubFor(post("/admin/flush").willReturn(okJson("{\"status\": \"flushed\"}")));
        JsonNode body = Json.MAPPER.createObjectNode().put("timeout", 2.5);

        JsonHttp.Reply reply = http().post(uri("/admin/flush"), Map.of(), body, TIMEOUT);

        assertThat(reply.jsonObject().path("status").asText()).isEqualTo("flushed");
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/admin/flush"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(equalToJson("{\"timeout\": 2.5}")));
    }

    @Test
    void anErrorStatusIsReturnedForTheCallerToRead() {
        wm.stubFor(get("/health/readiness").willReturn(json(503, "{\"detail\": \"database not connected\"}")));

        JsonHttp.Reply reply = http().get(uri("/health/readiness"), Map.of(), TIMEOUT);

        assertThat(reply.ok()).isFalse();
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().orElseThrow().path("detail").asText()).isEqualTo("database not connected");
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | BAD_REQUEST          | {"error": {"message": "bad field"}}
            401 | AUTHENTICATION       | {"error": {"code": 401, "message": "No auth credentials found"}}
            402 | INSUFFICIENT_CREDITS | {"error": {"code": 402, "message": "Insufficient credits"}}
            403 | PERMISSION           | {"error": {"code": 403, "message": "not allowed"}}
            404 | CONFIGURATION        | <html>Not Found</html>
            429 | RATE_LIMITED         | {"error": {"code": 429, "message": "slow down"}}
            500 | SERVER_ERROR         | {"detail": "disk full"}
            503 | SERVER_ERROR         | upstream unavailable
            """)
    void anErrorStatusIsMappedAsForChatCalls(int status, ErrorCategory category, String body) {
        wm.stubFor(get("/api/key").willReturn(json(status, body).withHeader("X-Request-Id", "req-42")));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(uri("/api/key"), Map.of(), TIMEOUT).jsonObject());

        assertThat(e.category()).isEqualTo(category);
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.backend()).isEqualTo("test");
        assertThat(e.headers()).containsEntry("x-request-id", "req-42");
        assertThat(e.getMessage()).contains("test answered HTTP " + status);
    }

    @Test
    void retryAfterOfAnErrorReplyIsKept() {
        wm.stubFor(get("/api/key")
                .willReturn(
                        json(429, "{\"error\": {\"message\": \"slow down\"}}").withHeader("Retry-After", "7")));

        LlmException e = http().get(uri("/api/key"), Map.of(), TIMEOUT).error();

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void theKeyNeverAppearsInMessagesHeadersOrMetadata() {
        wm.stubFor(get("/api/key")
                .willReturn(json(401, """
                        {"error": {"code": 401, "message": "Invalid key %s", "metadata": {"key": "%s"}}}""".formatted(KEY, KEY)).withHeader("X-Request-Id", "req-" + KEY)));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(uri("/api/key"), auth(), TIMEOUT).jsonObject());

        assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(e.getMessage()).contains("Invalid key [REDACTED]");
        assertThat(e.headers()).containsEntry("x-request-id", "req-[REDACTED]");
        assertNoKeyIn(e);
    }

    @Test
    void aHeaderValueTheJdkRefusesIsAConfigurationErrorWithoutTheKey() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(uri("/api/key"), Map.of("Authorization", "Bearer " + KEY + "\n"), TIMEOUT));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("cannot build GET");
        assertNoKeyIn(e);
        wm.verify(0, getRequestedFor(urlEqualTo("/api/key")));
    }

    @Test
    void anHtmlPageInsteadOfJsonIsAnInvalidResponseNotWorthRetrying() {
        wm.stubFor(get("/api/key")
                .willReturn(aResponse().withStatus(200).withBody("<html>login %s</html>".formatted(KEY))));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(uri("/api/key"), Map.of(), TIMEOUT).jsonObject());

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.httpStatus()).hasValue(200);
        assertThat(e.getMessage())
                .contains("GET http://127.0.0.1:" + wm.getPort() + "/api/key", "not a JSON object", "<html>login");
        assertNoKeyIn(e);
    }

    @Test
    void jsonThatIsNotAnObjectIsAnInvalidResponse() {
        wm.stubFor(get("/api/key").willReturn(okJson("[1, 2]")));

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(uri("/api/key"), Map.of(), TIMEOUT).jsonObject());

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("not a JSON object: [1, 2]");
    }

    @Test
    void aReplyOverTheSizeCapIsRefused() {
        wm.stubFor(get("/models").willReturn(okJson("{\"data\": \"" + "x".repeat(4096) + "\"}")));
        JsonHttp small = JsonHttp.builder("test").maxResponseBytes(1024).build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> small.get(uri("/models"), Map.of(), TIMEOUT));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("larger than the limit of 1024 bytes");
    }

    @Test
    void noReplyWithinTheTimeLimitIsATimeoutNamingTheLimit() {
        wm.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(5_000)));

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> http().get(uri("/slow"), Map.of(), Duration.ofMillis(200)));

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage())
                .contains("no reply from test at 127.0.0.1:" + wm.getPort(), "to GET /slow", "within 200 ms");
    }

    @Test
    void aRedirectIsThrownSayingWhereItPointsNotReturned() {
        wm.stubFor(get("/api/key")
                .willReturn(aResponse().withStatus(301).withHeader("Location", "https://example.org/api/key")));

        LlmException e = catchThrowableOfType(LlmException.class, () -> http().get(uri("/api/key"), Map.of(), TIMEOUT));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("redirecting to https://example.org/api/key", "not followed");
    }

    @Test
    void nobodyListeningIsAConnectionFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }

        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> http().get(URI.create("http://127.0.0.1:" + closed + "/health"), Map.of(), TIMEOUT));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("could not connect to test at 127.0.0.1:" + closed, "connection refused");
    }

    @Test
    void ofATransportSharesItsClientProxiesSecretsAndCap() {
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("chat")
                .secret(KEY)
                .maxResponseBytes(2048)
                .build()) {
            wm.stubFor(
                    get("/api/key").willReturn(json(401, "{\"error\": {\"message\": \"bad key %s\"}}".formatted(KEY))));

            JsonHttp http = JsonHttp.of(transport);
            LlmException e = http.get(uri("/api/key"), Map.of(), TIMEOUT).error();

            assertThat(http.proxySetup()).isSameAs(transport.proxySetup());
            assertThat(http.maxResponseBytes()).isEqualTo(2048);
            assertThat(e.backend()).isEqualTo("chat");
            assertThat(e.getMessage()).contains("bad key [REDACTED]");
            assertNoKeyIn(e);
        }
    }

    @Test
    void addedSecretsAreScrubbedToo() {
        String token = "admin-token-0123456789";
        wm.stubFor(get("/admin").willReturn(json(401, "{\"detail\": \"bad token %s\"}".formatted(token))));

        LlmException e = http().withSecrets(List.of(token))
                .get(uri("/admin"), Map.of(), TIMEOUT)
                .error();

        assertThat(e.getMessage()).contains("bad token [REDACTED]").doesNotContain(token);
    }

    /** Through a real forward proxy (tinyproxy; skipped when it is not installed). */
    @Test
    void callsGoThroughTheConfiguredHttpProxy() throws Exception {
        wm.stubFor(get("/api/key").willReturn(okJson("{\"ok\": true}")));
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret-pw")) {
            EnvProxySelector selector = EnvProxySelector.builder()
                    .settings(Settings.of(Map.of("HTTP_PROXY", proxy.url("alice", "s3cret-pw"))))
                    .proxyLoopback(true)
                    .build();
            JsonHttp viaProxy =
                    JsonHttp.builder("test").proxySetup(ProxySetup.of(selector)).build();

            JsonNode reply = viaProxy.get(uri("/api/key"), Map.of(), TIMEOUT).jsonObject();

            assertThat(reply.path("ok").asBoolean()).isTrue();
            assertThat(proxy.log()).contains("GET http://127.0.0.1:" + wm.getPort() + "/api/key");
        }
    }

    @Test
    void aProxyAskingForCredentialsIsThrownNamingTheProxy() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret-pw")) {
            EnvProxySelector selector = EnvProxySelector.builder()
                    .settings(Settings.of(Map.of("HTTP_PROXY", proxy.url(null, null))))
                    .proxyLoopback(true)
                    .build();
            JsonHttp viaProxy =
                    JsonHttp.builder("test").proxySetup(ProxySetup.of(selector)).build();

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> viaProxy.get(uri("/api/key"), Map.of(), TIMEOUT));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage())
                    .contains("HTTP proxy http://127.0.0.1:" + proxy.port() + " (from HTTP_PROXY)", "407");
            wm.verify(0, getRequestedFor(urlEqualTo("/api/key")));
        }
    }
}
