package io.github.llmbridge.tracing;

import java.util.Arrays;
import java.util.stream.DoubleStream;

/**
 * The log probabilities of the tokens one choice generated, in order, as a trace stores them
 * ({@link TraceRecord#completionLogprobs()}, column {@code completion_logprobs}): position
 * {@code i} belongs to the token at position {@code i} of the choice's
 * {@link TraceRecord#completionTokenIds() token ids}. Held as a {@code double[]}, as
 * {@link io.github.llmbridge.core.TokenIds} holds ids, so reading a thousand long rollouts does
 * not box millions of numbers.
 *
 * <pre>{@code
 * double logLikelihood = record.completionLogprobs().get(0).sum();
 * }</pre>
 */
public final class LogprobSequence {

    private static final LogprobSequence EMPTY = new LogprobSequence(new double[0]);

    private final double[] values;

    private LogprobSequence(double[] values) {
        this.values = values;
    }

    /** Returns a sequence holding a copy of the given log probabilities. */
    public static LogprobSequence of(double... values) {
        return values.length == 0 ? EMPTY : new LogprobSequence(values.clone());
    }

    /** Returns a sequence that takes ownership of the array (the reader's own, never shared). */
    static LogprobSequence wrap(double[] values) {
        return values.length == 0 ? EMPTY : new LogprobSequence(values);
    }

    /** Returns the number of tokens. */
    public int size() {
        return values.length;
    }

    /** Returns whether there are no tokens. */
    public boolean isEmpty() {
        return values.length == 0;
    }

    /**
     * Returns the log probability at a position ({@code NaN} where the stored value was not a
     * number).
     *
     * @throws IndexOutOfBoundsException when the position is outside the sequence
     */
    public double get(int index) {
        return values[index];
    }

    /** Returns the sum: the sequence's log likelihood under the model that generated it. */
    public double sum() {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /** Returns a copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    /** Returns the values as a stream. */
    public DoubleStream stream() {
        return Arrays.stream(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogprobSequence l && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** Shows the count and the first few values. */
    @Override
    public String toString() {
        int shown = Math.min(values.length, 8);
        StringBuilder s =
                new StringBuilder("LogprobSequence[").append(values.length).append(": ");
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return s.append(values.length > shown ? ", ...]" : "]").toString();
    }
}
