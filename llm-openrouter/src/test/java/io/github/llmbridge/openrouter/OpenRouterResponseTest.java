package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How {@link OpenRouterChatClient} turns a 2xx chat-completion reply into a {@link ChatResponse}. */
class OpenRouterResponseTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("Grade this.").build();

    private OpenRouterChatClient client;

    @BeforeEach
    void createClient() {
        client = OpenRouterChatClient.builder()
                .apiKey("sk-or-v1-responsetestkey")
                .baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1")
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

    @Test
    void parsesEveryFieldOfAFullReply() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Request-Id", "req-42")
                .withHeader("X-Generation-Id", "gen-1735689600-abcdef")
                .withHeader("X-RateLimit-Remaining", "99")
                .withHeader("Set-Cookie", "session=abc123; HttpOnly")
                .withBody("""
                        {
                          "id": "gen-1735689600-abcdef",
                          "provider": "OpenAI",
                          "model": "openai/gpt-4o-mini-2024-07-18",
                          "object": "chat.completion",
                          "created": 1735689600,
                          "system_fingerprint": "fp_abc",
                          "some_future_field": {"nested": [1, 2, 3]},
                          "choices": [
                            {
                              "index": 0,
                              "logprobs": null,
                              "finish_reason": "stop",
                              "native_finish_reason": "stop",
                              "message": {"role": "assistant", "content": "The score is 7.", "refusal": null,
                                          "reasoning": "Counting...", "annotations": []}
                            },
                            {
                              "index": 1,
                              "finish_reason": "length",
                              "native_finish_reason": "max_tokens",
                              "message": {"role": "assistant", "content": "The score is"}
                            }
                          ],
                          "usage": {
                            "prompt_tokens": 120,
                            "completion_tokens": 30,
                            "total_tokens": 150,
                            "cost": 0.000123,
                            "is_byok": false,
                            "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
                            "completion_tokens_details": {"reasoning_tokens": 12, "image_tokens": 0},
                            "cost_details": {"upstream_inference_cost": null}
                          }
                        }
                        """)));

        ChatResponse r = client.chat(REQUEST);

        assertThat(r.id()).isEqualTo("gen-1735689600-abcdef");
        assertThat(r.model()).isEqualTo("openai/gpt-4o-mini-2024-07-18");
        assertThat(r.content()).isEqualTo("The score is 7.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.choices()).containsExactly(
                new Choice(0, ChatMessage.assistant("The score is 7."), FinishReason.STOP),
                new Choice(1, ChatMessage.assistant("The score is"), FinishReason.LENGTH));
        assertThat(r.usage()).isEqualTo(new Usage(120, 30, 150, 64, 12));
        assertThat(r.cost()).hasValue(0.000123);
        assertThat(r.latency()).isPositive();
        assertThat(r.backend()).isEqualTo("openrouter").isEqualTo(client.backend());
        assertThat(r.headers())
                .containsEntry("x-request-id", "req-42")
                .containsEntry("x-generation-id", "gen-1735689600-abcdef")
                .containsEntry("x-ratelimit-remaining", "99")
                .doesNotContainKey("set-cookie");
        assertThat(r.headers().keySet()).allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        assertThat(r.headers().values()).noneMatch(v -> v.contains("abc123"));
        assertThat(r.header("X-Request-ID")).hasValue("req-42");
        assertThat(r.raw().path("provider").asText()).isEqualTo("OpenAI");
        assertThat(r.raw().path("choices").get(0).path("message").path("reasoning").asText()).isEqualTo("Counting...");
        assertThat(r.raw().path("some_future_field").path("nested")).hasSize(3);
    }

    @Test
    void nullContentBecomesEmptyString() {
        ChatResponse r = replyWith("""
                {"id": "gen-2", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "content_filter",
                              "message": {"role": "assistant", "content": null, "refusal": "I can't help."}}]}
                """);

        assertThat(r.content()).isEmpty();
        assertThat(r.choices().get(0).message()).isEqualTo(ChatMessage.assistant(""));
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    }

    @Test
    void unknownFinishReasonIsKeptAsSent() {
        ChatResponse r = replyWith("""
                {"id": "gen-3", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "weird_reason",
                              "message": {"role": "assistant", "content": "x"}}]}
                """);

        assertThat(r.finishReason()).isEqualTo(new FinishReason("weird_reason"));
        assertThat(r.finishReason().isPresent()).isTrue();
    }

    @Test
    void missingFinishReasonIsMissing() {
        ChatResponse r = replyWith("""
                {"id": "gen-3b", "choices": [{"message": {"content": "x"}}]}
                """);

        assertThat(r.finishReason()).isEqualTo(FinishReason.MISSING);
        assertThat(r.choices().get(0).message().role()).isEqualTo(ChatMessage.ASSISTANT);
        assertThat(r.choices().get(0).index()).isZero();
    }

    @Test
    void toleratesUnknownFieldsEverywhere() {
        ChatResponse r = replyWith("""
                {"id": "gen-4", "model": "m", "brand_new": {"a": [1, {"b": null}]}, "x": 1,
                 "choices": [{"index": 0, "finish_reason": "stop", "future": true,
                              "message": {"role": "assistant", "content": "hi", "tool_calls": [],
                                          "images": [{"type": "image_url"}], "new_thing": 3}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "server_tool_use": {},
                           "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 5}}}
                """);

        assertThat(r.content()).isEqualTo("hi");
        assertThat(r.usage()).isEqualTo(new Usage(1, 2, 3, 0, 0));
    }

    @Test
    void nullUsageDetailsGiveZeros() {
        ChatResponse r = replyWith("""
                {"id": "gen-5", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                           "prompt_tokens_details": null, "completion_tokens_details": null}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
    }

    @Test
    void absentUsageDetailsGiveZeros() {
        ChatResponse r = replyWith("""
                {"id": "gen-6", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
        assertThat(r.cost()).isEmpty();
    }

    @Test
    void absentUsageGivesEmptyUsageAndNoCost() {
        ChatResponse r = replyWith("""
                {"id": "gen-7", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}]}
                """);

        assertThat(r.usage()).isEqualTo(Usage.EMPTY);
        assertThat(r.cost()).isEmpty();
    }

    @Test
    void missingModelFallsBackToTheRequestedOne() {
        ChatResponse r = replyWith("""
                {"id": "gen-8",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}]}
                """);

        assertThat(r.model()).isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void errorInsideA200ReplyFailsTheCallAndKeepsPartialContent() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "gen-9", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "error",
                              "message": {"role": "assistant", "content": "partial ans"},
                              "error": {"code": 502, "message": "Upstream died",
                                        "metadata": {"provider_name": "X"}}}]}
                """)));

        assertThatThrownBy(() -> client.chat(REQUEST))
                .isExactlyInstanceOf(LlmException.class)
                .satisfies(t -> {
                    LlmException e = (LlmException) t;
                    assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
                    assertThat(e.partialContent()).hasValue("partial ans");
                    assertThat(e.getMessage()).contains("Upstream died");
                });
    }

    @Test
    void replyWithoutChoicesIsAnInvalidResponse() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "gen-10", "model": "m", "choices": []}
                """)));

        assertThatThrownBy(() -> client.chat(REQUEST))
                .isInstanceOfSatisfying(LlmException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
    }
}
