package io.github.llmbridge.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolChoice;
import io.github.llmbridge.core.config.ChatClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mock backend answers what a request asks for, deterministically: several choices, logprobs,
 * token ids, tool calls an agent loop can run to its end, and (built so) refusals.
 */
class MockMessageModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Lookup(String city, String unit, int days, boolean metric, List<String> fields) {}

    private static ChatRequest.Builder ask(String text) {
        return ChatRequest.builder().model("acme/policy").user(text);
    }

    private static Tool lookupTool() throws Exception {
        JsonNode schema = MAPPER.readTree("""
                {"type": "object",
                 "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "kelvin"]},
                                "days": {"type": "integer"}, "metric": {"type": "boolean"},
                                "fields": {"type": "array", "items": {"type": "string"}},
                                "note": {"type": "string"}},
                 "required": ["city", "unit", "days", "metric", "fields"]}
                """);
        return Tool.function("lookup", "Look up the weather", schema);
    }

    @Test
    void answersNChoicesAlike() {
        MockChatClient mock = new MockChatClient("{\"score\": 5}", Duration.ZERO);

        ChatResponse r = mock.chat(ask("Grade.").n(3).build());

        assertThat(r.choices()).extracting(Choice::index).containsExactly(0, 1, 2);
        assertThat(r.choices()).extracting(Choice::content).containsOnly("{\"score\": 5}");
    }

    @Test
    void logprobsCoverTheReplysTokensEachCertainWithItselfAsTheAlternative() {
        MockChatClient mock = new MockChatClient("The score is 5.", Duration.ZERO);

        ChatResponse r = mock.chat(ask("Grade.").topLogprobs(3).build());

        List<TokenLogprob> tokens = r.choices().get(0).logprobs().orElseThrow().content();
        assertThat(tokens).extracting(TokenLogprob::token).containsExactly("The ", "scor", "e is", " 5.");
        assertThat(tokens).allSatisfy(t -> {
            assertThat(t.logprob()).isZero();
            assertThat(t.decoded()).isEqualTo(t.token());
            assertThat(t.topLogprobs()).extracting(TokenLogprob::token).containsExactly(t.token());
        });
        assertThat(r.usage().completionTokens()).isEqualTo(4);
        assertThat(mock.chat(ask("Grade.").build()).choices().get(0).logprobs())
                .as("not asked for")
                .isEmpty();
        assertThat(mock.chat(ask("Grade.").logprobs(true).build())
                        .choices()
                        .get(0)
                        .logprobs()
                        .orElseThrow()
                        .content()
                        .get(0)
                        .topLogprobs())
                .as("no alternatives asked for")
                .isEmpty();
    }

    @Test
    void tokenIdsAreDeterministicAndMatchTheUsage() {
        MockChatClient mock = new MockChatClient(null, Duration.ZERO);
        ChatRequest rollout = ask("What is 2+2? Think.").returnTokenIds(true).build();

        ChatResponse r = mock.chat(rollout);

        assertThat(r.promptTokenIds().orElseThrow().size())
                .isEqualTo(r.usage().promptTokens())
                .isEqualTo(5);
        assertThat(r.choices().get(0).tokenIds().orElseThrow().size())
                .isEqualTo(r.usage().completionTokens());
        assertThat(r.promptTokenIds().orElseThrow().stream()).allMatch(id -> id >= 0 && id < MockTokens.VOCABULARY);
        ChatResponse again = new MockChatClient(null, Duration.ZERO).chat(rollout);
        assertThat(again.promptTokenIds()).isEqualTo(r.promptTokenIds());
        assertThat(again.choices().get(0).tokenIds())
                .isEqualTo(r.choices().get(0).tokenIds());
        assertThat(mock.chat(ask("x").build()).promptTokenIds())
                .as("not asked for")
                .isEmpty();
    }

    @Test
    void callsTheFirstToolWithArgumentsThatBindThenAnswersItsResult() throws Exception {
        MockChatClient mock = new MockChatClient("It is mild.", Duration.ZERO);
        ChatRequest first = ask("Weather in Oslo?").tools(lookupTool()).build();

        ChatResponse round1 = mock.chat(first);

        assertThat(round1.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(round1.content()).isEmpty();
        ToolCall call = round1.toolCalls().get(0);
        assertThat(call.name()).isEqualTo("lookup");
        assertThat(call.arguments(Lookup.class)).isEqualTo(new Lookup("", "celsius", 0, false, List.of()));
        assertThat(call.argumentsJson().has("note"))
                .as("optional properties are left out")
                .isFalse();

        List<ChatMessage> conversation = new ArrayList<>(first.messages());
        conversation.add(round1.choices().get(0).message());
        conversation.add(ChatMessage.toolResult(call.id(), "{\"celsius\": 12}"));
        ChatResponse round2 = mock.chat(first.toBuilder().messages(conversation).build());

        assertThat(round2.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(round2.content()).isEqualTo("It is mild.");
        assertThat(round2.toolCalls()).isEmpty();
    }

    @Test
    void toolChoiceDecidesWhetherAndWhichToolIsCalled() throws Exception {
        MockChatClient mock = new MockChatClient("text", Duration.ZERO);
        Tool other = Tool.function("get_time", null);
        ChatRequest.Builder base = ask("Go.").tools(lookupTool(), other);

        assertThat(mock.chat(base.toolChoice(ToolChoice.none()).build()).content())
                .isEqualTo("text");
        assertThat(mock.chat(base.toolChoice(ToolChoice.function("get_time")).build())
                        .toolCalls())
                .extracting(ToolCall::name, ToolCall::arguments)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("get_time", "{}"));
        assertThat(mock.chat(base.toolChoice(ToolChoice.required()).build()).toolCalls())
                .extracting(ToolCall::name)
                .containsExactly("lookup");
    }

    @Test
    void aMockBuiltToRefuseRefusesAndChatJsonFailsAsContentFiltered() {
        MockChatClient mock =
                MockChatClient.builder().refusal("I can't help with that.").build();

        ChatResponse r = mock.chat(ask("Grade.").logprobs(true).build());

        assertThat(r.refusal()).hasValue("I can't help with that.");
        assertThat(r.content()).isEmpty();
        assertThat(r.choices().get(0).logprobs().orElseThrow().refusal())
                .extracting(TokenLogprob::token)
                .containsExactly("I ca", "n't ", "help", " wit", "h th", "at.");
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> mock.chatJson(ask("Grade.").build(), JsonNode.class));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(mock.toString()).contains("refusing");
    }

    @Test
    void theMockBackendFromTheEnvironmentRunsAToolConversationThroughTheResilienceLayer() throws Exception {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_REPLY", "done"))) {
            ChatRequest first = ask("Weather?").tools(lookupTool()).build();
            ChatResponse round1 = client.chat(first);
            ToolCall call = round1.toolCalls().get(0);
            ChatResponse round2 = client.chat(first.toBuilder()
                    .message(round1.choices().get(0).message())
                    .message(ChatMessage.toolResult(call.id(), "{}"))
                    .build());

            assertThat(round2.content()).isEqualTo("done");
            assertThat(round2.attempts()).hasSize(1);
        }
    }
}
