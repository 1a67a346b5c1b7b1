package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@code json_schema} response format: from a type, and names as OpenAI allows them. */
class ResponseFormatTest {

    record Score(String reasoning, int score) {}

    record Score$V2(int score) {}

    record AVeryLongRecordNameThatGoesOnAndOnBeyondTheSixtyFourCharactersOpenAiAllows(int score) {}

    @Test
    void aTypeGivesAStrictFormatNamedAfterItWithItsDerivedSchema() {
        ResponseFormat format = ResponseFormat.jsonSchema(Score.class);

        assertThat(format.type()).isEqualTo("json_schema");
        assertThat(format.schemaName()).contains("Score");
        assertThat(format.strict()).isTrue();
        assertThat(format.schema()).contains(JsonSchemas.of(Score.class));
    }

    @Test
    void aTypeNameOutsideTheAllowedCharactersIsCleanedUp() {
        Object local = new Object() {};

        assertThat(ResponseFormat.jsonSchema(Score$V2.class).schemaName()).contains("Score_V2");
        assertThat(ResponseFormat.jsonSchema(
                                AVeryLongRecordNameThatGoesOnAndOnBeyondTheSixtyFourCharactersOpenAiAllows.class)
                        .schemaName())
                .contains("AVeryLongRecordNameThatGoesOnAndOnBeyondTheSixtyFourCharactersOp");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema(local.getClass()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JsonSchemas.of(");
    }

    @Test
    void aTypeWithoutAStrictSchemaIsRefusedWithJsonSchemasAdvice() {
        assertThatThrownBy(() -> ResponseFormat.jsonSchema(String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ResponseFormat.jsonObject()");
        assertThatThrownBy(() -> ResponseFormat.jsonSchema((Class<?>) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a type");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "score",
                "Score_v2",
                "a-b",
                "x",
                "0123456789012345678901234567890123456789012345678901234567890123"
            })
    void acceptsNamesOfOneToSixtyFourLettersDigitsUnderscoresAndDashes(String name) {
        assertThat(ResponseFormat.jsonSchema(name, object(), true).schemaName()).contains(name);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "my score",
                "score.v2",
                "sc\u00f6re",
                "a/b",
                "01234567890123456789012345678901234567890123456789012345678901234"
            })
    void refusesANameOpenAiWouldRejectAndSuggestsOne(String name) {
        assertThatThrownBy(() -> ResponseFormat.jsonSchema(name, object(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name \"" + name + "\" is not allowed")
                .hasMessageContaining("1 to 64 letters, digits, '_' or '-'")
                .hasMessageContaining("e.g. \""
                        + name.replaceAll("[^a-zA-Z0-9_-]", "_").substring(0, Math.min(64, name.length())) + "\"");
    }

    private static ObjectNode object() {
        return Json.MAPPER.createObjectNode().put("type", "object");
    }
}
