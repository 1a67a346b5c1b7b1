package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A corpus of messy model replies, each with the JSON a judge's reward code needs from it. */
class JsonRepliesTest {

    record Score(double score) {}

    record Rubric(String title, String description) {}

    static Stream<Arguments> corpus() {
        return Stream.of(
                row("bare object", "{\"score\": 7}", "{\"score\":7}"),
                row("bare array", "[1, 2, 3]", "[1,2,3]"),
                row("surrounding whitespace", "\n\n   {\"score\": 7}\n  ", "{\"score\":7}"),
                row("json fence", "```json\n{\"score\": 7}\n```", "{\"score\":7}"),
                row("JSON fence upper case", "```JSON\n{\"score\": 7}\n```", "{\"score\":7}"),
                row("plain fence", "```\n{\"score\": 7}\n```", "{\"score\":7}"),
                row("fence without newline", "```json {\"score\": 7}```", "{\"score\":7}"),
                row(
                        "prose then fence",
                        "Here is my evaluation:\n\n```json\n{\"score\": 4, \"reason\": \"ok\"}\n```\nLet me know!",
                        "{\"score\":4,\"reason\":\"ok\"}"),
                row("prose before", "Sure! The score is {\"score\": 9}", "{\"score\":9}"),
                row("prose after", "{\"score\": 2}\n\nI gave a 2 because the answer was incomplete.", "{\"score\":2}"),
                row(
                        "prose around with braces later",
                        "Result: {\"score\": 5} (where {x} is a variable)",
                        "{\"score\":5}"),
                row("byte-order mark", "\uFEFF{\"score\": 6}", "{\"score\":6}"),
                row("doubled braces from an escaped template", "{{\"score\": 8}}", "{\"score\":8}"),
                row("doubled braces nested", "{{\"rubric\": {{\"title\": \"a\"}}}}", "{\"rubric\":{\"title\":\"a\"}}"),
                row("nested object ending in }} is not undoubled", "{\"a\": {\"b\": 1}}", "{\"a\":{\"b\":1}}"),
                row("trailing comma in object", "{\"score\": 3,}", "{\"score\":3}"),
                row("trailing comma in array", "{\"items\": [1, 2, 3,]}", "{\"items\":[1,2,3]}"),
                row(
                        "single-quoted keys and strings",
                        "{'score': 5, 'reason': 'fine'}",
                        "{\"score\":5,\"reason\":\"fine\"}"),
                row("unquoted field names", "{score: 5}", "{\"score\":5}"),
                row("line comment", "{\n  \"score\": 5 // out of 10\n}", "{\"score\":5}"),
                row(
                        "escaped quotes in strings",
                        "{\"quote\": \"he said \\\"yes\\\"\"}",
                        "{\"quote\":\"he said \\\"yes\\\"\"}"),
                row(
                        "braces inside strings",
                        "{\"text\": \"use {curly} and [square]\"}",
                        "{\"text\":\"use {curly} and [square]\"}"),
                row("unicode", "{\"feedback\": \"très bien ✓\"}", "{\"feedback\":\"très bien ✓\"}"),
                row(
                        "array of rubrics in prose",
                        "The rubrics are:\n[{\"title\": \"a\", \"description\": \"b\"}]\nDone.",
                        "[{\"title\":\"a\",\"description\":\"b\"}]"),
                row(
                        "two fences, first wins",
                        "```json\n{\"score\": 1}\n```\nor maybe\n```json\n{\"score\": 2}\n```",
                        "{\"score\":1}"),
                row(
                        "broken fence then valid object",
                        "```json\n{\"score\": \n```\nSorry, here: {\"score\": 4}",
                        "{\"score\":4}"),
                row(
                        "reasoning then answer",
                        "<think>The answer is good {maybe}</think>\n{\"score\": 10}",
                        "{\"score\":10}"),
                row("windows line endings", "```json\r\n{\"score\": 7}\r\n```\r\n", "{\"score\":7}"),
                row("numbers as floats", "{\"score\": 0.75}", "{\"score\":0.75}"),
                row(
                        "deeply nested",
                        "{\"a\": {\"b\": {\"c\": [ {\"d\": null} ]}}}",
                        "{\"a\":{\"b\":{\"c\":[{\"d\":null}]}}}"),
                row(
                        "object after an unclosed brace in prose",
                        "Note: { is not closed. {\"score\": 3}",
                        "{\"score\":3}"),
                row("markdown bold around", "**Score:** {\"score\": 6} **End**", "{\"score\":6}"),
                row("empty reply", "", null),
                row("only prose", "I cannot grade this answer.", null),
                row("truncated object", "{\"score\": 7, \"reason\": \"the answer", null),
                row("scalar only", "7", null));
    }

    private static Arguments row(String name, String reply, String expected) {
        return Arguments.of(name, reply, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void findsTheJsonAReplyHolds(String name, String reply, String expected) throws Exception {
        if (expected == null) {
            assertThat(JsonReplies.find(reply)).isEmpty();
        } else {
            assertThat(JsonReplies.find(reply)).contains(Json.MAPPER.readTree(expected));
        }
    }

    @Test
    void corpusIsLargeEnough() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void bindingSkipsCandidatesOfTheWrongShape() {
        String reply = "According to criteria [1] and [2], the final answer is {\"score\": 8}.";
        assertThat(JsonReplies.find(reply)).map(JsonNode::toString).contains("[1]");
        assertThat(JsonReplies.parse(reply, Score.class)).isEqualTo(new Score(8));
    }

    @Test
    void bindingSkipsObjectsThatDoNotFitTheType() {
        String reply = "{\"thinking\": \"hmm\"} then {\"title\": \"Accuracy\", \"description\": \"is correct\"}";
        assertThat(JsonReplies.parse(reply, Rubric.class)).isEqualTo(new Rubric(null, null));
        record Strict(
                @com.fasterxml.jackson.annotation.JsonProperty(required = true)
                double score) {}
        assertThat(JsonReplies.parse("{\"x\": 1} {\"score\": 2}", Strict.class)).isEqualTo(new Strict(2));
    }

    @Test
    void listsAndMapsBind() {
        assertThat(JsonReplies.parse("Here: [\"a\", \"b\"]", List.class)).containsExactly("a", "b");
        assertThat(JsonReplies.parse("{\"k\": 1}", Map.class)).containsEntry("k", 1);
    }

    @Test
    void noJsonIsAnInvalidResponseWithTheReplyAttached() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> JsonReplies.parse("I refuse.", Score.class));
        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.partialContent()).contains("I refuse.");
        assertThat(e.getMessage()).contains("no JSON object found for Score", "I refuse.");

        LlmException wrongShape =
                catchThrowableOfType(LlmException.class, () -> JsonReplies.parse("{\"score\": \"high\"}", Score.class));
        assertThat(wrongShape.getMessage()).contains("does not fit Score");
    }
}
