package io.github.llmbridge.core;

import java.util.Objects;

/**
 * Why the model stopped generating. The set is open: providers and gateways add values (e.g.
 * {@code error}), so an unknown value is kept as its string instead of failing the call.
 * Compare with the constants: {@code response.finishReason().equals(FinishReason.LENGTH)}.
 *
 * @param value the provider's string, {@code ""} when it sent none
 */
public record FinishReason(String value) {

    /** The model finished its answer or hit a stop sequence. */
    public static final FinishReason STOP = new FinishReason("stop");
    /** The answer was cut off by {@code max_tokens} or the context window. */
    public static final FinishReason LENGTH = new FinishReason("length");
    /** The model asked for tool calls. */
    public static final FinishReason TOOL_CALLS = new FinishReason("tool_calls");
    /** The provider's content filter stopped or withheld the answer. */
    public static final FinishReason CONTENT_FILTER = new FinishReason("content_filter");
    /** Legacy function-calling stop. */
    public static final FinishReason FUNCTION_CALL = new FinishReason("function_call");
    /** A gateway reported an error inside an otherwise successful response. */
    public static final FinishReason ERROR = new FinishReason("error");
    /** The provider did not say. */
    public static final FinishReason MISSING = new FinishReason("");

    /** Keeps the value as sent (never {@code null}). */
    public FinishReason {
        Objects.requireNonNull(value, "value");
    }

    /** Returns the finish reason for a provider's string; {@code null} gives {@link #MISSING}. */
    public static FinishReason of(String value) {
        return value == null ? MISSING : new FinishReason(value);
    }

    /** Returns whether the provider sent a finish reason at all. */
    public boolean isPresent() {
        return !value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : value;
    }
}
