package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

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
     * @param name   the schema's name (letters, digits, {@code _} and {@code -})
     * @param schema the JSON Schema
     * @param strict whether the provider must follow the schema exactly
     * @throws IllegalArgumentException if the name is blank or the schema is not an object
     */
    public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("json_schema response format needs a name");
        }
        if (schema == null || !schema.isObject()) {
            throw new IllegalArgumentException("json_schema response format needs a JSON object schema");
        }
        return new ResponseFormat("json_schema", name, schema.deepCopy(), strict);
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
