package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model ids without their provider prefix fail before anything reaches the wire, as a failed
 * future (never a throw from {@code chatAsync}), with the prefixed id the user probably meant.
 */
class OpenRouterModelIdTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final String REPLY = """
            {"id": "gen-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    private OpenRouterChatClient client;

    @BeforeEach
    void start() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
        client = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-modelids")
                .baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1")
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static ChatRequest.Builder request(String model) {
        return ChatRequest.builder().model(model).user("Hi");
    }

    private LlmException failureOf(ChatRequest request) {
        CompletableFuture<ChatResponse> future = client.chatAsync(request);
        assertThat(future).failsWithin(Duration.ofSeconds(5));
        return LlmException.from(future.handle((r, t) -> t).join());
    }

    @Test
    void idWithoutProviderIsRejectedBeforeTheCallWithTheSuggestedId() {
        LlmException e = failureOf(request("gpt-4.1-mini").build());

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.attemptCount()).isZero();
        assertThat(e.backend()).isEqualTo("openrouter");
        assertThat(e.model()).isEqualTo("gpt-4.1-mini");
        assertThat(e.getMessage())
                .isEqualTo(
                        "model id 'gpt-4.1-mini' has no provider prefix; OpenRouter expects e.g. 'openai/gpt-4.1-mini'");
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void chatThrowsTheSameErrorUnwrapped() {
        LlmException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                LlmException.class, () -> client.chat(request("claude-3-haiku").build()));

        assertThat(e.getMessage()).contains("'anthropic/claude-3-haiku'");
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void unknownFamilyGetsTheGenericShape() {
        LlmException e = failureOf(request("my-finetune").build());

        assertThat(e.getMessage()).contains("'<provider>/my-finetune'", "'openai/gpt-4o-mini'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/gpt-4o", "openai/", "openai/gpt 4o"})
    void malformedIdsAreRejected(String model) {
        LlmException e = failureOf(request(model).build());

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.getMessage()).contains("'" + model + "'");
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "meta-llama/llama-3.1-8b-instruct:free",
                "openai/gpt-4o-mini:nitro",
                "openrouter/auto",
                "openai/gpt-4o-mini"
            })
    void prefixedIdsAndVariantSuffixesAreSent(String model) throws Exception {
        assertThat(client.chatAsync(request(model).build())
                        .get(5, TimeUnit.SECONDS)
                        .content())
                .isEqualTo("ok");

        wm.verify(
                1,
                postRequestedFor(anyUrl())
                        .withRequestBody(equalToJson("{\"model\": \"" + model
                                + "\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")));
    }

    @Test
    void fallbackModelsSentNativelyAreValidatedToo() {
        LlmException e = failureOf(request("openai/gpt-4o-mini")
                .fallbackModels("anthropic/claude-3-haiku", "gemini-flash-1.5")
                .build());

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.attemptCount()).isZero();
        assertThat(e.getMessage())
                .isEqualTo("fallback model id 'gemini-flash-1.5' has no provider prefix;"
                        + " OpenRouter expects e.g. 'google/gemini-flash-1.5'");
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void explicitModelsInExtraBodyAreValidated() {
        LlmException e = failureOf(request("openai/gpt-4o-mini")
                .extraBody("models", List.of("openai/gpt-4o-mini", "llama-3-8b"))
                .build());

        assertThat(e.getMessage())
                .startsWith("models entry 'llama-3-8b' has no provider prefix")
                .contains("'meta-llama/llama-3-8b'");
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void explicitModelsWinSoUnsentFallbackModelsAreNotValidated() throws Exception {
        ChatRequest r = request("openai/gpt-4o-mini")
                .extraBody("models", List.of("openai/gpt-4o-mini"))
                .fallbackModels("not-sent")
                .build();

        assertThat(client.chatAsync(r).get(5, TimeUnit.SECONDS).content()).isEqualTo("ok");
    }
}
