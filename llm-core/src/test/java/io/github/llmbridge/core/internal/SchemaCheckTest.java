package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.llmbridge.core.JsonSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code chatJson} tells a model whose reply does not fit the schema it was given: one short
 * message per problem, each starting with the JSON path of the offending value. Its verdicts agree
 * with networknt's json-schema-validator on the schemas {@code JsonSchemas} derives.
 */
class SchemaCheckTest {

    enum Verdict {
        PASS,
        FAIL
    }

    record Tag(String name, int weight) {}

    record Node(String name, List<Node> children) {}

    record Review(
            String reasoning,
            Verdict verdict,
            @JsonProperty("overall_score") int score,
            List<Tag> tags,
            Optional<Tag> best,
            Optional<String> note,
            Tag first,
            double ratio) {}

    private static final JsonNode REVIEW = JsonSchemas.of(Review.class);

    private static final String VALID_REVIEW = """
            {"reasoning": "fine", "verdict": "PASS", "overall_score": 7,
             "tags": [{"name": "style", "weight": 1}, {"name": "naming", "weight": 2}],
             "best": null, "note": "ok", "first": {"name": "style", "weight": 1}, "ratio": 0.5}
            """;

    @Test
    void aValueThatFitsHasNoViolations() {
        assertThat(SchemaCheck.violations(json(VALID_REVIEW), REVIEW)).isEmpty();
    }

    @Test
    void reportsAMissingRequiredFieldWithItsPath() {
        assertThat(SchemaCheck.violations(without(VALID_REVIEW, "overall_score"), REVIEW))
                .containsExactly("$.overall_score: missing (required)");
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("{\"name\": \"naming\", ", "{")), REVIEW))
                .containsExactly("$.tags[1].name: missing (required)");
    }

    @Test
    void reportsAWrongTypeWithItsPath() {
        assertThat(SchemaCheck.violations(
                        json(VALID_REVIEW.replace("\"overall_score\": 7", "\"overall_score\": \"7\"")), REVIEW))
                .containsExactly("$.overall_score: expected integer, got string \"7\"");
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"weight\": 2", "\"weight\": 2.5")), REVIEW))
                .containsExactly("$.tags[1].weight: expected integer, got number 2.5");
        assertThat(SchemaCheck.violations(
                        json(VALID_REVIEW
                                .replace("\"tags\": [", "\"tags\": {\"a\": [")
                                .replace("]", "]}")),
                        REVIEW))
                .containsExactly("$.tags: expected array, got object");
    }

    @Test
    void reportsAValueOutsideTheEnumWithItsPath() {
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"PASS\"", "\"MAYBE\"")), REVIEW))
                .containsExactly("$.verdict: \"MAYBE\" is not one of \"PASS\", \"FAIL\"");
    }

    @Test
    void reportsAPropertyTheSchemaDoesNotHave() {
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"ratio\"", "\"extra\": 1, \"ratio\"")), REVIEW))
                .containsExactly("$.extra: not allowed (the schema has no such property)");
        assertThat(SchemaCheck.violations(
                        json(VALID_REVIEW.replace("\"weight\": 2", "\"weight\": 2, \"my key\": 0")), REVIEW))
                .containsExactly("$.tags[1]['my key']: not allowed (the schema has no such property)");
    }

    @Test
    void acceptsNullForANullableFieldAndSaysWhatElseWasExpected() {
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"note\": \"ok\"", "\"note\": null")), REVIEW))
                .isEmpty();
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"note\": \"ok\"", "\"note\": 3")), REVIEW))
                .containsExactly("$.note: expected string or null, got integer 3");
        // a nullable reference to a $defs type: null, a bad object, something else entirely
        assertThat(SchemaCheck.violations(
                        json(VALID_REVIEW.replace("\"best\": null", "\"best\": {\"name\": \"x\"}")), REVIEW))
                .containsExactly("$.best.weight: missing (required)");
        assertThat(SchemaCheck.violations(json(VALID_REVIEW.replace("\"best\": null", "\"best\": \"x\"")), REVIEW))
                .containsExactly("$.best: expected null or object, got string \"x\"");
    }

    @Test
    void followsDefsReferencesAndRecursion() {
        JsonNode schema = JsonSchemas.of(Node.class);
        assertThat(schema.at("/properties/children/items/$ref").asText()).isEqualTo("#");

        assertThat(SchemaCheck.violations(
                        json("{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": []}]}"), schema))
                .isEmpty();
        assertThat(SchemaCheck.violations(
                        json(
                                "{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": [{\"name\": 1, \"children\": []}]}]}"),
                        schema))
                .containsExactly("$.children[0].children[0].name: expected string, got integer 1");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(SchemaCheck.violations(json("{\"verdict\": \"MAYBE\", \"tags\": [], \"extra\": true}"), REVIEW))
                .containsExactlyInAnyOrder(
                        "$.reasoning: missing (required)",
                        "$.overall_score: missing (required)",
                        "$.best: missing (required)",
                        "$.note: missing (required)",
                        "$.first: missing (required)",
                        "$.ratio: missing (required)",
                        "$.verdict: \"MAYBE\" is not one of \"PASS\", \"FAIL\"",
                        "$.extra: not allowed (the schema has no such property)");
    }

    @Test
    void aWholeNumberWrittenWithADecimalPointIsAnInteger() {
        assertThat(SchemaCheck.violations(
                        json(VALID_REVIEW.replace("\"overall_score\": 7", "\"overall_score\": 7.0")), REVIEW))
                .isEmpty();
    }

    @Test
    void capsTheNumberOfMessages() {
        StringBuilder tags = new StringBuilder("[");
        for (int i = 0; i < 80; i++) {
            tags.append(i == 0 ? "" : ",").append("{}");
        }
        String value = VALID_REVIEW.replaceFirst("\"tags\": \\[.*?\\],", "\"tags\": " + tags + "],");

        List<String> messages = SchemaCheck.violations(json(value), REVIEW);

        assertThat(messages).hasSize(SchemaCheck.MAX_MESSAGES + 1);
        assertThat(messages.get(SchemaCheck.MAX_MESSAGES)).isEqualTo("... and 110 more");
    }

    @Test
    void evaluatesTheCommonKeywordsBeyondTheStrictSubset() {
        JsonNode schema = json("""
                {"type": "object", "properties": {
                  "id": {"type": "string", "pattern": "^[0-9]+$", "minLength": 2, "maxLength": 4},
                  "n": {"type": "number", "minimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5},
                  "tags": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true},
                  "kind": {"const": "a"},
                  "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                  "both": {"allOf": [{"minimum": 1}, {"maximum": 2}]},
                  "never": {"not": {"type": "null"}}
                }}
                """);

        assertThat(SchemaCheck.violations(
                        json("{\"id\": \"12\", \"n\": 9.5, \"tags\": [1], \"kind\": \"a\", \"either\": 1, \"both\": 2,"
                                + " \"never\": 0}"),
                        schema))
                .isEmpty();
        assertThat(SchemaCheck.violations(
                        json(
                                "{\"id\": \"x\", \"n\": 10, \"tags\": [1, 1, 2], \"kind\": \"b\", \"either\": 1.5, \"both\": 3,"
                                        + " \"never\": null}"),
                        schema))
                .containsExactlyInAnyOrder(
                        "$.id: must be at least 2 characters long, is 1",
                        "$.id: \"x\" does not match the pattern ^[0-9]+$",
                        "$.n: must be less than 10, got 10",
                        "$.tags: must have at most 2 items, has 3",
                        "$.tags[1]: repeats an earlier item (items must be unique)",
                        "$.kind: must be \"a\", got \"b\"",
                        "$.either: expected string or integer, got number 1.5",
                        "$.both: must be at most 2, got 3",
                        "$.never: matches a schema it must not match");
    }

    @Test
    void namesTheDiscriminatorWhenNoAlternativeIsForTheValue() {
        JsonNode schema = json("""
                {"oneOf": [
                  {"type": "object", "properties": {"role": {"enum": ["user"]}, "content": {"type": "string"}},
                   "required": ["role", "content"]},
                  {"type": "object", "properties": {"role": {"enum": ["tool"]}, "tool_call_id": {"type": "string"}},
                   "required": ["role", "tool_call_id"]}
                ]}
                """);

        assertThat(SchemaCheck.violations(json("{\"role\": \"tool\", \"content\": \"42\"}"), schema))
                .containsExactly("$.tool_call_id: missing (required)");
        assertThat(SchemaCheck.violations(json("{\"role\": \"bot\"}"), schema))
                .containsExactly("$.role: \"bot\" is not one of \"user\", \"tool\"");
    }

    @Test
    void refusesAKeywordItDoesNotEvaluateRatherThanPassingSilently() {
        JsonNode schema = json("{\"type\": \"object\", \"properties\": {\"a\": {\"if\": {\"type\": \"string\"}}}}");

        assertThat(SchemaCheck.unsupportedKeywords(schema)).containsExactly("if");
        assertThat(SchemaCheck.unsupportedKeywords(REVIEW)).isEmpty();
        assertThatThrownBy(() -> SchemaCheck.violations(json("{\"a\": 1}"), schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"if\"")
                .hasMessageContaining("$.a");
    }

    @Test
    void refusesReferencesOutsideTheSchemaAndCycles() {
        assertThatThrownBy(() -> SchemaCheck.violations(json("1"), json("{\"$ref\": \"https://example.org/s.json\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refers outside itself");
        assertThatThrownBy(() -> SchemaCheck.violations(json("1"), json("{\"$ref\": \"#/$defs/missing\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("points at nothing");
        assertThatThrownBy(() -> SchemaCheck.violations(json("1"), json("{\"$ref\": \"#\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a cycle");
    }

    static Stream<Arguments> valuesForReview() {
        List<String> values = new ArrayList<>();
        values.add(VALID_REVIEW);
        values.add(VALID_REVIEW.replace("\"PASS\"", "\"MAYBE\""));
        values.add(VALID_REVIEW.replace("\"overall_score\": 7", "\"overall_score\": 7.0"));
        values.add(VALID_REVIEW.replace("\"overall_score\": 7", "\"overall_score\": 7.25"));
        values.add(VALID_REVIEW.replace("\"overall_score\": 7", "\"overall_score\": null"));
        values.add(VALID_REVIEW.replace("\"note\": \"ok\"", "\"note\": null"));
        values.add(VALID_REVIEW.replace("\"note\": \"ok\"", "\"note\": false"));
        values.add(VALID_REVIEW.replace("\"best\": null", "\"best\": {\"name\": \"x\", \"weight\": 3}"));
        values.add(VALID_REVIEW.replace("\"best\": null", "\"best\": {\"name\": \"x\"}"));
        values.add(VALID_REVIEW.replace("\"best\": null", "\"best\": []"));
        values.add(VALID_REVIEW.replace("\"ratio\": 0.5", "\"ratio\": 1"));
        values.add(VALID_REVIEW.replace("\"ratio\": 0.5", "\"ratio\": \"0.5\""));
        values.add(VALID_REVIEW.replace("\"tags\": [", "\"tags\": [{\"name\": \"x\", \"weight\": 1, \"z\": 0}, "));
        values.add(VALID_REVIEW.replace("\"first\": {\"name\": \"style\", \"weight\": 1}", "\"first\": null"));
        values.add(VALID_REVIEW.replace("{", "{\"unknown\": 1, "));
        values.add("[]");
        values.add("null");
        values.add("{}");
        return values.stream().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("valuesForReview")
    void agreesWithNetworkntsValidator(String value) {
        assertThat(SchemaCheck.violations(json(value), REVIEW).isEmpty())
                .as("valid according to networknt's json-schema-validator")
                .isEqualTo(networkntSaysValid(REVIEW, json(value)));
    }

    @Test
    void agreesWithNetworkntOnARecursiveSchema() {
        JsonNode schema = JsonSchemas.of(Node.class);
        for (String value : List.of(
                "{\"name\": \"a\", \"children\": []}",
                "{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": []}]}",
                "{\"name\": \"a\", \"children\": [{\"name\": \"b\"}]}",
                "{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": [], \"x\": 1}]}")) {
            assertThat(SchemaCheck.violations(json(value), schema).isEmpty())
                    .as(value)
                    .isEqualTo(networkntSaysValid(schema, json(value)));
        }
    }

    private static boolean networkntSaysValid(JsonNode schema, JsonNode value) {
        tools.jackson.databind.ObjectMapper jackson3 = new tools.jackson.databind.ObjectMapper();
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(
                        SchemaLocation.of("https://llmbridge.invalid/schema.json"),
                        jackson3.readTree(schema.toString()));
        return compiled.validate(jackson3.readTree(value.toString())).isEmpty();
    }

    private static JsonNode without(String json, String field) {
        return ((com.fasterxml.jackson.databind.node.ObjectNode) json(json)).without(field);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
