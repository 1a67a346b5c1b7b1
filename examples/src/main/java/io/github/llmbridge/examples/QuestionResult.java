package io.github.llmbridge.examples;

import io.github.llmbridge.core.LlmException;
import java.util.List;

/**
 * The outcome for one question: its rubrics and one reward per candidate response, or the failure
 * that stopped it.
 */
record QuestionResult(String question, RubricSet rubrics, List<Double> rewards, LlmException failure) {

    static QuestionResult failed(String question, LlmException failure) {
        return new QuestionResult(question, new RubricSet(question, List.of(), List.of()), List.of(), failure);
    }

    boolean scored() {
        return failure == null;
    }
}
