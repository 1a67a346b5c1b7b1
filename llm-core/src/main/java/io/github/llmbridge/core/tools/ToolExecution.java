package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.ToolCall;
import java.time.Duration;
import java.util.Objects;

/**
 * One tool call the loop handled: the model's call, what became of it, and the text sent back to
 * the model as the {@code tool} message answering it.
 *
 * @param round    the round (1-based) whose reply made the call
 * @param call     the model's call, as it came
 * @param outcome  whether the tool ran and returned, and if not, why not
 * @param result   the text sent back as the {@code tool} message: the tool's result, or for any
 *                 other outcome an error text beginning {@code "Error: "}
 * @param failure  what the tool threw ({@link Outcome#FAILED}) or the parse failure of its
 *                 arguments ({@link Outcome#INVALID_ARGUMENTS}); {@code null} otherwise
 * @param duration how long the tool function ran ({@link Duration#ZERO} when it did not run)
 */
public record ToolExecution(
        int round, ToolCall call, Outcome outcome, String result, Throwable failure, Duration duration) {

    /** What became of one tool call. */
    public enum Outcome {
        /** The tool ran and returned its result. */
        OK,
        /** The model named a tool the request did not offer; nothing ran. */
        UNKNOWN_TOOL,
        /** The model's arguments were not valid JSON or did not fit the tool's type; nothing ran. */
        INVALID_ARGUMENTS,
        /** The tool threw an exception. */
        FAILED
    }

    /** Validates the record. */
    public ToolExecution {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(duration, "duration");
    }

    /** Returns whether the tool ran and returned ({@link Outcome#OK}). */
    public boolean succeeded() {
        return outcome == Outcome.OK;
    }

    /** Shows the round, the call and the outcome, not the result (which can be large). */
    @Override
    public String toString() {
        return "ToolExecution[round " + round + ", " + call.name() + " (" + call.id() + "), " + outcome + ", "
                + result.length() + " chars, " + duration.toMillis() + " ms]";
    }
}
