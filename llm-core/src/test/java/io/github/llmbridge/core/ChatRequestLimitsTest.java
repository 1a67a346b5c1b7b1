package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat-completions limits a request is checked against before anything is sent, each failing
 * with an {@link IllegalArgumentException} whose message names the field, the value and the fix.
 * The limits are OpenAI's published {@code CreateChatCompletionRequest}'s: {@code stop} at most 4,
 * {@code top_logprobs} 0 to 20, {@code n} at least 1, tool names {@code [a-zA-Z0-9_-]{1,64}}, and a
 * {@code tool} message answers a call. The {@code json_schema} name's pattern is checked where
 * {@code ResponseFormat} makes the format.
 */
class ChatRequestLimitsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ChatRequest.Builder minimal() {
        return ChatRequest.builder().model("openai/gpt-4o-mini").user("Grade this.");
    }

    private static Tool tool(String name) {
        return Tool.function(name, "a tool", MAPPER.createObjectNode().put("type", "object"));
    }

    private static void assertRejected(ThrowingCallable build, String message) {
        assertThatThrownBy(build)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void stopTakesAtMostFourSequences() {
        assertThatCode(() -> minimal().stop("a", "b", "c", "d").build()).doesNotThrowAnyException();
        assertRejected(
                () -> minimal().stop("a", "b", "c", "d", "e").build(),
                "stop takes at most 4 sequences (the chat-completions limit), was 5");
    }

    @ParameterizedTest(name = "topLogprobs {0}")
    @ValueSource(ints = {21, -1})
    void topLogprobsIsZeroToTwenty(int topLogprobs) {
        assertRejected(
                () -> minimal().topLogprobs(topLogprobs).build(),
                "topLogprobs must be between 0 and 20, was " + topLogprobs);
    }

    @Test
    void topLogprobsAtTheLimitsIsAccepted() {
        assertThat(minimal().topLogprobs(0).build().topLogprobs()).hasValue(0);
        assertThat(minimal().topLogprobs(20).build().topLogprobs()).hasValue(20);
    }

    @Test
    void topLogprobsWithLogprobsTurnedOffIsRejected() {
        assertRejected(
                () -> minimal().logprobs(false).topLogprobs(5).build(),
                "topLogprobs needs logprobs; it is set to false");
    }

    @ParameterizedTest(name = "n {0}")
    @ValueSource(ints = {0, -1, 129})
    void nIsOneTo128(int n) {
        assertRejected(() -> minimal().n(n).build(), "n must be between 1 and 128, was " + n);
    }

    @Test
    void maxCompletionTokensIsAtLeastOne() {
        assertRejected(() -> minimal().maxCompletionTokens(0).build(), "maxCompletionTokens must be at least 1, was 0");
    }

    @Test
    void maxTokensAndMaxCompletionTokensAreExclusive() {
        assertRejected(
                () -> minimal().maxTokens(100).maxCompletionTokens(100).build(),
                "set maxTokens or maxCompletionTokens, not both (reasoning models take only max_completion_tokens)");
    }

    @Test
    void toolChoiceAndParallelToolCallsNeedTools() {
        assertRejected(
                () -> minimal().toolChoice(ToolChoice.required()).build(),
                "toolChoice needs tools: add them with tools(...)");
        assertRejected(
                () -> minimal().parallelToolCalls(false).build(),
                "parallelToolCalls needs tools: add them with tools(...)");
    }

    @Test
    void toolChoiceMustNameOneOfTheTools() {
        assertRejected(
                () -> minimal()
                        .tools(tool("get_weather"))
                        .toolChoice(ToolChoice.function("get_time"))
                        .build(),
                "toolChoice names function 'get_time', which is not among the tools [get_weather]");
    }

    @Test
    void toolNamesAreUnique() {
        assertRejected(
                () -> minimal().tools(tool("get_weather"), tool("get_weather")).build(),
                "two tools are named 'get_weather'");
    }

    @ParameterizedTest(name = "tool name \"{0}\"")
    @ValueSource(
            strings = {
                "get weather",
                "get.weather",
                "",
                "a234567890123456789012345678901234567890123456789012345678901234X"
            })
    void toolNamesFollowThePattern(String name) {
        assertRejected(
                () -> tool(name),
                "tool name '" + name
                        + "' must be 1 to 64 letters, digits, '_' or '-' (the chat-completions API rejects others)");
    }

    @Test
    void toolChoiceNamesFollowThePattern() {
        assertRejected(
                () -> ToolChoice.function("get weather"),
                "tool choice names a function 'get weather'; a tool name is 1 to 64 letters, digits, '_' or '-'");
    }

    @Test
    void toolParametersMustBeAJsonObject() {
        assertRejected(
                () -> Tool.function("get_weather", null, MAPPER.createArrayNode()),
                "parameters of tool 'get_weather' must be a JSON Schema object");
    }

    @Test
    void aToolMessageMustAnswerACallOfAnEarlierAssistantMessage() {
        assertRejected(
                () -> minimal()
                        .message(ChatMessage.toolResult("call_9", "rain"))
                        .build(),
                "message 1 answers tool call 'call_9', which no earlier assistant message made");

        ToolCall call = ToolCall.function("call_1", "get_weather", "{}");
        assertRejected(
                () -> minimal()
                        .message(ChatMessage.toolResult("call_1", "rain"))
                        .message(ChatMessage.assistant(List.of(call)))
                        .build(),
                "message 1 answers tool call 'call_1', which no earlier assistant message made");
        assertThatCode(() -> minimal()
                        .message(ChatMessage.assistant(List.of(call)))
                        .message(ChatMessage.toolResult("call_1", "rain"))
                        .build())
                .doesNotThrowAnyException();
    }

    @Test
    void aToolMessageNamesTheCallItAnswers() {
        assertRejected(
                () -> ChatMessage.builder(ChatMessage.TOOL).text("rain").build(),
                "a tool message must name the tool call it answers: use ChatMessage.toolResult(call.id(), result)");
    }

    @Test
    void onlyAssistantMessagesCarryToolCalls() {
        assertRejected(
                () -> ChatMessage.builder(ChatMessage.USER)
                        .toolCall(ToolCall.function("call_1", "f", "{}"))
                        .build(),
                "only assistant messages carry tool calls, not user");
    }

    @Test
    void reasoningDetailsAreAJsonArray() {
        assertRejected(
                () -> ChatMessage.builder(ChatMessage.ASSISTANT)
                        .reasoningDetails(MAPPER.createObjectNode())
                        .build(),
                "reasoningDetails must be a JSON array");
    }

    @Test
    void aJsonSchemaNameFollowsThePattern() {
        assertRejected(
                () -> ResponseFormat.jsonSchema("my score", MAPPER.createObjectNode(), true),
                "json_schema response format name \"my score\" is not allowed: use 1 to 64 letters, digits, '_' or"
                        + " '-' (OpenAI rejects any other name), e.g. \"my_score\"");
    }

    @Test
    void blankServiceTierAndPromptCacheKeyAreRejected() {
        assertRejected(() -> minimal().serviceTier(" ").build(), "serviceTier must not be blank (null unsets it)");
        assertRejected(() -> minimal().promptCacheKey("").build(), "promptCacheKey must not be blank (null unsets it)");
    }

    @Test
    void aUserMessageOfPartsNeedsAPart() {
        assertRejected(() -> ChatMessage.user(), "a user message needs at least one content part");
    }

    @Test
    void anAssistantMessageOfCallsNeedsACall() {
        assertRejected(
                () -> ChatMessage.assistant(List.of()), "an assistant message of tool calls needs at least one call");
    }
}
