package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LiteLLM's request options on the wire: proxy-side {@code num_retries}, {@code fallbacks} and
 * {@code timeout} only when set, client defaults under request values, tags, and the key in
 * {@code x-litellm-api-key} instead of {@code Authorization} when configured.
 */
class LiteLlmRequestOptionsTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final String PATH = "/v1/chat/completions";
    private static final String KEY = "sk-litellm-options-key-0042";

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "c", "choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "ok"}}]}
                """)));
    }

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static ChatRequest.Builder judge() {
        return ChatRequest.builder().model("gpt-4o-mini").user("Hi");
    }

    @Test
    void proxySideOptionsAreSentAsNumRetriesFallbacksAndTimeout() {
        ChatRequest.Builder request = judge();
        LiteLlmOptions.builder()
                .numRetries(0)
                .fallbacks("gpt-4o", "claude-3-haiku")
                .timeout(Duration.ofMillis(30_500))
                .build()
                .applyTo(request);

        try (LiteLlmChatClient c = LiteLlmChatClient.builder().serverUrl(root()).build()) {
            c.chat(request.build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "num_retries": 0, "fallbacks": ["gpt-4o", "claude-3-haiku"], "timeout": 30.5}
                """)));
    }

    @Test
    void clientFallbackModelsAreNotSentAsProxyFallbacks() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().serverUrl(root()).build()) {
            c.chat(judge().fallbackModels("gpt-4o").build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }

    @Test
    void clientDefaultOptionsApplyUnlessTheRequestSetsThem() {
        LiteLlmOptions defaults = LiteLlmOptions.builder()
                .numRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl(root())
                .defaultOptions(defaults)
                .build()) {
            c.chat(LiteLlmOptions.builder().numRetries(2).build().applyTo(judge().build()));
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "num_retries": 2, "timeout": 20.0}
                """)));
    }

    @Test
    void litellmNumRetriesSetsTheProxyRetriesOfEveryCall() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", root(), "LITELLM_NUM_RETRIES", "0"))) {
            c.chat(judge().build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "num_retries": 0}
                """)));
    }

    @Test
    void aNegativeLitellmNumRetriesIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> ChatClients.fromEnv(Map.of("LITELLM_NUM_RETRIES", "-1")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LITELLM_NUM_RETRIES", "'-1'");
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> LiteLlmOptions.builder().numRetries(-1)).hasMessageContaining("numRetries");
        assertThatThrownBy(() -> LiteLlmOptions.builder().fallbacks("gpt-4o", " "))
                .hasMessageContaining("fallback");
        assertThatThrownBy(() -> LiteLlmOptions.builder().timeout(Duration.ZERO))
                .hasMessageContaining("timeout");
    }

    @Test
    void tagsAreSentOnlyWhenTheRequestHasSome() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().serverUrl(root()).build()) {
            c.chat(judge().tags("judge", "rubric-v2").build());
            c.chat(judge().build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "tags": ["judge", "rubric-v2"]}
                """)));
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }

    @Test
    void theKeyGoesInXLitellmApiKeyWhenConfiguredInCode() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl(root())
                .apiKey(KEY)
                .keyHeader(LiteLlmKeyHeader.X_LITELLM_API_KEY)
                .build()) {
            c.chat(judge().build());
            assertThat(c.toString()).contains("keyHeader=x-litellm-api-key").doesNotContain(KEY);
        }

        wm.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("x-litellm-api-key", equalTo(KEY))
                        .withHeader("Authorization", absent()));
    }

    @Test
    void theKeyGoesInXLitellmApiKeyWhenTheEnvironmentSaysSo() {
        try (ChatClient c = ChatClients.fromEnv(Map.of(
                "LITELLM_PROXY_URL", root(), "LITELLM_API_KEY", KEY, "LITELLM_KEY_HEADER", "X-LiteLLM-API-Key"))) {
            c.chat(judge().build());
        }

        wm.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("x-litellm-api-key", equalTo(KEY))
                        .withHeader("Authorization", absent()));
    }

    @Test
    void theKeyGoesInAuthorizationByDefault() {
        try (ChatClient c = ChatClients.fromEnv(
                Map.of("LITELLM_PROXY_URL", root(), "LITELLM_API_KEY", KEY, "LITELLM_KEY_HEADER", "authorization"))) {
            c.chat(judge().build());
        }

        wm.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader("x-litellm-api-key", absent()));
    }

    @Test
    void anUnknownKeyHeaderIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> ChatClients.fromEnv(Map.of("LITELLM_KEY_HEADER", "api-key")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LITELLM_KEY_HEADER", "x-litellm-api-key", "'api-key'");
    }

    @Test
    void builderApplySettingsReadsTheLiteLlmVariablesToo() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl(root())
                .applySettings(io.github.llmbridge.core.settings.Settings.of(Map.of("LITELLM_METADATA_MODE", "none")))
                .build()) {
            assertThat(c.metadataMode()).isEqualTo(LiteLlmMetadataMode.NONE);
        }
    }
}
