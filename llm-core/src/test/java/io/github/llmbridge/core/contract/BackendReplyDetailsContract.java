package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.ToolCall;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How every backend reads the message model from a reply: parallel tool calls and their
 * arguments, refusals, log probabilities with their alternatives and bytes, vLLM's token ids, and
 * the reasoning fields of OpenRouter and of vLLM/DeepSeek-style servers. The reply bodies copy the
 * shapes the servers document (OpenAI's API reference, OpenRouter's {@code openapi.yaml} and
 * reasoning guide, vLLM's {@code return_token_ids} replies). A backend runs it by subclassing it
 * with its {@link ChatBackendFixture}.
 */
public abstract class BackendReplyDetailsContract {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    /** The stub server, on a random loopback port. */
    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** The request every test sends. */
    protected static final ChatRequest REQUEST = ChatRequest.builder()
            .model("openai/gpt-4o-mini")
            .user("Grade this.")
            .build();

    /** The backend under test. */
    protected final ChatBackendFixture fixture;
    /** A client for the stub server, built before and closed after each test. */
    protected ChatClient client;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendReplyDetailsContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    @BeforeEach
    void createClient() {
        client = fixture.client(fixture.baseUrl("http://127.0.0.1:" + wm.getPort()), "sk-contract-details", b -> {});
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Stubs a 200 reply with {@code json} and sends {@link #REQUEST}. */
    protected ChatResponse replyWith(String json) {
        wm.stubFor(post(anyUrl()).willReturn(okJson(json)));
        return client.chat(REQUEST);
    }

    /** The arguments of the weather tool, as a test binds them. */
    public record Weather(String city, String unit) {}

    private static final String PARALLEL_TOOL_CALLS = """
            {
              "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "gpt-4o-2024-08-06",
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": null,
                  "tool_calls": [
                    {"id": "call_Zq4hKpgG1xY2", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}},
                    {"id": "call_8Yt1fW0sQx3n", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\",\\"unit\\":\\"celsius\\"}"}},
                    {"id": "call_3Jd8mPq0Lw9v", "type": "function",
                     "function": {"name": "get_time", "arguments": ""}}
                  ],
                  "refusal": null,
                  "annotations": []
                },
                "logprobs": null,
                "finish_reason": "tool_calls"
              }],
              "usage": {"prompt_tokens": 82, "completion_tokens": 64, "total_tokens": 146},
              "system_fingerprint": "fp_eb9dce56a8"
            }
            """;

    @Test
    void readsParallelToolCallsInOrderWithTheirIdsAndArguments() {
        ChatResponse r = replyWith(PARALLEL_TOOL_CALLS);

        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.content()).isEmpty();
        assertThat(r.refusal()).isEmpty();
        assertThat(r.toolCalls())
                .containsExactly(
                        new ToolCall("call_Zq4hKpgG1xY2", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
                        new ToolCall("call_8Yt1fW0sQx3n", "get_weather", "{\"city\":\"Oslo\",\"unit\":\"celsius\"}"),
                        new ToolCall("call_3Jd8mPq0Lw9v", "get_time", ""));
        assertThat(r.toolCalls().get(1).arguments(Weather.class)).isEqualTo(new Weather("Oslo", "celsius"));
        assertThat(r.toolCalls().get(0).argumentsJson().path("city").asText()).isEqualTo("Paris");
        assertThat(r.toolCalls().get(2).argumentsJson())
                .as("empty arguments of a function without parameters")
                .isEmpty();
        ChatMessage message = r.choices().get(0).message();
        assertThat(message.parts()).as("content null: no parts").isEmpty();
        assertThat(message.role()).isEqualTo(ChatMessage.ASSISTANT);
    }

    @Test
    void malformedToolArgumentsFailOnlyWhenParsedAsAnInvalidResponseNamingTheTool() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-7", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "length",
                              "message": {"role": "assistant", "content": null,
                                          "tool_calls": [{"id": "call_cut", "type": "function",
                                                          "function": {"name": "get_weather",
                                                                       "arguments": "{\\"city\\": \\"Par"}}]}}]}
                """);

        ToolCall call = r.toolCalls().get(0);
        assertThat(call.arguments()).as("kept as the model wrote it").isEqualTo("{\"city\": \"Par");
        LlmException e = catchThrowableOfType(LlmException.class, call::argumentsJson);
        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage())
                .startsWith("the model's arguments for tool 'get_weather' (call call_cut) cannot be used:"
                        + " they are not valid JSON (")
                .doesNotContain("\n");
        assertThat(e.partialContent()).hasValue("{\"city\": \"Par");

        LlmException typed = catchThrowableOfType(LlmException.class, () -> call.arguments(Weather.class));
        assertThat(typed.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
    }

    @Test
    void argumentsThatDoNotFitTheTypeAreAnInvalidResponseNamingTheType() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-8", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "tool_calls",
                              "message": {"role": "assistant", "content": null,
                                          "tool_calls": [{"id": "call_list", "type": "function",
                                                          "function": {"name": "get_weather",
                                                                       "arguments": "[\\"Paris\\"]"}}]}}]}
                """);

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> r.toolCalls().get(0).arguments(Weather.class));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage())
                .startsWith("the model's arguments for tool 'get_weather' (call call_list) cannot be used:"
                        + " they do not fit Weather (");
    }

    @Test
    void aRefusalIsReadWithNullContentAndFinishReasonStop() {
        ChatResponse r = replyWith("""
                {
                  "id": "chatcmpl-9nYAG9LPNonX8DAyrkwYfemr3C8HC",
                  "object": "chat.completion",
                  "created": 1721596428,
                  "model": "gpt-4o-2024-08-06",
                  "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": null,
                                "refusal": "I'm sorry, I cannot assist with that request.", "annotations": []},
                    "logprobs": null,
                    "finish_reason": "stop"
                  }],
                  "usage": {"prompt_tokens": 81, "completion_tokens": 11, "total_tokens": 92}
                }
                """);

        assertThat(r.refusal()).hasValue("I'm sorry, I cannot assist with that request.");
        assertThat(r.choices().get(0).refusal()).hasValue("I'm sorry, I cannot assist with that request.");
        assertThat(r.content()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.toString()).contains("refused").doesNotContain("cannot assist");
    }

    @Test
    void readsLogprobsWithTopAlternativesAndBytes() {
        ChatResponse r = replyWith("""
                {
                  "id": "chatcmpl-123",
                  "object": "chat.completion",
                  "created": 1702685778,
                  "model": "gpt-4o-mini-2024-07-18",
                  "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello!"},
                    "logprobs": {
                      "content": [
                        {"token": "Hello", "logprob": -0.31725305, "bytes": [72, 101, 108, 108, 111],
                         "top_logprobs": [
                           {"token": "Hello", "logprob": -0.31725305, "bytes": [72, 101, 108, 108, 111]},
                           {"token": "Hi", "logprob": -1.3190403, "bytes": [72, 105]}
                         ]},
                        {"token": "!", "logprob": -0.02380986, "bytes": [33],
                         "top_logprobs": [
                           {"token": "!", "logprob": -0.02380986, "bytes": [33]},
                           {"token": " there", "logprob": -3.787621, "bytes": [32, 116, 104, 101, 114, 101]}
                         ]}
                      ],
                      "refusal": null
                    },
                    "finish_reason": "stop"
                  }],
                  "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}
                }
                """);

        Logprobs logprobs = r.choices().get(0).logprobs().orElseThrow();
        assertThat(logprobs.content())
                .containsExactly(
                        new TokenLogprob(
                                "Hello",
                                -0.31725305,
                                List.of(72, 101, 108, 108, 111),
                                List.of(
                                        new TokenLogprob("Hello", -0.31725305, List.of(72, 101, 108, 108, 111), null),
                                        new TokenLogprob("Hi", -1.3190403, List.of(72, 105), null))),
                        new TokenLogprob(
                                "!",
                                -0.02380986,
                                List.of(33),
                                List.of(
                                        new TokenLogprob("!", -0.02380986, List.of(33), null),
                                        new TokenLogprob(
                                                " there", -3.787621, List.of(32, 116, 104, 101, 114, 101), null))));
        assertThat(logprobs.refusal()).isEmpty();
        assertThat(logprobs.contentLogprobSum()).isCloseTo(-0.34106291, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(logprobs.content().get(0).topLogprobs().get(1).probability())
                .isCloseTo(Math.exp(-1.3190403), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void bytesRebuildACharacterSplitAcrossTokensAndNullBytesAreEmpty() {
        ChatResponse r = replyWith("""
                {"id": "gen-1", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop",
                   "message": {"role": "assistant", "content": "café"},
                   "logprobs": {"content": [
                     {"token": "caf", "logprob": -0.5, "bytes": [99, 97, 102], "top_logprobs": []},
                     {"token": "bytes:\\\\xc3", "logprob": -0.1, "bytes": [195], "top_logprobs": []},
                     {"token": "bytes:\\\\xa9", "logprob": -0.0, "bytes": [169], "top_logprobs": []},
                     {"token": " ", "logprob": -9999.0, "bytes": null, "top_logprobs": null}
                   ], "refusal": null}}]}
                """);

        List<TokenLogprob> tokens = r.choices().get(0).logprobs().orElseThrow().content();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        tokens.subList(0, 3).forEach(t -> joined.writeBytes(t.byteArray()));
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo("café");
        assertThat(tokens.get(3).bytes()).isEmpty();
        assertThat(tokens.get(3).topLogprobs()).isEmpty();
        assertThat(tokens.get(3).decoded()).isEqualTo(" ");
    }

    @Test
    void readsTheLogprobsOfARefusal() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-r", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop",
                   "message": {"role": "assistant", "content": null, "refusal": "No."},
                   "logprobs": {"content": null, "refusal": [
                     {"token": "No", "logprob": -0.001, "bytes": [78, 111], "top_logprobs": []},
                     {"token": ".", "logprob": -0.002, "bytes": [46], "top_logprobs": []}]}}]}
                """);

        Logprobs logprobs = r.choices().get(0).logprobs().orElseThrow();
        assertThat(logprobs.content()).isEmpty();
        assertThat(logprobs.refusal()).extracting(TokenLogprob::token).containsExactly("No", ".");
    }

    @Test
    void aChoiceWithoutLogprobsHasNone() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-n", "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                              "message": {"role": "assistant", "content": "7"}}]}
                """);

        assertThat(r.choices().get(0).logprobs()).isEmpty();
        assertThat(r.choices().get(0).tokenIds()).isEmpty();
        assertThat(r.promptTokenIds()).isEmpty();
        assertThat(r.reasoning()).isEmpty();
    }

    @Test
    void readsVllmTokenIdsAndReasoningContent() {
        ChatResponse r = replyWith("""
                {
                  "id": "chatcmpl-a19161b8131141e2a79495025adb40eb",
                  "object": "chat.completion",
                  "created": 1762462711,
                  "model": "Qwen/Qwen3-8B",
                  "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello! How can I help you today?", "refusal": null,
                                "annotations": null, "audio": null, "function_call": null, "tool_calls": [],
                                "reasoning_content": "The user says hello. Greet back."},
                    "logprobs": null,
                    "finish_reason": "stop",
                    "stop_reason": null,
                    "token_ids": [9707, 0, 2585, 646, 358, 1492, 498, 3351, 30, 151645]
                  }],
                  "service_tier": null,
                  "system_fingerprint": null,
                  "usage": {"prompt_tokens": 9, "total_tokens": 19, "completion_tokens": 10, "prompt_tokens_details": null},
                  "prompt_logprobs": null,
                  "prompt_token_ids": [151644, 872, 198, 9707, 0, 151645, 198, 151644, 77091],
                  "kv_transfer_params": null
                }
                """);

        assertThat(r.promptTokenIds()).hasValue(TokenIds.of(151644, 872, 198, 9707, 0, 151645, 198, 151644, 77091));
        assertThat(r.choices().get(0).tokenIds())
                .hasValue(TokenIds.of(9707, 0, 2585, 646, 358, 1492, 498, 3351, 30, 151645));
        assertThat(r.reasoning()).hasValue("The user says hello. Greet back.");
        assertThat(r.content()).isEqualTo("Hello! How can I help you today?");
        assertThat(r.toolCalls()).as("tool_calls: [] is no call").isEmpty();
        assertThat(r.refusal()).as("refusal: null is no refusal").isEmpty();
    }

    @Test
    void readsEachChoicesOwnTokenIdsAndLogprobsWhenSeveralWereAskedFor() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-n2", "object": "chat.completion", "model": "Qwen/Qwen3-8B",
                 "choices": [
                   {"index": 0, "message": {"role": "assistant", "content": "7"}, "finish_reason": "stop",
                    "logprobs": {"content": [{"token": "7", "logprob": -0.2, "bytes": [55],
                                              "top_logprobs": [{"token": "7", "logprob": -0.2, "bytes": [55]},
                                                               {"token": "8", "logprob": -1.8, "bytes": [56]}]}]},
                    "token_ids": [22, 151645]},
                   {"index": 1, "message": {"role": "assistant", "content": "8"}, "finish_reason": "stop",
                    "logprobs": {"content": [{"token": "8", "logprob": -1.8, "bytes": [56], "top_logprobs": []}]},
                    "token_ids": [23, 151645]}
                 ],
                 "prompt_token_ids": [151644, 872]}
                """);

        assertThat(r.choices()).extracting(Choice::index).containsExactly(0, 1);
        assertThat(r.choices())
                .extracting(c -> c.tokenIds().orElseThrow())
                .containsExactly(TokenIds.of(22, 151645), TokenIds.of(23, 151645));
        assertThat(r.choices())
                .extracting(c -> c.logprobs().orElseThrow().content().get(0).token())
                .containsExactly("7", "8");
        assertThat(r.choices().get(0).logprobs().orElseThrow().content().get(0).topLogprobs())
                .extracting(TokenLogprob::token)
                .containsExactly("7", "8");
        assertThat(r.promptTokenIds()).hasValue(TokenIds.of(151644, 872));
    }

    @Test
    void tokenIdsThatAreNotAListOfIntegersAreLeftOutNotFatal() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-x", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"},
                              "token_ids": ["9707", 0]}],
                 "prompt_token_ids": null}
                """);

        assertThat(r.content()).isEqualTo("a");
        assertThat(r.choices().get(0).tokenIds()).isEmpty();
        assertThat(r.promptTokenIds()).isEmpty();
    }

    @Test
    void readsOpenRoutersReasoningAndReasoningDetails() throws Exception {
        ChatResponse r = replyWith("""
                {
                  "id": "gen-1741569952-uVbhuwY2Zxh1",
                  "provider": "Anthropic",
                  "model": "anthropic/claude-sonnet-4",
                  "object": "chat.completion",
                  "created": 1741569952,
                  "choices": [{
                    "index": 0,
                    "logprobs": null,
                    "finish_reason": "stop",
                    "native_finish_reason": "end_turn",
                    "message": {
                      "role": "assistant",
                      "content": "Based on my analysis, the answer scores 7.",
                      "refusal": null,
                      "reasoning": "Let me work through this systematically.",
                      "reasoning_details": [
                        {"type": "reasoning.text", "text": "Let me work through this systematically.",
                         "signature": "EqQBCkgIBxABGAIiQL", "id": "reasoning-text-1", "format": "anthropic-claude-v1",
                         "index": 0}
                      ]
                    }
                  }],
                  "usage": {"prompt_tokens": 40, "completion_tokens": 120, "total_tokens": 160}
                }
                """);

        assertThat(r.reasoning()).hasValue("Let me work through this systematically.");
        assertThat(r.content()).isEqualTo("Based on my analysis, the answer scores 7.");
        assertThat(r.choices().get(0).message().reasoningDetails()).hasValue(new ObjectMapper().readTree("""
                        [{"type": "reasoning.text", "text": "Let me work through this systematically.",
                          "signature": "EqQBCkgIBxABGAIiQL", "id": "reasoning-text-1",
                          "format": "anthropic-claude-v1", "index": 0}]"""));
    }

    @Test
    void reasoningTakesOpenRoutersFieldBeforeReasoningContent() {
        ChatResponse r = replyWith("""
                {"id": "gen-2", "model": "deepseek/deepseek-r1",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": "4",
                                          "reasoning": "2+2 is 4.", "reasoning_content": "2 plus 2."}}]}
                """);

        assertThat(r.reasoning()).hasValue("2+2 is 4.");
    }

    @Test
    void readsTextPartsOfArrayContentAndKeepsOtherPartsAsSent() {
        ChatResponse r = replyWith("""
                {"id": "gen-3", "model": "google/gemini-2.5-flash-image",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": [
                                {"type": "text", "text": "Here is "},
                                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}},
                                {"type": "text", "text": "the chart."}]}}]}
                """);

        assertThat(r.content()).isEqualTo("Here is the chart.");
        assertThat(r.choices().get(0).message().parts())
                .extracting(p -> p.type())
                .containsExactly("text", "image_url", "text");
    }
}
