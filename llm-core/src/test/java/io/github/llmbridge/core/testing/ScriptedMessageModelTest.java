package io.github.llmbridge.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scripting the model's other answers: tool calls, refusals, a one-token answer with its
 * distribution, token ids, several choices ({@link ScriptedChatClient}, {@link ChatResponses}).
 */
class ScriptedMessageModelTest {

    private static final ToolCall PARIS = ToolCall.function("call_1", "get_weather", "{\"city\": \"Paris\"}");
    private static final ToolCall OSLO = ToolCall.function("call_2", "get_weather", "{\"city\": \"Oslo\"}");

    record Weather(String city) {}

    record Score(int score) {}

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().model("acme/agent").user(text).build();
    }

    @Test
    void callToolsThenReplyScriptsATwoRoundToolConversation() {
        ScriptedChatClient agent =
                new ScriptedChatClient().callTools(PARIS, OSLO).reply("Paris is sunny; Oslo has rain.");
        ChatRequest first = ask("Weather in Paris and Oslo?");

        ChatResponse round1 = agent.chat(first);

        assertThat(round1.toolCalls()).containsExactly(PARIS, OSLO);
        assertThat(round1.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(round1.content()).isEmpty();
        assertThat(round1.model()).isEqualTo("acme/agent");
        assertThat(round1.backend()).isEqualTo("scripted");
        assertThat(round1.id()).isNotEmpty();
        assertThat(round1.toolCalls().get(1).arguments(Weather.class)).isEqualTo(new Weather("Oslo"));

        List<ChatMessage> conversation = new ArrayList<>(first.messages());
        conversation.add(round1.choices().get(0).message());
        round1.toolCalls().forEach(c -> conversation.add(ChatMessage.toolResult(c.id(), "{\"sky\": \"clear\"}")));
        ChatResponse round2 =
                agent.chat(first.toBuilder().messages(conversation).build());

        assertThat(round2.content()).isEqualTo("Paris is sunny; Oslo has rain.");
        assertThat(agent.lastRequest().messages())
                .extracting(m -> m.toolCallId().orElse("-"))
                .containsExactly("-", "-", "call_1", "call_2");
    }

    @Test
    void refuseScriptsARefusalThatChatJsonFailsOnAsContentFiltered() {
        ScriptedChatClient judge =
                new ScriptedChatClient().refuse("I can't grade that.").refuse("Still no.");

        ChatResponse r = judge.chat(ask("Grade this."));
        assertThat(r.refusal()).hasValue("I can't grade that.");
        assertThat(r.content()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chatJson(ask("Grade."), Score.class));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.getMessage()).endsWith("Still no.");
    }

    @Test
    void oneTokenGivesTheAnswerItsLogprobAndTheDistributionMostLikelyFirst() {
        ScriptedChatClient judge =
                new ScriptedChatClient().reply(ChatResponses.oneToken("7", Map.of("6", 0.1, "7", 0.6, "8", 0.3)));

        ChatResponse r = judge.chat(ask("Score 1-10."));

        assertThat(r.content()).isEqualTo("7");
        Logprobs logprobs = r.choices().get(0).logprobs().orElseThrow();
        assertThat(logprobs.content()).hasSize(1);
        TokenLogprob answer = logprobs.content().get(0);
        assertThat(answer.token()).isEqualTo("7");
        assertThat(answer.logprob()).isCloseTo(Math.log(0.6), within(1e-12));
        assertThat(answer.bytes()).containsExactly(55);
        assertThat(answer.topLogprobs()).extracting(TokenLogprob::token).containsExactly("7", "8", "6");
        double[] expected = {0.6, 0.3, 0.1};
        for (int i = 0; i < expected.length; i++) {
            assertThat(answer.topLogprobs().get(i).probability()).isCloseTo(expected[i], within(1e-12));
        }
        assertThat(r.model()).isEqualTo("acme/agent");
    }

    @Test
    void oneTokenRejectsAnAnswerWithoutAProbabilityAndProbabilitiesOutOfRange() {
        assertThatThrownBy(() -> ChatResponses.oneToken("9", Map.of("7", 0.6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the answer '9' needs a probability among [7]");
        assertThatThrownBy(() -> ChatResponses.oneToken("7", Map.of("7", 0.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the probability of '7' must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> ChatResponses.oneToken("7", Map.of("7", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the probability of '7' must be in (0, 1], was 1.5");
    }

    @Test
    void tokenIdsScriptsARolloutWithThePromptsAndTheCompletionsIds() {
        ScriptedChatClient policy = new ScriptedChatClient()
                .reply(ChatResponses.tokenIds("4", new int[] {151644, 872, 198}, new int[] {19, 151645}));

        ChatResponse r = policy.chat(ask("2+2?"));

        assertThat(r.promptTokenIds()).hasValue(TokenIds.of(151644, 872, 198));
        assertThat(r.choices().get(0).tokenIds()).hasValue(TokenIds.of(19, 151645));
        assertThat(r.content()).isEqualTo("4");
    }

    @Test
    void choicesScriptsSeveralSamples() {
        ScriptedChatClient policy = new ScriptedChatClient()
                .reply(ChatResponses.choices(
                        new Choice(0, ChatMessage.assistant("4"), FinishReason.STOP),
                        new Choice(1, ChatMessage.assistant("5"), FinishReason.LENGTH)));

        ChatResponse r = policy.chat(ask("2+2?"));

        assertThat(r.choices()).extracting(Choice::content).containsExactly("4", "5");
        assertThatThrownBy(ChatResponses::choices)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a reply needs at least one choice");
    }

    @Test
    void aGivenResponseKeepsItsEnvelopeAndOnlyBlanksAreFilledIn() {
        ChatResponse whole = ChatResponses.text("x").toBuilder()
                .id("chatcmpl-9")
                .model("x/y")
                .backend("other")
                .build();
        ScriptedChatClient judge =
                new ScriptedChatClient("judge-backend").reply(whole).reply(ChatResponses.text("y"));

        ChatResponse first = judge.chat(ask("a"));
        ChatResponse second = judge.chat(ask("b"));

        assertThat(first.id()).isEqualTo("chatcmpl-9");
        assertThat(first.model()).isEqualTo("x/y");
        assertThat(first.backend()).isEqualTo("other");
        assertThat(second.id()).isEqualTo("scripted-2");
        assertThat(second.model()).isEqualTo("acme/agent");
        assertThat(second.backend()).isEqualTo("judge-backend");
    }

    @Test
    void callToolsNeedsACall() {
        assertThatThrownBy(() -> new ScriptedChatClient().callTools())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an assistant message of tool calls needs at least one call");
    }
}
