package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code response_format} of a request: free text, any JSON object, or JSON matching a schema.
 *
 * <pre>{@code
 * ChatRequest.builder().model("openai/gpt-4o-mini").user("...")
 *     .responseFormat(ResponseFormat.jsonObject())
 *     .build();
 * }</pre>
 */
public final class ResponseFormat {

    /** OpenAI's rule for a {@code json_schema} name (CreateChatCompletionRequest, ResponseFormatJsonSchema). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private static final ResponseFormat TEXT = new ResponseFormat("text", null, null, false);
    private static final ResponseFormat JSON_OBJECT = new ResponseFormat("json_object", null, null, false);

    private final String type;
    private final String schemaName;
    private final JsonNode schema;
    private final boolean strict;

    private ResponseFormat(String type, String schemaName, JsonNode schema, boolean strict) {
        this.type = type;
        this.schemaName = schemaName;
        this.schema = schema;
        this.strict = strict;
    }

    /** Plain text, the providers' default. */
    public static ResponseFormat text() {
        return TEXT;
    }

    /** Any syntactically valid JSON object ({@code {"type": "json_object"}}). */
    public static ResponseFormat jsonObject() {
        return JSON_OBJECT;
    }

    /**
     * JSON that matches a JSON Schema ({@code {"type": "json_schema", "json_schema": {...}}}).
     *
     * @param name   the schema's name: 1 to 64 letters, digits, {@code _} or {@code -}
     * @param schema the JSON Schema
     * @param strict whether the provider must follow the schema exactly (the schema must then
     *     follow OpenAI's strict rules, as {@link JsonSchemas#of} schemas do)
     * @throws IllegalArgumentException if the name is missing or not 1 to 64 letters, digits,
     *     {@code _} or {@code -}, or the schema is not a JSON object
     */
    public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("json_schema response format needs a name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("json_schema response format name \"" + shorten(name) + "\" is not"
                    + " allowed: use 1 to 64 letters, digits, '_' or '-' (OpenAI rejects any other name), e.g. \""
                    + sanitize(name) + "\"");
        }
        if (schema == null || !schema.isObject()) {
            throw new IllegalArgumentException("json_schema response format needs a JSON object schema");
        }
        return new ResponseFormat("json_schema", name, schema.deepCopy(), strict);
    }

    /**
     * Strict JSON matching the schema derived from {@code type} by {@link JsonSchemas#of}, named
     * after the type's simple name (characters other than letters, digits, {@code _} and {@code -}
     * replaced by {@code _}, cut to 64).
     *
     * <pre>{@code
     * record Score(String reasoning, int score) {}
     * ChatRequest.builder().model("openai/gpt-4o-mini").user("Grade: ...")
     *     .responseFormat(ResponseFormat.jsonSchema(Score.class))   // name "Score", strict
     *     .build();
     * }</pre>
     *
     * @param type the record or class the reply is read into
     * @throws IllegalArgumentException if no strict schema describes the type (see {@link JsonSchemas#of})
     */
    public static ResponseFormat jsonSchema(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("json_schema response format needs a type, was null");
        }
        return jsonSchema(nameOf(type), JsonSchemas.of(type), true);
    }

    /** The type's simple name made a valid schema name; a local or anonymous class falls back to its binary name. */
    private static String nameOf(Class<?> type) {
        String simple = type.getSimpleName();
        if (simple.isEmpty()) {
            String binary = type.getName();
            simple = binary.substring(binary.lastIndexOf('.') + 1);
        }
        return sanitize(simple);
    }

    private static String sanitize(String name) {
        String clean = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        clean = clean.length() > 64 ? clean.substring(0, 64) : clean;
        return clean.isEmpty() ? "response" : clean;
    }

    private static String shorten(String name) {
        return name.length() <= 80 ? name : name.substring(0, 77) + "...";
    }

    /** Returns {@code text}, {@code json_object} or {@code json_schema}. */
    public String type() {
        return type;
    }

    /** Returns the schema's name for {@code json_schema}. */
    public Optional<String> schemaName() {
        return Optional.ofNullable(schemaName);
    }

    /** Returns a copy of the schema for {@code json_schema}. */
    public Optional<JsonNode> schema() {
        return Optional.ofNullable(schema).map(JsonNode::deepCopy);
    }

    /** Returns whether a {@code json_schema} format is strict. */
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseFormat f
                && type.equals(f.type)
                && Objects.equals(schemaName, f.schemaName)
                && Objects.equals(schema, f.schema)
                && strict == f.strict;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, schemaName, schema, strict);
    }

    @Override
    public String toString() {
        return schemaName == null ? type : type + "(" + schemaName + (strict ? ", strict)" : ")");
    }
}
