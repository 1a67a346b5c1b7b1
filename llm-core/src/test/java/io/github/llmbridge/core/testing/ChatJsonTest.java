package io.github.llmbridge.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** chatJson: parse into a type, and ask again with the parse error when the output is unusable. */
class ChatJsonTest {

    record Score(double score) {}

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("acme/judge")
            .system("Reply with {\"score\": 0..10}.")
            .user("Grade: 2+2=4")
            .build();

    @Test
    void parsesTheReplyIntoTheType() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("Sure!\n```json\n{\"score\": 9}\n```");

        assertThat(judge.chatJson(REQUEST, Score.class)).isEqualTo(new Score(9));
        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void aRefusalFailsAsContentFilteredWithTheRefusalTextAndIsNotAskedAgain() {
        ChatResponse refusal = ChatResponse.builder()
                .model("acme/judge")
                .backend("scripted")
                .choices(List.of(new Choice(
                        0,
                        ChatMessage.builder(ChatMessage.ASSISTANT)
                                .refusal("I can't help grade that.")
                                .build(),
                        FinishReason.STOP)))
                .build();
        ScriptedChatClient judge = new ScriptedChatClient().reply(refusal).reply("{\"score\": 9}");

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chatJson(REQUEST, Score.class));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONTENT_FILTERED);
        assertThat(e.getMessage()).isEqualTo("the model acme/judge refused to answer: I can't help grade that.");
        assertThat(e.isRetryable()).isFalse();
        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void anUnusableReplyIsAskedAgainWithTheParseErrorInTheConversation() throws Exception {
        ScriptedChatClient judge =
                new ScriptedChatClient().reply("I think it deserves a nine.").reply("{\"score\": 9}");

        Score s = judge.chatJsonAsync(REQUEST, Score.class).get(5, TimeUnit.SECONDS);

        assertThat(s).isEqualTo(new Score(9));
        List<ChatMessage> retry = judge.requests().get(1).messages();
        assertThat(retry).hasSize(4);
        assertThat(retry.get(2)).isEqualTo(ChatMessage.assistant("I think it deserves a nine."));
        assertThat(retry.get(3).role()).isEqualTo("user");
        assertThat(retry.get(3).content())
                .contains("could not be used", "no JSON object found for Score", "Reply again with only the JSON");
    }

    @Test
    void afterTheOutputRetriesItFailsAsInvalidResponseWithTheRawText() {
        ScriptedChatClient judge =
                new ScriptedChatClient().reply("nope").reply("still no").reply("{\"score\": \"high\"}");

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chatJson(REQUEST, Score.class));

        assertThat(judge.requests()).hasSize(3);
        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.partialContent()).contains("{\"score\": \"high\"}");
        assertThat(e.getMessage()).contains("does not fit Score", "after 3 tries");
    }

    @Test
    void theNumberOfOutputRetriesIsTheCallersChoice() {
        ScriptedChatClient judge = new ScriptedChatClient().otherwise(r -> "no json");

        assertThatThrownBy(() -> judge.chatJson(REQUEST, Score.class, 0)).isInstanceOf(LlmException.class);

        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void aTransportFailureIsNotRetriedAsOutput() {
        ScriptedChatClient judge = new ScriptedChatClient().fail(ErrorCategory.AUTHENTICATION, "bad key");

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chatJson(REQUEST, Score.class));

        assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void aFailOpenPlaceholderSurfacesItsError() {
        ScriptedChatClient judge = new ScriptedChatClient().fail(ErrorCategory.BAD_REQUEST, "bad");
        var client = ResilientChatClient.builder(judge).failOpen(true).build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chatJson(REQUEST, Score.class));

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void theTreeVariantReturnsTheJson() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("[{\"title\": \"a\"}]");
        JsonNode tree = judge.chatJson(REQUEST);
        assertThat(tree.get(0).get("title").asText()).isEqualTo("a");
    }
}
