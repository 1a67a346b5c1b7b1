package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ReasoningEffort;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed fields OpenRouter spells its own way reach a LiteLLM server unchanged: {@code n},
 * {@code reasoning_effort} (chat-completions parameters LiteLLM maps per deployment) and
 * {@code return_token_ids} (a field LiteLLM does not know, which it passes through to the
 * deployment, e.g. vLLM).
 */
class LiteLlmParametersWireTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    @Test
    void sendsNReasoningEffortAndReturnTokenIdsAsTheChatCompletionsFields() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-1", "model": "qwen3-8b",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}},
                             {"index": 1, "finish_reason": "stop", "message": {"role": "assistant", "content": "b"}}]}
                """)));
        ChatRequest rollout = ChatRequest.builder()
                .model("qwen3-8b")
                .user("Solve: 2+2")
                .n(2)
                .reasoningEffort(ReasoningEffort.LOW)
                .returnTokenIds(true)
                .logprobs(true)
                .build();

        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl("http://127.0.0.1:" + wm.getPort())
                .build()) {
            c.chat(rollout);
        }

        wm.verify(1, postRequestedFor(anyUrl()).withRequestBody(equalToJson("""
                {"model": "qwen3-8b", "messages": [{"role": "user", "content": "Solve: 2+2"}],
                 "n": 2, "reasoning_effort": "low", "return_token_ids": true, "logprobs": true}
                """)));
    }
}
