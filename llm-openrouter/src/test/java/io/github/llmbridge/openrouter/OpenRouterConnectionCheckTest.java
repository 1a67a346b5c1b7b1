package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.CheckStep.Status;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection check against a stub OpenRouter on loopback: each failing step and its fix. */
class OpenRouterConnectionCheckTest {

    private static final String KEY = "sk-or-v1-test-0123456789abcdef";
    private static final String CHAT = "/api/v1/chat/completions";

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static Settings settings(String baseUrl, String... more) {
        Map<String, String> env = new HashMap<>(
                Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", KEY, "OPENROUTER_BASE_URL", baseUrl));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return Settings.of(env);
    }

    private static Settings stub() {
        return settings("http://127.0.0.1:" + wm.getPort() + "/api/v1");
    }

    private static List<String> statuses(ConnectionReport report) {
        return report.steps().stream().map(s -> s.name() + "=" + s.status()).toList();
    }

    @Test
    void healthyBackendPassesEveryStepWithOneRequest() {
        wm.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson("""
                {"model":"openai/gpt-4o-mini","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        ConnectionReport report = ConnectionCheck.run(stub(), "openai/gpt-4o-mini");

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(statuses(report))
                .containsExactly(
                        "settings=OK",
                        "dns=OK",
                        "connect=OK",
                        "tls=SKIPPED",
                        "http=OK",
                        "auth=OK",
                        "model=OK",
                        "reply=OK");
        assertThat(report.step("reply").orElseThrow().detail()).isEqualTo("\"ok\"");
        wm.verify(1, postRequestedFor(urlEqualTo(CHAT)));
        assertThat(wm.getAllServeEvents().get(0).getRequest().getBodyAsString()).contains("\"max_tokens\":5");
    }

    @Test
    void refusedPortFailsConnectAndSkipsTheRest() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectionReport report =
                ConnectionCheck.run(settings("http://127.0.0.1:" + closed + "/api/v1"), "openai/gpt-4o-mini");

        assertThat(statuses(report))
                .containsExactly(
                        "settings=OK",
                        "dns=OK",
                        "connect=FAILED",
                        "tls=SKIPPED",
                        "http=SKIPPED",
                        "auth=SKIPPED",
                        "model=SKIPPED",
                        "reply=SKIPPED");
        assertThat(report.step("connect").orElseThrow().fix())
                .isEqualTo(
                        "OPENROUTER_BASE_URL http://127.0.0.1:" + closed
                                + "/api/v1 refused the connection: is a firewall in the way? Behind a corporate proxy set HTTPS_PROXY");
    }

    @Test
    void badKeyFailsAuthWithTheVariableToCheck() {
        wm.stubFor(post(urlEqualTo(CHAT))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":401,\"message\":\"No auth credentials found\"}}")));

        ConnectionReport report = ConnectionCheck.run(stub(), "openai/gpt-4o-mini");

        assertThat(statuses(report)).containsSubsequence("http=OK", "auth=FAILED", "model=SKIPPED", "reply=SKIPPED");
        CheckStep auth = report.step("auth").orElseThrow();
        assertThat(auth.fix()).isEqualTo("401 from OpenRouter: check OPENROUTER_API_KEY");
        assertThat(report.toString()).doesNotContain(KEY);
        wm.verify(1, postRequestedFor(urlEqualTo(CHAT))); // no retries
    }

    @Test
    void unknownModelFailsTheModelStep() {
        wm.stubFor(post(urlEqualTo(CHAT))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":404,\"message\":\"No endpoints found for acme/nope.\"}}")));

        ConnectionReport report = ConnectionCheck.run(stub(), "acme/nope");

        assertThat(statuses(report)).containsSubsequence("http=OK", "auth=OK", "model=FAILED", "reply=SKIPPED");
        assertThat(report.step("model").orElseThrow().fix()).contains("does not know model 'acme/nope'");
    }

    @Test
    void modelIdWithoutProviderIsCaughtBeforeTheWire() {
        ConnectionReport report = ConnectionCheck.run(stub(), "gpt-4o-mini");

        assertThat(report.step("model").orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(report.step("model").orElseThrow().fix())
                .isEqualTo("OpenRouter model ids need a provider prefix: try openai/gpt-4o-mini");
        assertThat(report.step("http").orElseThrow().status()).isEqualTo(Status.SKIPPED);
        wm.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void slowServerFailsWithinTheBudgetWithoutRetrying() {
        wm.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson("{\"choices\":[]}").withFixedDelay(5_000)));
        long start = System.nanoTime();

        ConnectionReport report = ConnectionCheck.run(stub(), "openai/gpt-4o-mini", Duration.ofMillis(1500));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        CheckStep http = report.step("http").orElseThrow();
        assertThat(http.status()).isEqualTo(Status.FAILED);
        assertThat(http.fix()).contains("OpenRouter accepted the connection but sent no reply");
        wm.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void badSettingIsTheFailedSettingsStepNamingTheVariable() {
        ConnectionReport report = ConnectionCheck.run(
                settings("http://127.0.0.1:1/api/v1", "LLM_MAX_ATTEMPTS", "many"), "openai/gpt-4o-mini");

        CheckStep first = report.steps().get(0);
        assertThat(first.name()).isEqualTo("settings");
        assertThat(first.status()).isEqualTo(Status.FAILED);
        assertThat(first.detail()).contains("LLM_MAX_ATTEMPTS", "many");
        assertThat(report.steps().subList(1, report.steps().size())).allMatch(s -> s.status() == Status.SKIPPED);
    }

    @Test
    void unresolvableHostFailsDns() {
        ConnectionReport report =
                ConnectionCheck.run(settings("http://no-such-host.invalid/api/v1"), "openai/gpt-4o-mini");

        assertThat(report.step("dns").orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(report.step("dns").orElseThrow().fix()).contains("check the host name in OPENROUTER_BASE_URL");
    }
}
