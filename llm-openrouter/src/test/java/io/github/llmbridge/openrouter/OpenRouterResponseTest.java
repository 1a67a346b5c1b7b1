package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.contract.BackendResponseContract;
import org.junit.jupiter.api.Test;

/**
 * How {@link OpenRouterChatClient} turns a 2xx chat-completion reply into a {@link ChatResponse}:
 * the shared contract, plus OpenRouter's own fields, headers and errors inside a 200.
 */
class OpenRouterResponseTest extends BackendResponseContract {

    OpenRouterResponseTest() {
        super(new OpenRouterFixture());
    }

    @Test
    void parsesOpenRoutersOwnFieldsAndTakesTheCostFromUsage() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Request-Id", "req-42")
                        .withHeader("X-Generation-Id", "gen-1735689600-abcdef")
                        .withHeader("X-RateLimit-Remaining", "99")
                        .withBody("""
                        {
                          "id": "gen-1735689600-abcdef",
                          "provider": "OpenAI",
                          "model": "openai/gpt-4o-mini-2024-07-18",
                          "object": "chat.completion",
                          "created": 1735689600,
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
        assertThat(r.choices())
                .as("finish_reason counts, not native_finish_reason")
                .containsExactly(
                        new Choice(
                                0,
                                ChatMessage.assistant("The score is 7.").toBuilder()
                                        .reasoning("Counting...")
                                        .build(),
                                FinishReason.STOP),
                        new Choice(1, ChatMessage.assistant("The score is"), FinishReason.LENGTH));
        assertThat(r.reasoning()).hasValue("Counting...");
        assertThat(r.usage()).isEqualTo(new Usage(120, 30, 150, 64, 12));
        assertThat(r.cost()).hasValue(0.000123);
        assertThat(r.headers())
                .containsEntry("x-request-id", "req-42")
                .containsEntry("x-generation-id", "gen-1735689600-abcdef")
                .containsEntry("x-ratelimit-remaining", "99");
        assertThat(r.raw().path("provider").asText()).isEqualTo("OpenAI");
        assertThat(r.raw()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("reasoning")
                        .asText())
                .isEqualTo("Counting...");
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
}
