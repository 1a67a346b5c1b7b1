package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * A function the model may call ({@code tools[]} of a request, type {@code function}): a name, a
 * description the model reads to decide when to call it, and a JSON Schema of its parameters,
 * written by hand or derived from a Java type.
 *
 * <pre>{@code
 * record Weather(String city) {}
 * Tool weather = Tool.function("get_weather", "Current weather in a city", Weather.class);
 * ChatRequest.builder().model(m).user("Is it raining in Oslo?").tools(weather).build();
 * }</pre>
 *
 * @param name        the function's name: letters, digits, {@code _} and {@code -}, at most 64
 * @param description what the function does, or {@code null}
 * @param parameters  the JSON Schema of the arguments object, or {@code null} for none
 * @param strict      whether the provider must make the arguments match the schema exactly
 *                    ({@code null} leaves the provider's default)
 */
public record Tool(String name, String description, JsonNode parameters, Boolean strict) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /**
     * Validates the definition and copies the schema.
     *
     * @throws IllegalArgumentException when the name breaks the pattern or the parameters are not
     *                                  a JSON object
     */
    public Tool {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name
                    + "' must be 1 to 64 letters, digits, '_' or '-' (the chat-completions API rejects others)");
        }
        if (parameters != null) {
            if (!parameters.isObject()) {
                throw new IllegalArgumentException("parameters of tool '" + name + "' must be a JSON Schema object");
            }
            parameters = parameters.deepCopy();
        }
    }

    /** Returns a function tool that takes no parameters. */
    public static Tool function(String name, String description) {
        return new Tool(name, description, null, null);
    }

    /** Returns a function tool whose parameters are given as a JSON Schema (not strict). */
    public static Tool function(String name, String description, JsonNode parameters) {
        return new Tool(name, description, parameters, null);
    }

    /**
     * Returns a strict function tool whose parameters schema is derived from a record or class
     * (see {@link JsonSchemas#of}); {@link ToolCall#arguments(Class)} binds the model's arguments
     * back to the same type.
     *
     * @throws IllegalArgumentException when no strict object schema describes the type, or the
     *                                  name breaks the pattern
     */
    public static Tool function(String name, String description, Class<?> parameters) {
        return new Tool(name, description, JsonSchemas.of(parameters), true);
    }

    /** Returns a copy that is strict (or not). */
    public Tool withStrict(boolean strict) {
        return new Tool(name, description, parameters, strict);
    }

    /** Returns a copy of the parameters schema: the record's own tree is never handed out. */
    @Override
    public JsonNode parameters() {
        return parameters == null ? null : parameters.deepCopy();
    }

    /** Shows the name and whether it is strict, not the schema. */
    @Override
    public String toString() {
        return "Tool[" + name + (Boolean.TRUE.equals(strict) ? ", strict" : "") + "]";
    }
}
