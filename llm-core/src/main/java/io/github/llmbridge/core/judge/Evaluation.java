package io.github.llmbridge.core.judge;

import java.util.Objects;

/**
 * One judge's verdict on a piece of model output, as reward code produces it and as an
 * observability layer reports it (OpenTelemetry's {@code gen_ai.evaluation.result} event).
 *
 * @param name        what was measured, e.g. {@code label_score}, {@code relevance}; low cardinality
 * @param score       the score, {@link Double#NaN} when the verdict is only a label
 * @param label       a low-cardinality reading of the score ({@code pass}, {@code 7}), {@code ""} for none
 * @param explanation the judge's reasoning or how the score was read, {@code ""} for none
 * @param responseId  the id of the completion that was evaluated, {@code ""} when unknown
 */
public record Evaluation(String name, double score, String label, String explanation, String responseId) {

    /**
     * Checks the name and replaces {@code null} texts by {@code ""}.
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public Evaluation {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an evaluation needs a name");
        }
        label = label == null ? "" : label;
        explanation = explanation == null ? "" : explanation;
        responseId = responseId == null ? "" : responseId;
    }

    /** Returns a verdict with a score only. */
    public static Evaluation of(String name, double score) {
        return new Evaluation(name, score, "", "", "");
    }

    /** Returns whether a numeric score is set. */
    public boolean hasScore() {
        return !Double.isNaN(score);
    }
}
