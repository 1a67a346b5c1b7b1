package io.github.llmbridge.examples;

/**
 * One grading criterion: a short title and what a response must (or, for a negative rubric,
 * must not) do.
 *
 * @param title       e.g. "Correct result"
 * @param description e.g. "States that 17 × 3 is 51"
 */
public record Rubric(String title, String description) {

    /** Returns the rubric as one line for a prompt. */
    public String asPromptLine() {
        return title + ": " + description;
    }
}
