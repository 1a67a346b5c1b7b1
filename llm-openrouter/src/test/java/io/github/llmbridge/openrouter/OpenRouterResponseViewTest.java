package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpenRouterResponse} reads OpenRouter's own reply fields, and is empty, never failing,
 * where they are absent.
 */
class OpenRouterResponseViewTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("deepseek/deepseek-r1").user("Hi").build();

    private OpenRouterChatClient client;

    @BeforeEach
    void start() {
        client = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-view")
                .baseUrl("http://127.0.0.1:" + wm.getPort())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void exposesProviderNativeFinishReasonReasoningGenerationIdAndCost() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "gen-1735689600-abc", "provider": "DeepSeek", "model": "deepseek/deepseek-r1",
                 "choices": [
                   {"index": 0, "finish_reason": "stop", "native_finish_reason": "end_turn",
                    "message": {"role": "assistant", "content": "{\\"score\\": 7}", "reasoning": "The answer is right."}},
                   {"index": 1, "finish_reason": "length", "native_finish_reason": "max_tokens",
                    "message": {"role": "assistant", "content": "{\\"sc", "reasoning": null}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30, "cost": 0.00042,
                           "is_byok": false, "cost_details": {"upstream_inference_cost": 0.0004}}}
                """).withHeader("X-Generation-Id", "gen-1735689600-abc")));

        ChatResponse reply = client.chat(REQUEST);
        OpenRouterResponse or = OpenRouterResponse.of(reply);

        assertThat(reply.cost()).hasValue(0.00042);
        assertThat(or.provider()).hasValue("DeepSeek");
        assertThat(or.generationId()).hasValue("gen-1735689600-abc");
        assertThat(or.nativeFinishReason()).hasValue("end_turn");
        assertThat(or.nativeFinishReason(1)).hasValue("max_tokens");
        assertThat(or.reasoning()).hasValue("The answer is right.");
        assertThat(or.reasoning(1)).as("null reasoning").isEmpty();
        assertThat(or.upstreamInferenceCost()).hasValue(0.0004);
        assertThat(or.byok()).hasValue(false);
        assertThat(or.response()).isSameAs(reply);
    }

    @Test
    void absentFieldsAreEmpty() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-1", "choices": [{"index": 0, "finish_reason": "stop",
                  "message": {"role": "assistant", "content": "ok"}}]}
                """)));

        ChatResponse reply = client.chat(REQUEST);
        OpenRouterResponse or = OpenRouterResponse.of(reply);

        assertThat(reply.cost()).isEmpty();
        assertThat(or.provider()).isEmpty();
        assertThat(or.generationId()).as("no header and not a gen- id").isEmpty();
        assertThat(or.nativeFinishReason()).isEmpty();
        assertThat(or.nativeFinishReason(5)).isEmpty();
        assertThat(or.reasoning()).isEmpty();
        assertThat(or.upstreamInferenceCost()).isEmpty();
        assertThat(or.byok()).isEmpty();
    }

    @Test
    void generationIdFallsBackToTheReplyIdWithoutTheHeader() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "gen-42", "choices": [{"index": 0, "finish_reason": "stop",
                  "message": {"role": "assistant", "content": "ok"}}]}
                """)));

        assertThat(OpenRouterResponse.of(client.chat(REQUEST)).generationId()).hasValue("gen-42");
    }

    @Test
    void aResponseBuiltWithoutJsonGivesAnEmptyView() {
        OpenRouterResponse or = OpenRouterResponse.of(
                ChatResponse.builder().content("placeholder").build());

        assertThat(or.provider()).isEmpty();
        assertThat(or.reasoning()).isEmpty();
        assertThat(or.generationId()).isEmpty();
        assertThat(or.toString()).contains("provider=?");
    }
}
