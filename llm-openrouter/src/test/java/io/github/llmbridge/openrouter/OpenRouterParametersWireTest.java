package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.ReasoningEffort;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed fields OpenRouter spells its own way (docs/WIRE.md#openrouter, from OpenRouter's
 * published {@code openapi.yaml}): the reasoning effort goes in {@code reasoning.effort}, merged
 * with the client's default reasoning options; {@code return_token_ids} is not sent; {@code n}
 * above 1 fails before the wire. {@code extraBody} sends any of them as given.
 */
class OpenRouterParametersWireTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final String REPLY = """
            {"id": "gen-1", "model": "openai/o4-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    @BeforeEach
    void stub() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder()
                .apiKey("sk-or-test-parameters")
                .baseUrl("http://127.0.0.1:" + wm.getPort());
    }

    private static ChatRequest.Builder judge() {
        return ChatRequest.builder().model("openai/o4-mini").user("Hi");
    }

    private static void send(OpenRouterChatClient.Builder builder, ChatRequest request) {
        try (OpenRouterChatClient c = builder.build()) {
            c.chat(request);
        }
    }

    private static void assertBody(String json) {
        wm.verify(1, postRequestedFor(anyUrl()).withRequestBody(equalToJson(json)));
    }

    @Test
    void sendsTheReasoningEffortAsOpenRoutersReasoningEffort() {
        send(client(), judge().reasoningEffort(ReasoningEffort.LOW).build());

        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"effort": "low"}}
                """);
    }

    @Test
    void theEffortJoinsTheClientsDefaultReasoningOptionsAndWinsOverADefaultBudget() {
        OpenRouterOptions defaults = OpenRouterOptions.builder()
                .reasoningMaxTokens(2000)
                .reasoningExclude(true)
                .build();

        send(
                client().defaultOptions(defaults),
                judge().reasoningEffort(ReasoningEffort.XHIGH).build());

        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"effort": "xhigh", "exclude": true}}
                """);
    }

    @Test
    void theRequestsEffortWinsOverADefaultEffort() {
        OpenRouterOptions defaults = OpenRouterOptions.builder()
                .reasoningEffort(ReasoningEffort.HIGH)
                .build();

        send(
                client().defaultOptions(defaults),
                judge().reasoningEffort(ReasoningEffort.MINIMAL).build());

        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"effort": "minimal"}}
                """);
    }

    @Test
    void withoutATypedEffortTheDefaultReasoningIsSentAsBefore() {
        OpenRouterOptions defaults = OpenRouterOptions.builder()
                .reasoningEffort(ReasoningEffort.HIGH)
                .build();

        send(client().defaultOptions(defaults), judge().build());

        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"effort": "high"}}
                """);
    }

    @Test
    void theRequestsOwnReasoningObjectGainsTheEffortUnlessItChoosesOne() {
        send(
                client(),
                judge().reasoningEffort(ReasoningEffort.LOW)
                        .extraBody("reasoning", Map.of("exclude", true))
                        .build());
        send(
                client(),
                judge().reasoningEffort(ReasoningEffort.LOW)
                        .extraBody("reasoning", Map.of("max_tokens", 1000))
                        .build());

        wm.verify(postRequestedFor(anyUrl()).withRequestBody(equalToJson("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"exclude": true, "effort": "low"}}
                """)));
        wm.verify(postRequestedFor(anyUrl()).withRequestBody(equalToJson("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning": {"max_tokens": 1000}}
                """)));
    }

    @Test
    void reasoningEffortInExtraBodyIsSentAsGiven() {
        send(
                client(),
                judge().reasoningEffort(ReasoningEffort.LOW)
                        .extraBody("reasoning_effort", "max")
                        .build());

        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "reasoning_effort": "max"}
                """);
    }

    @Test
    void returnTokenIdsIsNotSentUnlessThroughExtraBody() {
        send(client(), judge().returnTokenIds(true).build());
        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """);

        wm.resetRequests();
        send(client(), judge().extraBody("return_token_ids", true).build());
        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "return_token_ids": true}
                """);
    }

    @Test
    void nAboveOneFailsBeforeAnythingIsSent() {
        LlmException e;
        try (OpenRouterChatClient c = client().build()) {
            e = catchThrowableOfType(
                    LlmException.class, () -> c.chat(judge().n(8).build()));
        }

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.getMessage())
                .isEqualTo("OpenRouter returns one choice per call (its API has no 'n'), so n=8 would silently give"
                        + " one: make 8 calls, or send extraBody(\"n\", 8) to try anyway");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.attemptCount()).isZero();
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void nOfOneIsNotSentAndExtraBodyNIsSentAsGiven() {
        send(client(), judge().n(1).build());
        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """);

        wm.resetRequests();
        send(client(), judge().n(4).extraBody("n", 4).build());
        assertBody("""
                {"model": "openai/o4-mini", "messages": [{"role": "user", "content": "Hi"}], "n": 4}
                """);
    }
}
