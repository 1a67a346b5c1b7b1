package io.github.llmbridge.examples;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The rubrics for one question, in the JSON shape the generator asks the model for:
 * {@code {"question": ..., "positive_rubrics": [{"title", "description"}], "negative_rubrics": [...]}}.
 *
 * @param question        the question the rubrics grade
 * @param positiveRubrics what a good response does
 * @param negativeRubrics what a good response must not do
 */
public record RubricSet(
        String question,
        @JsonProperty("positive_rubrics") List<Rubric> positiveRubrics,
        @JsonProperty("negative_rubrics") List<Rubric> negativeRubrics) {

    /** Replaces missing lists with empty ones. */
    public RubricSet {
        positiveRubrics = positiveRubrics == null ? List.of() : List.copyOf(positiveRubrics);
        negativeRubrics = negativeRubrics == null ? List.of() : List.copyOf(negativeRubrics);
    }

    /** Returns how many rubrics there are in all. */
    public int size() {
        return positiveRubrics.size() + negativeRubrics.size();
    }
}
