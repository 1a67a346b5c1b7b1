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
import io.github.llmbridge.core.JsonSchemas;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.ResponseFormat;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.util.List;
import java.util.Optional;
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
        assertThat(e.getMessage()).contains("does not match the schema of Score", "$.score", "number", "after 3 tries");
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
        assertThat(judge.lastRequest().responseFormat())
                .as("no strict schema describes a tree")
                .isEmpty();
    }

    @Test
    void sendsTheStrictSchemaDerivedFromTheType() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("{\"score\": 9}");

        judge.chatJson(REQUEST, Score.class);

        ResponseFormat sent = judge.lastRequest().responseFormat().orElseThrow();
        assertThat(sent.type()).isEqualTo("json_schema");
        assertThat(sent.schemaName()).contains("Score");
        assertThat(sent.strict()).isTrue();
        assertThat(sent.schema()).contains(JsonSchemas.of(Score.class));
    }

    @Test
    void keepsTheCallersOwnResponseFormat() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("{\"score\": 9}");
        ChatRequest jsonObject =
                REQUEST.toBuilder().responseFormat(ResponseFormat.jsonObject()).build();

        judge.chatJson(jsonObject, Score.class);

        assertThat(judge.lastRequest().responseFormat()).contains(ResponseFormat.jsonObject());
    }

    @Test
    void aReplyThatBreaksTheSchemaIsAskedAgainWithWhatToFix() {
        ScriptedChatClient judge =
                new ScriptedChatClient().reply("{\"grade\": 9}").reply("{\"score\": 9}");

        assertThat(judge.chatJson(REQUEST, Score.class)).isEqualTo(new Score(9));

        assertThat(judge.requests()).hasSize(2);
        List<ChatMessage> retry = judge.requests().get(1).messages();
        assertThat(retry.get(retry.size() - 1).content())
                .contains("it does not match the schema of Score", "$.score", "required");
    }

    record Verdict(String reasoning, Optional<String> caveat, int score) {}

    @Test
    void optionalFieldsAreNullableInTheSchemaAndReadAsOptionals() {
        ScriptedChatClient judge = new ScriptedChatClient()
                .reply("{\"reasoning\": \"fine\", \"caveat\": null, \"score\": 8}")
                .reply("{\"reasoning\": \"fine\", \"caveat\": \"short\", \"score\": 6}");

        assertThat(judge.chatJson(REQUEST, Verdict.class)).isEqualTo(new Verdict("fine", Optional.empty(), 8));
        assertThat(judge.chatJson(REQUEST, Verdict.class)).isEqualTo(new Verdict("fine", Optional.of("short"), 6));
    }

    @Test
    void extraFieldsFromAServerThatDoesNotEnforceTheSchemaAreFine() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("{\"score\": 9, \"note\": \"well argued\"}");

        assertThat(judge.chatJson(REQUEST, Score.class)).isEqualTo(new Score(9));
        assertThat(judge.requests()).hasSize(1);
    }

    @Test
    void aServerThatRejectsTheSchemaFormatIsAskedOnceWithoutIt() {
        ScriptedChatClient judge = new ScriptedChatClient()
                .fail(ErrorCategory.BAD_REQUEST, "HTTP 400: response_format json_schema is not supported by this model")
                .reply("Here: {\"score\": 7}");

        assertThat(judge.chatJson(REQUEST, Score.class)).isEqualTo(new Score(7));

        assertThat(judge.requests()).hasSize(2);
        assertThat(judge.requests().get(0).responseFormat()).isPresent();
        assertThat(judge.requests().get(1).responseFormat()).isEmpty();
    }

    @Test
    void anotherBadRequestIsNotRetriedWithoutTheFormat() {
        ScriptedChatClient judge =
                new ScriptedChatClient().fail(ErrorCategory.BAD_REQUEST, "HTTP 400: temperature must be <= 2");

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chatJson(REQUEST, Score.class));

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(judge.requests()).hasSize(1);
    }
}
