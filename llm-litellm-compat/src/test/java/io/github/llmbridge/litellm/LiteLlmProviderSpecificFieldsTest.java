package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A LiteLLM proxy rebuilds each upstream reply into its own response type and moves the fields it
 * does not model into {@code provider_specific_fields} (its {@code convert_to_model_response_object}:
 * a choice's unknown fields into the choice's, a message's into the message's). The client reads
 * them back, so token ids from a vLLM deployment and an OpenAI refusal arrive where the direct
 * reply has them. The bodies are the shapes such a proxy serialises.
 */
class LiteLlmProviderSpecificFieldsTest {

    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("qwen3-8b")
            .user("Hello!")
            .returnTokenIds(true)
            .build();

    private LiteLlmChatClient client;

    @BeforeEach
    void createClient() {
        client = LiteLlmChatClient.builder()
                .serverUrl("http://127.0.0.1:" + wm.getPort())
                .apiKey("sk-litellm-psf")
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

    /** The score a judge asks for. */
    record Score(double score) {}

    @Test
    void readsVllmTokenIdsFromTheChoicesProviderSpecificFields() {
        ChatResponse r = replyWith("""
                {
                  "id": "chatcmpl-a19161b8131141e2a79495025adb40eb",
                  "created": 1762462711,
                  "model": "hosted_vllm/Qwen/Qwen3-8B",
                  "object": "chat.completion",
                  "system_fingerprint": null,
                  "choices": [{
                    "finish_reason": "stop",
                    "index": 0,
                    "message": {"content": "Hello! How can I help you today?", "role": "assistant",
                                "tool_calls": null, "function_call": null,
                                "reasoning_content": "The user says hello. Greet back.",
                                "provider_specific_fields": {"refusal": null}},
                    "provider_specific_fields": {"stop_reason": null,
                                                 "token_ids": [9707, 0, 2585, 646, 358, 1492, 498, 3351, 30, 151645]}
                  }],
                  "usage": {"completion_tokens": 10, "prompt_tokens": 9, "total_tokens": 19,
                            "completion_tokens_details": null, "prompt_tokens_details": null},
                  "service_tier": null,
                  "prompt_logprobs": null,
                  "prompt_token_ids": [151644, 872, 198, 9707, 0, 151645, 198, 151644, 77091],
                  "kv_transfer_params": null
                }
                """);

        assertThat(r.choices().get(0).tokenIds())
                .hasValue(TokenIds.of(9707, 0, 2585, 646, 358, 1492, 498, 3351, 30, 151645));
        assertThat(r.promptTokenIds()).hasValue(TokenIds.of(151644, 872, 198, 9707, 0, 151645, 198, 151644, 77091));
        assertThat(r.reasoning()).hasValue("The user says hello. Greet back.");
        assertThat(r.refusal()).as("refusal: null is no refusal").isEmpty();
        assertThat(r.content()).isEqualTo("Hello! How can I help you today?");
    }

    @Test
    void readsARefusalFromTheMessagesProviderSpecificFieldsAndChatJsonFailsOnIt() {
        String refusal = """
                {"id": "chatcmpl-9nYAG9LPNonX8DAyrkwYfemr3C8HC", "created": 1721596428, "model": "gpt-4o-2024-08-06",
                 "object": "chat.completion",
                 "choices": [{"finish_reason": "stop", "index": 0,
                              "message": {"content": null, "role": "assistant", "tool_calls": null,
                                          "function_call": null, "annotations": [],
                                          "provider_specific_fields": {
                                            "refusal": "I'm sorry, I cannot assist with that request."}}}],
                 "usage": {"completion_tokens": 11, "prompt_tokens": 81, "total_tokens": 92}}
                """;

        ChatResponse r = replyWith(refusal);
        assertThat(r.refusal()).hasValue("I'm sorry, I cannot assist with that request.");
        assertThat(r.content()).isEmpty();

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chatJson(REQUEST, Score.class));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.getMessage()).contains("I'm sorry, I cannot assist with that request.");
    }

    @Test
    void readsReasoningDetailsFromTheMessagesProviderSpecificFields() throws Exception {
        ChatResponse r = replyWith("""
                {"id": "gen-1", "model": "openrouter/anthropic/claude-sonnet-4", "object": "chat.completion",
                 "choices": [{"finish_reason": "stop", "index": 0,
                              "message": {"content": "7", "role": "assistant", "tool_calls": null,
                                          "reasoning_content": "Weighing the rubric.",
                                          "provider_specific_fields": {
                                            "reasoning": "Weighing the rubric.",
                                            "reasoning_details": [{"type": "reasoning.text", "text": "Weighing the rubric.",
                                                                   "signature": "EqQB", "format": "anthropic-claude-v1",
                                                                   "index": 0}]}}}]}
                """);

        assertThat(r.reasoning()).hasValue("Weighing the rubric.");
        assertThat(r.choices().get(0).message().reasoningDetails()).hasValue(new ObjectMapper().readTree("""
                        [{"type": "reasoning.text", "text": "Weighing the rubric.", "signature": "EqQB",
                          "format": "anthropic-claude-v1", "index": 0}]"""));
    }

    @Test
    void aValueInItsStandardPlaceWins() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-2", "model": "m", "object": "chat.completion",
                 "choices": [{"finish_reason": "stop", "index": 0, "token_ids": [1, 2],
                              "message": {"content": null, "role": "assistant", "refusal": "No.",
                                          "provider_specific_fields": {"refusal": "Other."}},
                              "provider_specific_fields": {"token_ids": [3, 4]}}]}
                """);

        assertThat(r.choices().get(0).tokenIds()).hasValue(TokenIds.of(1, 2));
        assertThat(r.refusal()).hasValue("No.");
    }

    @Test
    void aReplyWithoutProviderSpecificFieldsIsReadAsItIs() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-3", "model": "m",
                 "choices": [{"finish_reason": "stop", "index": 0, "message": {"content": "a", "role": "assistant"},
                              "provider_specific_fields": {"token_ids": "not a list"}}]}
                """);

        assertThat(r.content()).isEqualTo("a");
        assertThat(r.choices().get(0).tokenIds()).isEmpty();
        assertThat(r.refusal()).isEmpty();
    }
}
