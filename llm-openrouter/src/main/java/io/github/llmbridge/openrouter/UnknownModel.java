package io.github.llmbridge.openrouter;

import java.util.List;
import java.util.Objects;

/**
 * A model id OpenRouter does not offer, with the known ids closest to it, as found by
 * {@link OpenRouterAccount#checkModels(java.util.Collection)}.
 *
 * @param id      the id as given
 * @param problem what is wrong, in words a user can act on
 * @param closest known ids that look like it, best first (may be empty)
 */
public record UnknownModel(String id, String problem, List<String> closest) {

    /** Copies the suggestions. */
    public UnknownModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        closest = List.copyOf(closest);
    }

    /** Returns the problem and, when there are any, the closest known ids, in one line. */
    public String describe() {
        return closest.isEmpty() ? problem : problem + "; did you mean " + String.join(", ", closest) + "?";
    }
}
