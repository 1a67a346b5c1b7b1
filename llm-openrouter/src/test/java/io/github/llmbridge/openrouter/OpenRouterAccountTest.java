package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpenRouterAccount}: the key's credit, a generation's stats with its early 404 asked
 * again, the model catalogue and model checks, all with the client's URL, key and headers.
 */
class OpenRouterAccountTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-or-v1-ACCOUNTSECRET0042";

    private static String baseUrl() {
        return "http://127.0.0.1:" + wm.getPort() + "/api/v1";
    }

    private static OpenRouterAccount account() {
        try (OpenRouterChatClient client = OpenRouterChatClient.builder()
                .apiKey(KEY)
                .baseUrl(baseUrl())
                .title("RL Trainer")
                .build()) {
            return client.account().toBuilder()
                    .generationLookup(3, Duration.ofMillis(1))
                    .build();
        }
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    @Test
    void keyReportsLimitRemainingUsageAndTierWithTheClientsKeyAndHeaders() {
        wm.stubFor(get("/api/v1/key").willReturn(okJson("""
                {"data": {"label": "sk-or-v1-abc...xyz", "limit": 100, "limit_remaining": 74.5, "usage": 25.5,
                          "is_free_tier": false, "limit_reset": "monthly", "rate_limit": {"requests": 1000, "interval": "1h"}}}
                """)));

        KeyInfo key = account().key();

        assertThat(key.limit()).hasValue(100.0);
        assertThat(key.limitRemaining()).hasValue(74.5);
        assertThat(key.usage()).hasValue(25.5);
        assertThat(key.freeTier()).isFalse();
        assertThat(key.exhausted()).isFalse();
        assertThat(key.label()).hasValue("sk-or-v1-abc...xyz");
        assertThat(key.raw().path("limit_reset").asText()).isEqualTo("monthly");
        assertThat(key.toString()).doesNotContain("sk-or");
        wm.verify(
                1,
                getRequestedFor(urlEqualTo("/api/v1/key"))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader("X-OpenRouter-Title", equalTo("RL Trainer"))
                        .withHeader("X-Title", equalTo("RL Trainer")));
    }

    @Test
    void unlimitedFreeTierKeyHasNoLimit() {
        wm.stubFor(get("/api/v1/key").willReturn(okJson("""
                {"data": {"label": "trainer", "limit": null, "limit_remaining": null, "usage": 0, "is_free_tier": true}}
                """)));

        KeyInfo key = account().key();

        assertThat(key.limit()).isEmpty();
        assertThat(key.limitRemaining()).isEmpty();
        assertThat(key.freeTier()).isTrue();
        assertThat(key.exhausted()).isFalse();
    }

    @Test
    void exhaustedKeyIsReported() {
        wm.stubFor(get("/api/v1/key").willReturn(okJson("""
                {"data": {"limit": 5, "limit_remaining": 0, "usage": 5, "is_free_tier": false}}
                """)));

        assertThat(account().key().exhausted()).isTrue();
    }

    @Test
    void badKeyIsAuthenticationWithoutTheKey() {
        wm.stubFor(get("/api/v1/key").willReturn(json(401, """
                {"error": {"code": 401, "message": "No auth credentials found for %s"}}""".formatted(KEY))));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> account().key());

        assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("No auth credentials").doesNotContain(KEY);
    }

    @Test
    void htmlInsteadOfJsonIsAnInvalidResponse() {
        wm.stubFor(get("/api/v1/key").willReturn(aResponse().withStatus(200).withBody("<html>login</html>")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> account().key());

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage()).contains("not a JSON object", "<html>login</html>");
    }

    @Test
    void generationAsksAgainWhileOpenRouterAnswers404() {
        String notYet = """
                {"error": {"code": 404, "message": "Generation gen-9 not found"}}""";
        wm.stubFor(get(urlPathEqualTo("/api/v1/generation"))
                .inScenario("gen")
                .whenScenarioStateIs(STARTED)
                .willReturn(json(404, notYet))
                .willSetStateTo("second"));
        wm.stubFor(get(urlPathEqualTo("/api/v1/generation"))
                .inScenario("gen")
                .whenScenarioStateIs("second")
                .willReturn(json(404, notYet))
                .willSetStateTo("recorded"));
        wm.stubFor(get(urlPathEqualTo("/api/v1/generation"))
                .inScenario("gen")
                .whenScenarioStateIs("recorded")
                .willReturn(okJson("""
                        {"data": {"id": "gen-9", "model": "openai/gpt-4o-mini", "provider_name": "OpenAI",
                                  "total_cost": 0.00012, "native_tokens_prompt": 11, "native_tokens_completion": 7,
                                  "native_finish_reason": "stop", "latency": 350, "generation_time": 900}}
                        """)));

        GenerationStats stats = account().generation("gen-9");

        assertThat(stats.id()).isEqualTo("gen-9");
        assertThat(stats.model()).isEqualTo("openai/gpt-4o-mini");
        assertThat(stats.providerName()).hasValue("OpenAI");
        assertThat(stats.totalCost()).hasValue(0.00012);
        assertThat(stats.nativePromptTokens()).isEqualTo(11);
        assertThat(stats.nativeCompletionTokens()).isEqualTo(7);
        assertThat(stats.nativeFinishReason()).hasValue("stop");
        assertThat(stats.latency()).hasValue(Duration.ofMillis(350));
        assertThat(stats.generationTime()).hasValue(Duration.ofMillis(900));
        wm.verify(3, getRequestedFor(urlEqualTo("/api/v1/generation?id=gen-9")));
    }

    @Test
    void generationStillUnknownAfterTheLastAttemptSaysToTryLater() {
        wm.stubFor(get(urlPathEqualTo("/api/v1/generation")).willReturn(json(404, """
                {"error": {"code": 404, "message": "Generation not found"}}""")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> account().generation("gen-missing"));

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(404);
        assertThat(e.attemptCount()).isEqualTo(3);
        assertThat(e.getMessage()).contains("no generation 'gen-missing' after 3 tries", "try again later");
        wm.verify(3, getRequestedFor(urlPathEqualTo("/api/v1/generation")));
    }

    @Test
    void generationFailuresOtherThan404AreNotAskedAgain() {
        wm.stubFor(get(urlPathEqualTo("/api/v1/generation")).willReturn(json(401, """
                {"error": {"code": 401, "message": "User not found."}}""")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> account().generation("gen-1"));

        assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/generation")));
    }

    @Test
    void modelsListsTheCatalogue() {
        stubCatalogue();

        List<ModelInfo> models = account().models();

        assertThat(models)
                .extracting(ModelInfo::id)
                .containsExactly(
                        "openai/gpt-4o-mini", "anthropic/claude-3-haiku", "meta-llama/llama-3.1-8b-instruct:free");
        ModelInfo mini = models.get(0);
        assertThat(mini.name()).isEqualTo("OpenAI: GPT-4o-mini");
        assertThat(mini.contextLength()).isEqualTo(128000);
        assertThat(mini.promptPrice()).hasValue(0.00000015);
        assertThat(mini.completionPrice()).hasValue(0.0000006);
        assertThat(mini.supportedParameters()).contains("response_format", "seed");
    }

    @Test
    void checkModelsReportsUnknownIdsWithTheClosestKnownOnes() {
        stubCatalogue();

        List<UnknownModel> unknown = account()
                .checkModels(List.of(
                        "openai/gpt-4o-mini",
                        "openai/gpt-4o-mini:nitro",
                        "meta-llama/llama-3.1-8b-instruct:free",
                        "gpt-4o-mini",
                        "anthropic/claude-3-haiku-20240307",
                        "acme/unheard-of"));

        assertThat(unknown)
                .extracting(UnknownModel::id)
                .containsExactly("gpt-4o-mini", "anthropic/claude-3-haiku-20240307", "acme/unheard-of");
        assertThat(unknown.get(0).closest()).containsExactly("openai/gpt-4o-mini");
        assertThat(unknown.get(0).describe()).contains("no provider prefix", "did you mean openai/gpt-4o-mini?");
        assertThat(unknown.get(1).closest()).containsExactly("anthropic/claude-3-haiku");
        assertThat(unknown.get(1).problem())
                .isEqualTo("OpenRouter offers no model 'anthropic/claude-3-haiku-20240307'");
        assertThat(unknown.get(2).closest()).isEmpty();
        wm.verify(1, getRequestedFor(urlEqualTo("/api/v1/models")));
    }

    @Test
    void fromSettingsUsesTheClientsVariables() {
        wm.stubFor(get("/api/v1/key").willReturn(okJson("""
                {"data": {"limit": null, "usage": 1.5, "is_free_tier": false}}""")));

        OpenRouterAccount account = OpenRouterAccount.fromSettings(Settings.of(Map.of(
                "OPENROUTER_API_KEY",
                KEY,
                "OPENROUTER_BASE_URL",
                baseUrl(),
                "OPENROUTER_REFERER",
                "https://example.org")));

        assertThat(account.key().usage()).hasValue(1.5);
        assertThat(account.toString()).doesNotContain(KEY);
        wm.verify(
                1,
                getRequestedFor(urlEqualTo("/api/v1/key"))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader("HTTP-Referer", equalTo("https://example.org")));
    }

    @Test
    void missingKeyIsAConfigurationError() {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> OpenRouterAccount.builder().build());

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("OPENROUTER_API_KEY");
    }

    private static void stubCatalogue() {
        wm.stubFor(get("/api/v1/models").willReturn(okJson("""
                {"data": [
                  {"id": "openai/gpt-4o-mini", "name": "OpenAI: GPT-4o-mini", "context_length": 128000,
                   "pricing": {"prompt": "0.00000015", "completion": "0.0000006"},
                   "supported_parameters": ["temperature", "response_format", "seed"]},
                  {"id": "anthropic/claude-3-haiku", "name": "Anthropic: Claude 3 Haiku", "context_length": 200000,
                   "pricing": {"prompt": "0.00000025", "completion": "0.00000125"}},
                  {"id": "meta-llama/llama-3.1-8b-instruct:free", "context_length": 131072,
                   "pricing": {"prompt": "0", "completion": "0"}}
                ]}
                """)));
    }
}
