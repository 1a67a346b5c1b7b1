package io.github.llmbridge.core.tools;

/**
 * The Java side of a tool: takes the model's arguments (bound to a type, or as a
 * {@code JsonNode}) and returns the result the model reads next.
 *
 * <p>A {@code String} result is sent as it is; any other value is written as JSON ({@code null}
 * as {@code null}). An exception is caught by the loop and its text sent back to the model as the
 * result (see {@link ToolLoop}); an {@link Error} is not caught and ends the loop.
 *
 * @param <A> the type the arguments are bound to
 */
@FunctionalInterface
public interface ToolFunction<A> {

    /**
     * Runs the tool.
     *
     * @param arguments the model's arguments, parsed
     * @return the result for the model: text, or a value written as JSON
     * @throws Exception when the tool fails; the loop reports it to the model and counts it
     */
    Object call(A arguments) throws Exception;
}
