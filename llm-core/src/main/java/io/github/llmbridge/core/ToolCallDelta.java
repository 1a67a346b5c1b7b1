package io.github.llmbridge.core;

/**
 * A piece of a tool call as a streamed reply delivers it. The first piece of a call carries its
 * {@code id} and function {@code name}; later pieces with the same {@code index} carry only more
 * of the {@code arguments} JSON text, which is meaningful only once joined. The assembled reply
 * ({@link ChatStream#response()}) holds the joined {@link ToolCall}s.
 *
 * @param index          which tool call of the choice this piece belongs to
 * @param id             the call's id, or {@code ""} on pieces after the first
 * @param name           the function's name, or {@code ""} on pieces after the first
 * @param argumentsDelta the next characters of the arguments' JSON text, possibly {@code ""}
 */
public record ToolCallDelta(int index, String id, String name, String argumentsDelta) {

    /** Replaces {@code null} strings with {@code ""}. */
    public ToolCallDelta {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
    }
}
