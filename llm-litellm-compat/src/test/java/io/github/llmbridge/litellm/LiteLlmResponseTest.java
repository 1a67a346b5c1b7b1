package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.contract.BackendResponseContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link LiteLlmChatClient} turns a 2xx chat-completion reply into a {@link ChatResponse}:
 * the shared contract, plus LiteLLM's own headers and its {@code x-litellm-response-cost} header.
 */
class LiteLlmResponseTest extends BackendResponseContract {

    private static final String SIMPLE_REPLY = """
            {"id": "chatcmpl-2", "model": "gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
             "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}
            """;

    LiteLlmResponseTest() {
        super(new LiteLlmFixture());
    }

    private ChatResponse replyWithCostHeader(String cost) {
        wm.stubFor(post(anyUrl()).willReturn(okJson(SIMPLE_REPLY).withHeader("x-litellm-response-cost", cost)));
        return client.chat(REQUEST);
    }

    @Test
    void parsesALiteLlmReplyWithItsHeadersAndTakesTheCostFromItsHeader() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
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
        assertThat(r.usage()).isEqualTo(new Usage(120, 30, 150, 64, 12));
        assertThat(r.cost()).hasValue(0.000123);
        assertThat(r.headers())
                .containsEntry("x-request-id", "req-7")
                .containsEntry("x-litellm-call-id", "3f1c2a9e-call")
                .containsEntry("x-litellm-response-cost", "0.000123")
                .containsEntry("x-litellm-model-id", "deployment-1")
                .containsEntry("x-litellm-model-group", "gpt-4o-mini")
                .containsEntry("x-ratelimit-remaining-requests", "None")
                .containsEntry("llm_provider-openai-processing-ms", "321");
        assertThat(r.header("X-LiteLLM-Call-Id")).hasValue("3f1c2a9e-call");
        assertThat(r.raw().path("service_tier").asText()).isEqualTo("default");
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
}
