package io.github.llmbridge.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The doctor's output for a healthy and a broken setup, line by line. */
class DoctorTest {

    private static final String KEY = "sk-or-v1-abcdefghijklmnop-wxyz";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private record Outcome(int exitCode, List<String> lines) {}

    private static Outcome doctor(Map<String, String> env, String... models) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Doctor.run(env, List.of(models), out, Duration.ofSeconds(10));
        String text = bytes.toString(StandardCharsets.UTF_8);
        return new Outcome(code, text.lines().map(String::stripTrailing).toList());
    }

    private Map<String, String> openRouter() {
        return Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                KEY,
                "OPENROUTER_BASE_URL",
                "http://127.0.0.1:" + wm.getPort() + "/api/v1",
                "HTTPS_PROXY",
                "http://bob:hunter2@corp-proxy:3128",
                "NO_PROXY",
                "internal.example");
    }

    @Test
    void healthyOpenRouterSetupPassesEveryCheckAndExitsZero() {
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions")).willReturn(okJson("""
                {"model":"openai/gpt-4o-mini","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));
        wm.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(okJson("""
                {"data":[{"id":"openai/gpt-4o-mini","name":"GPT-4o mini"}]}""")));

        Outcome result = doctor(openRouter(), "openai/gpt-4o-mini");

        assertThat(result.exitCode()).as(String.join("\n", result.lines())).isZero();
        assertThat(result.lines())
                .contains(
                        "LLM Bridge doctor",
                        "  USE_OPENROUTER_DIRECT            true",
                        "  OPENROUTER_API_KEY               ****wxyz",
                        "  HTTPS_PROXY                      http://****@corp-proxy:3128",
                        "Backend:  openrouter (USE_OPENROUTER_DIRECT=true)",
                        "Endpoint: http://127.0.0.1:" + wm.getPort() + "/api/v1 (OPENROUTER_BASE_URL)",
                        "Proxy:    direct (no proxy variable for http targets)",
                        "  ✓ openai/gpt-4o-mini provider prefix present",
                        "  - tls        skipped: plain http",
                        "  ✓ auth       key accepted",
                        "  ✓ reply      \"ok\"",
                        "  ✓ models     OpenRouter offers openai/gpt-4o-mini",
                        "Result: all checks passed.");
        assertThat(String.join("\n", result.lines())).doesNotContain(KEY, "hunter2");
    }

    @Test
    void brokenSetupShowsEachProblemWithItsFixAndExitsOne() {
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":401,\"message\":\"User not found.\"}}")));

        Outcome result = doctor(
                Map.of(
                        "USE_OPENROUTER_DIRECT",
                        "true",
                        "OPENROUTER_API_KEY",
                        KEY,
                        "OPENROUTER_BASE_URL",
                        "http://127.0.0.1:" + wm.getPort() + "/api/v1",
                        "LLM_FALLBACK_MODELS",
                        "gpt-4o-mini"),
                "openai/gpt-4o-mini");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines())
                .contains(
                        "      fix: OpenRouter model ids need a provider prefix: try openai/gpt-4o-mini",
                        "      fix: 401 from OpenRouter: check OPENROUTER_API_KEY",
                        "  - model      skipped: an earlier step failed",
                        "Result: 2 problems; fix the ✗ lines above.");
        assertThat(result.lines()).anyMatch(l -> l.startsWith("  ✗ gpt-4o-mini"));
        assertThat(result.lines()).anyMatch(l -> l.startsWith("  ✗ auth       openrouter answered HTTP 401"));
    }

    @Test
    void liteLlmProxyThatIsNotRunningIsNamedWithItsVariable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Outcome result = doctor(Map.of("LITELLM_PROXY_URL", "http://localhost:" + closed), "gpt-4o-mini");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines())
                .contains(
                        "Backend:  litellm (USE_OPENROUTER_DIRECT not set)",
                        "Proxy:    direct (no proxy variables set)",
                        "  - gpt-4o-mini not checked offline: the proxy's model list decides",
                        "      fix: LITELLM_PROXY_URL http://localhost:" + closed
                                + " refused the connection: is the proxy running?",
                        "Result: 1 problem; fix the ✗ lines above.");
    }

    @Test
    void invalidSettingIsReportedWithTheVariableAndNoStackTrace() {
        Outcome result = doctor(Map.of("USE_OPENROUTER_DIRECT", "maybe"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines())
                .anyMatch(l -> l.contains("✗ settings") && l.contains("USE_OPENROUTER_DIRECT") && l.contains("maybe"));
    }
}
