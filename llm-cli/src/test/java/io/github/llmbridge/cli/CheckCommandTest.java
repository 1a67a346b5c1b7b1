package io.github.llmbridge.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code llm-bridge check} and {@code llm-bridge doctor} as a script runs them: output and exit code. */
class CheckCommandTest {

    private static final String KEY = "sk-or-v1-abcdefghijklmnop-wxyz";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private Map<String, String> openRouter() {
        return Map.of(
                "USE_OPENROUTER_DIRECT",
                "true",
                "OPENROUTER_API_KEY",
                KEY,
                "OPENROUTER_BASE_URL",
                "http://127.0.0.1:" + wm.getPort() + "/api/v1",
                "DEMO_MODEL",
                "openai/gpt-4o-mini");
    }

    @Test
    void aBackendThatAnswersPassesWithExitZero() {
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions")).willReturn(okJson("""
                {"model":"openai/gpt-4o-mini","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));

        Cli.Result result = Cli.run(openRouter(), false, "check");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines())
                .startsWith("Connection check: backend openrouter, model openai/gpt-4o-mini")
                .contains("  ✓ auth       key accepted", "  ✓ reply      \"ok\"", "Result: ok");
        wm.verify(postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .withRequestBody(equalToJson("{\"model\":\"openai/gpt-4o-mini\"}", true, true)));
        assertThat(result.out() + result.err()).doesNotContain(KEY);
    }

    @Test
    void aRejectedKeyFailsWithExitOneAndTheFixAsJson() throws Exception {
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":401,\"message\":\"User not found.\"}}")));

        Cli.Result result =
                Cli.run(openRouter(), false, "check", "--model", "anthropic/claude-3.5-haiku", "-f", "json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("model").asText()).isEqualTo("anthropic/claude-3.5-haiku");
        JsonNode auth = null;
        for (JsonNode step : report.get("steps")) {
            if (step.get("name").asText().equals("auth")) {
                auth = step;
            }
        }
        assertThat(auth).isNotNull();
        assertThat(auth.get("status").asText()).isEqualTo("failed");
        assertThat(auth.get("fix").asText()).isEqualTo("401 from OpenRouter: check OPENROUTER_API_KEY");
        assertThat(result.out()).doesNotContain(KEY);
    }

    @Test
    void aBadSettingFailsTheFirstStepNamingTheVariable() {
        Cli.Result result = Cli.run(Map.of("USE_OPENROUTER_DIRECT", "maybe"), false, "check");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.outLines())
                .anyMatch(l -> l.startsWith("  ✗ settings") && l.contains("USE_OPENROUTER_DIRECT"))
                .last()
                .isEqualTo("Result: failed at settings");
    }

    @Test
    void doctorRunsAsACommandWithTheSameOutputAsBefore() {
        wm.stubFor(post(urlEqualTo("/api/v1/chat/completions")).willReturn(okJson("""
                {"model":"openai/gpt-4o-mini","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/api/v1/models"))
                .willReturn(okJson("{\"data\":[{\"id\":\"openai/gpt-4o-mini\",\"name\":\"GPT-4o mini\"}]}")));

        Cli.Result result = Cli.run(openRouter(), false, "doctor", "--budget", "10s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines())
                .contains(
                        "LLM Bridge doctor",
                        "  OPENROUTER_API_KEY               ****wxyz",
                        "  DEMO_MODEL                       openai/gpt-4o-mini",
                        "Connection check (model openai/gpt-4o-mini, at most 10 s)",
                        "  ✓ models     OpenRouter offers openai/gpt-4o-mini",
                        "Result: all checks passed.");

        Cli.Result broken = Cli.run(Map.of("USE_OPENROUTER_DIRECT", "maybe"), false, "doctor");
        assertThat(broken.exitCode()).isEqualTo(ExitCodes.FAILED);
    }
}
