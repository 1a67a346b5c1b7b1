package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LiteLlmServer}: liveliness, readiness and health checks, and rLLM's admin flush, with
 * and without the admin token.
 */
class LiteLlmServerTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-proxy-health-key-31337";
    private static final String ADMIN_TOKEN = "admin-token-s3cr3t-value-77";

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static LiteLlmServer server() {
        return LiteLlmServer.builder()
                .serverUrl(root())
                .apiKey(KEY)
                .adminToken(ADMIN_TOKEN)
                .build();
    }

    private static LiteLlmServer proxyWithoutToken() {
        return LiteLlmServer.builder().serverUrl(root()).build();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static void assertNoSecretsIn(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(ADMIN_TOKEN).doesNotContain(KEY);
    }

    @Nested
    class Liveliness {

        @Test
        void aliveWhenTheProxySaysSo() {
            wm.stubFor(get("/health/liveliness").willReturn(okJson("\"I'm alive!\"")));

            assertThat(server().liveliness()).isTrue();
            wm.verify(getRequestedFor(urlEqualTo("/health/liveliness")).withHeader("Authorization", absent()));
        }

        @Test
        void notAliveOnAnErrorStatus() {
            wm.stubFor(get("/health/liveliness").willReturn(aResponse().withStatus(503)));

            assertThat(server().liveliness()).isFalse();
        }

        @Test
        void notAliveWhenNothingListens() throws Exception {
            try (Socket holder = new Socket()) {
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                LiteLlmServer nobody = LiteLlmServer.builder()
                        .serverUrl("http://127.0.0.1:" + holder.getLocalPort())
                        .build();

                assertThat(nobody.liveliness()).isFalse();
            }
        }

        @Test
        void waitUntilReadyReturnsOnceTheProxyIsAlive() {
            wm.stubFor(get("/health/liveliness")
                    .inScenario("startup")
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(503))
                    .willSetStateTo("booting"));
            wm.stubFor(get("/health/liveliness")
                    .inScenario("startup")
                    .whenScenarioStateIs("booting")
                    .willReturn(aResponse().withStatus(503))
                    .willSetStateTo("up"));
            wm.stubFor(get("/health/liveliness")
                    .inScenario("startup")
                    .whenScenarioStateIs("up")
                    .willReturn(okJson("\"I'm alive!\"")));

            server().waitUntilReady(Duration.ofSeconds(30));

            wm.verify(3, getRequestedFor(urlEqualTo("/health/liveliness")));
        }

        @Test
        void waitUntilReadyTimesOutSayingWhatItSaw() {
            wm.stubFor(get("/health/liveliness").willReturn(json(503, "{\"detail\": \"starting\"}")));

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> server().waitUntilReady(Duration.ofMillis(300)));

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage())
                    .contains(
                            "127.0.0.1:" + wm.getPort(),
                            "not alive after 300 ms",
                            "HTTP 503",
                            "starting",
                            "LITELLM_PROXY_URL");
        }
    }

    @Test
    void waitUntilReadyOnRllmsModelGatewayFailsAtOnceSayingWhatItIs() {
        wm.stubFor(get("/health/liveliness").willReturn(json(404, "{\"detail\": \"Not Found\"}")));
        wm.stubFor(get("/health").willReturn(okJson("{\"status\": \"ok\"}")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> server().waitUntilReady(Duration.ofSeconds(30)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("rLLM's model gateway", "LLM_BACKEND=rllm");
        wm.verify(1, getRequestedFor(urlEqualTo("/health/liveliness")));
    }

    @Nested
    class Readiness {

        @Test
        void readyWhenHealthy() {
            wm.stubFor(get("/health/readiness").willReturn(okJson("""
                    {"status": "healthy", "db": "connected", "cache": null, "litellm_version": "1.74.0",
                     "success_callbacks": ["TracingCallback"], "last_updated": "2025-01-01T00:00:00"}
                    """)));

            ServerReadiness r = server().readiness();

            assertThat(r).isEqualTo(new ServerReadiness(true, 200, "healthy", "connected", "1.74.0", ""));
        }

        @Test
        void readyWhenTheReplyIsNotEvenJson() {
            wm.stubFor(get("/health/readiness")
                    .willReturn(aResponse().withStatus(200).withBody("ok")));

            ServerReadiness r = server().readiness();

            assertThat(r.ready()).isTrue();
            assertThat(r.status()).isEmpty();
        }

        @Test
        void notReadyOn503WithTheReason() {
            wm.stubFor(get("/health/readiness")
                    .willReturn(json(503, "{\"detail\": \"Service Unhealthy (Database not connected)\"}")));

            ServerReadiness r = server().readiness();

            assertThat(r.ready()).isFalse();
            assertThat(r.httpStatus()).isEqualTo(503);
            assertThat(r.detail()).contains("HTTP 503", "Database not connected");
        }

        @Test
        void notReadyWhenItCallsItselfUnhealthy() {
            wm.stubFor(get("/health/readiness")
                    .willReturn(okJson("{\"status\": \"unhealthy\", \"db\": \"Not connected\"}")));

            ServerReadiness r = server().readiness();

            assertThat(r.ready()).isFalse();
            assertThat(r.db()).isEqualTo("Not connected");
        }

        @Test
        void notReadyWhenNothingListens() throws Exception {
            try (Socket holder = new Socket()) {
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerReadiness r = LiteLlmServer.builder()
                        .serverUrl("http://127.0.0.1:" + holder.getLocalPort())
                        .build()
                        .readiness();

                assertThat(r.ready()).isFalse();
                assertThat(r.httpStatus()).isZero();
                assertThat(r.detail()).contains("could not connect", "is it running");
            }
        }
    }

    @Nested
    class Health {

        @Test
        void sendsTheKeyAndReportsHealthyAndUnhealthyEndpoints() {
            wm.stubFor(get("/health").willReturn(okJson("""
                    {"healthy_endpoints": [{"model": "openai/gpt-4o-mini", "api_base": "https://api.openai.com/v1"}],
                     "unhealthy_endpoints": [{"model": "anthropic/claude-3-haiku", "error": "AuthenticationError: bad key %s"}],
                     "healthy_count": 1, "unhealthy_count": 1}
                    """.formatted(KEY))));

            ServerHealth h = server().health();

            assertThat(h.healthy())
                    .containsExactly(new ServerHealth.Endpoint("openai/gpt-4o-mini", "https://api.openai.com/v1", ""));
            assertThat(h.unhealthy()).hasSize(1);
            assertThat(h.unhealthy().get(0).model()).isEqualTo("anthropic/claude-3-haiku");
            assertThat(h.unhealthy().get(0).error())
                    .contains("AuthenticationError")
                    .doesNotContain(KEY);
            assertThat(h.allHealthy()).isFalse();
            wm.verify(getRequestedFor(urlEqualTo("/health")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        }

        @Test
        void sendsTheKeyInXLitellmApiKeyWhenConfigured() {
            wm.stubFor(get("/health")
                    .willReturn(okJson("{\"healthy_endpoints\": [{\"model\": \"m\"}], \"unhealthy_endpoints\": []}")));
            LiteLlmServer p = LiteLlmServer.fromSettings(Settings.of(Map.of(
                    "LITELLM_PROXY_URL", root(), "LITELLM_API_KEY", KEY, "LITELLM_KEY_HEADER", "x-litellm-api-key")));

            assertThat(p.health().allHealthy()).isTrue();
            wm.verify(getRequestedFor(urlEqualTo("/health"))
                    .withHeader("x-litellm-api-key", equalTo(KEY))
                    .withHeader("Authorization", absent()));
        }

        @Test
        void aRejectedKeyIsAnAuthenticationError() {
            wm.stubFor(get("/health").willReturn(json(401, """
                    {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = %s",
                               "type": "auth_error", "param": "None", "code": "401"}}
                    """.formatted(KEY))));

            LlmException e = catchThrowableOfType(LlmException.class, () -> server().health());

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("Invalid proxy server token");
            assertNoSecretsIn(e);
        }

        @Test
        void aHealthEndpointThatIsNotThereSaysTheProxyUrlIsWrong() {
            wm.stubFor(get("/health").willReturn(json(404, "{\"detail\": \"Not Found\"}")));

            LlmException e = catchThrowableOfType(LlmException.class, () -> server().health());

            assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            assertThat(e.getMessage()).contains("proxy URL is probably wrong", "LITELLM_PROXY_URL");
        }

        @Test
        void aReplyThatIsNotAReportIsAnInvalidResponse() {
            wm.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("<html>hi</html>")));

            LlmException e = catchThrowableOfType(LlmException.class, () -> server().health());

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertThat(e.getMessage()).contains("/health", "<html>hi</html>");
        }
    }

    @Nested
    class FlushTracer {

        private static final String FLUSHED = "{\"status\": \"flushed\", \"timeout\": 30.0}";

        @Test
        void postsTheTimeoutWithTheAdminToken() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(okJson(FLUSHED)));

            assertThat(server().flushTracer(Duration.ofSeconds(30))).isTrue();

            wm.verify(
                    1,
                    postRequestedFor(urlEqualTo("/admin/flush-tracer"))
                            .withHeader("Authorization", equalTo("Bearer " + ADMIN_TOKEN))
                            .withHeader("Content-Type", equalTo("application/json"))
                            .withRequestBody(equalToJson("{\"timeout\": 30.0}")));
        }

        @Test
        void sendsNoAuthorizationWithoutAnAdminTokenAndNeverTheApiKey() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(okJson(FLUSHED)));
            LiteLlmServer p =
                    LiteLlmServer.builder().serverUrl(root()).apiKey(KEY).build();

            assertThat(p.flushTracer(Duration.ofMillis(2_500))).isTrue();

            wm.verify(
                    1,
                    postRequestedFor(urlEqualTo("/admin/flush-tracer"))
                            .withHeader("Authorization", absent())
                            .withRequestBody(equalToJson("{\"timeout\": 2.5}")));
        }

        @Test
        void a404IsAConfigurationErrorAndNoOtherPathIsTried() {
            // No rLLM version has /admin/tracer/flush: a 404 means this is not rLLM's proxy.
            wm.stubFor(post("/admin/flush-tracer").willReturn(json(404, "{\"detail\": \"Not Found\"}")));

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> server().flushTracer(Duration.ofSeconds(5)));

            assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            assertThat(e.httpStatus()).hasValue(404);
            assertThat(e.getMessage())
                    .contains("no tracer flush endpoint", "rllm.sdk.proxy.litellm_server", "v0.3.0-pre")
                    .contains("RllmGateway.flush");
            wm.verify(0, postRequestedFor(urlEqualTo("/admin/tracer/flush")));
            assertNoSecretsIn(e);
        }

        @Test
        void aFlushThatTimedOutIsFalse() {
            wm.stubFor(
                    post("/admin/flush-tracer")
                            .willReturn(
                                    json(
                                            408,
                                            "{\"detail\": \"Tracer flush timed out or failed after 1.0s. Some traces may not be persisted.\"}")));

            assertThat(server().flushTracer(Duration.ofSeconds(1))).isFalse();
        }

        @Test
        void aWrongAdminTokenIsAClearAuthenticationErrorWithoutTheToken() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(json(401, "{\"detail\": \"invalid admin token\"}")));

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> server().flushTracer(Duration.ofSeconds(5)));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.httpStatus()).hasValue(401);
            assertThat(e.getMessage()).contains("invalid admin token", "was rejected", "--admin-token");
            assertNoSecretsIn(e);
        }

        @Test
        void aMissingAdminTokenSaysWhichVariableToSet() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(json(401, "{\"detail\": \"invalid admin token\"}")));

            LlmException e = catchThrowableOfType(
                    LlmException.class, () -> proxyWithoutToken().flushTracer(Duration.ofSeconds(5)));

            assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            assertThat(e.getMessage()).contains("requires an admin token", "LITELLM_ADMIN_TOKEN");
        }

        @Test
        void noTracerConfiguredIsAConfigurationError() {
            wm.stubFor(post("/admin/flush-tracer")
                    .willReturn(json(503, "{\"detail\": \"Tracer is not configured on this proxy\"}")));

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> server().flushTracer(Duration.ofSeconds(5)));

            assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            assertThat(e.httpStatus()).hasValue(503);
            assertThat(e.getMessage()).contains("proxy has no tracer configured");
        }

        @Test
        void aFailedFlushIsAServerError() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(json(500, "{\"detail\": \"disk full\"}")));

            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> server().flushTracer(Duration.ofSeconds(5)));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.getMessage()).contains("HTTP 500", "disk full");
        }

        @Test
        void theAdminTokenComesFromLitellmAdminToken() {
            wm.stubFor(post("/admin/flush-tracer").willReturn(okJson(FLUSHED)));
            LiteLlmServer p = LiteLlmServer.fromSettings(
                    Settings.of(Map.of("LITELLM_PROXY_URL", root() + "/v1", "LITELLM_ADMIN_TOKEN", ADMIN_TOKEN)));

            assertThat(p.flushTracer(Duration.ofSeconds(30))).isTrue();
            assertThat(p.toString()).contains("adminToken=set").doesNotContain(ADMIN_TOKEN);
            wm.verify(
                    1,
                    postRequestedFor(urlEqualTo("/admin/flush-tracer"))
                            .withHeader("Authorization", equalTo("Bearer " + ADMIN_TOKEN)));
        }

        @Test
        void anAdminTokenThatCannotBeSentIsAConfigurationErrorWithoutTheToken() {
            String bad = "admin-\u200Btoken-value";
            LlmException e = catchThrowableOfType(
                    LlmException.class,
                    () -> LiteLlmServer.fromSettings(Settings.of(Map.of("LITELLM_ADMIN_TOKEN", bad))));

            assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            assertThat(e.getMessage()).contains("LITELLM_ADMIN_TOKEN").doesNotContain(bad);
        }
    }

    @Test
    void toStringShowsNoSecrets() {
        assertThat(server().toString())
                .contains("apiKey=set", "adminToken=set")
                .doesNotContain(KEY)
                .doesNotContain(ADMIN_TOKEN);
        assertThat(proxyWithoutToken().toString()).contains("apiKey=none", "adminToken=none");
    }
}
