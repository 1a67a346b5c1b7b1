package io.github.llmbridge.core.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The library's one Jackson mapper (thread-safe once configured) and small tree readers. */
public final class Json {

    /**
     * Tolerant of unknown fields everywhere: providers add fields all the time. Reads
     * {@code Optional<X>} fields, which {@code JsonSchemas} makes nullable.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new Jdk8Module())
            .build();

    private Json() {}

    /**
     * Returns a deep copy of a value as a JSON tree ({@code null} becomes a JSON null).
     *
     * @throws IllegalArgumentException when Jackson cannot write the value
     */
    public static JsonNode treeCopy(Object value) {
        return value instanceof JsonNode node ? node.deepCopy() : MAPPER.valueToTree(value);
    }

    /**
     * Returns a deep copy of a value as plain Java JSON values (maps, lists, strings, numbers,
     * booleans); strings, numbers and booleans are returned as they are.
     *
     * @throws IllegalArgumentException when Jackson cannot write the value
     */
    public static Object plainCopy(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return MAPPER.convertValue(value, Object.class);
    }

    /** Returns a field's text if it is a string or a number, else {@code null}. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }

    /** Returns a field as a non-negative long, 0 when absent or not a number. */
    public static long count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? Math.max(0, value.asLong()) : 0;
    }

    /** Returns a field if it is a JSON object, else {@code null}. */
    public static JsonNode object(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }
}
