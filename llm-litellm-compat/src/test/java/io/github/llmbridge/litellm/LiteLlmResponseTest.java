package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Usage;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@link LiteLlmChatClient} turns a 2xx chat-completion reply into a {@link ChatResponse}. */
class LiteLlmResponseTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST = ChatRequest.builder().model("gpt-4o-mini").user("Grade this.").build();

    private static final String SIMPLE_REPLY = """
            {"id": "chatcmpl-2", "model": "gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
             "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}
            """;

    private LiteLlmChatClient client;

    @BeforeEach
    void createClient() {
        client = LiteLlmChatClient.builder()
                .proxyUrl("http://127.0.0.1:" + wm.getPort())
                .apiKey("sk-litellm-responsetest")
                .build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private ChatResponse replyWith(String json) {
        wm.stubFor(post(anyUrl()).willReturn(okJson(json)));
        return client.chat(REQUEST);
    }

    private ChatResponse replyWithCostHeader(String cost) {
        wm.stubFor(post(anyUrl()).willReturn(okJson(SIMPLE_REPLY).withHeader("x-litellm-response-cost", cost)));
        return client.chat(REQUEST);
    }

    @Test
    void parsesEveryFieldOfAFullReply() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Request-Id", "req-7")
                .withHeader("x-litellm-call-id", "3f1c2a9e-call")
                .withHeader("x-litellm-response-cost", "0.000123")
                .withHeader("x-litellm-model-id", "deployment-1")
                .withHeader("x-litellm-model-group", "gpt-4o-mini")
                .withHeader("x-litellm-attempted-retries", "0")
                .withHeader("x-ratelimit-remaining-requests", "None")
                .withHeader("llm_provider-openai-processing-ms", "321")
                .withHeader("Set-Cookie", "session=abc123; HttpOnly")
                .withBody("""
                        {
                          "id": "chatcmpl-abc",
                          "created": 1735689600,
                          "model": "gpt-4o-mini-2024-07-18",
                          "object": "chat.completion",
                          "system_fingerprint": "fp_abc",
                          "service_tier": "default",
                          "choices": [
                            {
                              "finish_reason": "stop",
                              "index": 0,
                              "message": {"content": "The score is 7.", "role": "assistant", "tool_calls": null,
                                          "function_call": null, "provider_specific_fields": {"refusal": null}}
                            },
                            {
                              "finish_reason": "length",
                              "index": 1,
                              "message": {"content": "The score is", "role": "assistant"}
                            }
                          ],
                          "usage": {
                            "completion_tokens": 30,
                            "prompt_tokens": 120,
                            "total_tokens": 150,
                            "completion_tokens_details": {"accepted_prediction_tokens": 0, "audio_tokens": 0,
                                                          "reasoning_tokens": 12, "rejected_prediction_tokens": 0},
                            "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": 64}
                          }
                        }
                        """)));

        ChatResponse r = client.chat(REQUEST);

        assertThat(r.id()).isEqualTo("chatcmpl-abc");
        assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(r.content()).isEqualTo("The score is 7.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.choices()).containsExactly(
                new Choice(0, ChatMessage.assistant("The score is 7."), FinishReason.STOP),
                new Choice(1, ChatMessage.assistant("The score is"), FinishReason.LENGTH));
        assertThat(r.usage()).isEqualTo(new Usage(120, 30, 150, 64, 12));
        assertThat(r.cost()).hasValue(0.000123);
        assertThat(r.latency()).isPositive();
        assertThat(r.backend()).isEqualTo("litellm").isEqualTo(client.backend());
        assertThat(r.headers())
                .containsEntry("x-request-id", "req-7")
                .containsEntry("x-litellm-call-id", "3f1c2a9e-call")
                .containsEntry("x-litellm-response-cost", "0.000123")
                .containsEntry("x-litellm-model-id", "deployment-1")
                .containsEntry("x-litellm-model-group", "gpt-4o-mini")
                .containsEntry("x-ratelimit-remaining-requests", "None")
                .containsEntry("llm_provider-openai-processing-ms", "321")
                .doesNotContainKey("set-cookie");
        assertThat(r.headers().keySet()).allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        assertThat(r.headers().values()).noneMatch(v -> v.contains("abc123"));
        assertThat(r.header("X-LiteLLM-Call-Id")).hasValue("3f1c2a9e-call");
        assertThat(r.raw().path("service_tier").asText()).isEqualTo("default");
        assertThat(r.raw().path("choices")).hasSize(2);
    }

    @Test
    void costHeaderNoneMeansNoCost() {
        ChatResponse r = replyWithCostHeader("None");

        assertThat(r.cost()).isEmpty();
        assertThat(r.content()).isEqualTo("a");
        assertThat(r.usage()).isEqualTo(new Usage(3, 1, 4, 0, 0));
    }

    @ParameterizedTest(name = "x-litellm-response-cost: {0}")
    @ValueSource(strings = {"not-a-number", "NaN", "Infinity", "-0.5"})
    void unusableCostHeaderMeansNoCost(String value) {
        assertThat(replyWithCostHeader(value).cost()).isEmpty();
    }

    @Test
    void costHeaderAcceptsExponentsAndZero() {
        assertThat(replyWithCostHeader("1.5e-05").cost()).hasValue(1.5e-05);
        assertThat(replyWithCostHeader("0").cost()).hasValue(0.0);
    }

    @Test
    void noCostHeaderMeansNoCost() {
        assertThat(replyWith(SIMPLE_REPLY).cost()).isEmpty();
    }

    @Test
    void costInTheBodyWinsOverTheHeader() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "c", "choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "a"}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2, "cost": 0.5}}
                """).withHeader("x-litellm-response-cost", "0.25")));

        assertThat(client.chat(REQUEST).cost()).hasValue(0.5);
    }

    @Test
    void nullContentBecomesEmptyString() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-3", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "tool_calls",
                              "message": {"role": "assistant", "content": null,
                                          "tool_calls": [{"id": "call_1", "type": "function",
                                                          "function": {"name": "f", "arguments": "{}"}}]}}]}
                """);

        assertThat(r.content()).isEmpty();
        assertThat(r.choices().get(0).message()).isEqualTo(ChatMessage.assistant(""));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void unknownFinishReasonIsKeptAsSent() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-4", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "weird_reason",
                              "message": {"role": "assistant", "content": "x"}}]}
                """);

        assertThat(r.finishReason()).isEqualTo(new FinishReason("weird_reason"));
        assertThat(r.finishReason().value()).isEqualTo("weird_reason");
    }

    @Test
    void toleratesUnknownFieldsEverywhere() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-5", "model": "m", "_hidden_params": {"a": [1, {"b": null}]},
                 "choices": [{"index": 0, "finish_reason": "stop", "logprobs": {"content": []},
                              "message": {"role": "assistant", "content": "hi", "thinking_blocks": [],
                                          "reasoning_content": "r", "annotations": [{"x": 1}]}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                           "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                           "prompt_tokens_details": {"cached_tokens": 1, "text_tokens": null, "image_tokens": null}}}
                """);

        assertThat(r.content()).isEqualTo("hi");
        assertThat(r.usage()).isEqualTo(new Usage(1, 2, 3, 1, 0));
    }

    @Test
    void nullUsageDetailsGiveZeros() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-6", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                           "prompt_tokens_details": null, "completion_tokens_details": null}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
    }

    @Test
    void absentUsageDetailsGiveZeros() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-7", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
    }

    @Test
    void absentUsageGivesEmptyUsage() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-8", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}]}
                """);

        assertThat(r.usage()).isEqualTo(Usage.EMPTY);
    }
}
