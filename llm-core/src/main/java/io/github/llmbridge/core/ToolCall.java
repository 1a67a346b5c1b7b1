package io.github.llmbridge.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.io.IOException;
import java.util.Objects;

/**
 * A call of a function tool that the model asked for ({@code tool_calls[]} of an assistant
 * message). The arguments are kept as the model wrote them; parse them when needed:
 *
 * <pre>{@code
 * record Weather(String city) {}
 * for (ToolCall call : response.toolCalls()) {
 *     Weather args = call.arguments(Weather.class);
 *     conversation.add(ChatMessage.toolResult(call.id(), lookUp(args.city())));
 * }
 * }</pre>
 *
 * @param id        the call's id, which the {@code tool} message answering it repeats
 * @param name      the function's name
 * @param arguments the arguments as the model wrote them: JSON text, but not always valid JSON
 */
public record ToolCall(String id, String name, String arguments) {

    /**
     * Validates the call.
     *
     * @throws IllegalArgumentException when the id or name is blank or the arguments are null
     */
    public ToolCall {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("tool call needs an id");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tool call needs a function name");
        }
        Objects.requireNonNull(arguments, "arguments");
    }

    /** Returns a call of the named function with arguments given as JSON text. */
    public static ToolCall function(String id, String name, String argumentsJson) {
        return new ToolCall(id, name, argumentsJson);
    }

    /**
     * Returns the arguments parsed as a JSON tree ({@code ""} counts as an empty object: models
     * send it for functions without parameters).
     *
     * @throws LlmException category {@link ErrorCategory#INVALID_RESPONSE} when the arguments are
     *                      not valid JSON, with the function's name and the parser's reason
     */
    public JsonNode argumentsJson() {
        if (arguments.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(arguments);
            if (tree == null || tree.isMissingNode()) {
                throw invalid("they are empty", null);
            }
            return tree;
        } catch (IOException e) {
            throw invalid(
                    "they are not valid JSON ("
                            + firstLine(
                                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
                            + ")",
                    e);
        }
    }

    /**
     * Returns the arguments bound to a type (a record, bean, map or list).
     *
     * @throws LlmException category {@link ErrorCategory#INVALID_RESPONSE} when the arguments are
     *                      not valid JSON or do not fit the type
     */
    public <T> T arguments(Class<T> type) {
        JsonNode tree = argumentsJson();
        try {
            JavaType javaType = Json.MAPPER.constructType(type);
            return Json.MAPPER.treeToValue(tree, javaType);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("they do not fit " + type.getSimpleName() + " (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Shows the id, the function and the size of the arguments, not the arguments. */
    @Override
    public String toString() {
        return "ToolCall[" + id + ", " + name + ", " + arguments.length() + " chars of arguments]";
    }

    private LlmException invalid(String why, Exception cause) {
        return LlmException.builder(
                        ErrorCategory.INVALID_RESPONSE,
                        "the model's arguments for tool '" + name + "' (call " + id + ") cannot be used: " + why)
                .partialContent(arguments)
                .retryable(false)
                .cause(cause)
                .build();
    }

    /** The parser's reason without its location dump, which only confuses a model reading it. */
    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int location = line.indexOf(" (start marker at");
        return location < 0 ? line : line.substring(0, location);
    }
}
