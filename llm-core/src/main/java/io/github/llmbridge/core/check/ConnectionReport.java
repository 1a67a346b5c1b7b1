package io.github.llmbridge.core.check;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link ConnectionCheck} found, step by step, in the order the steps ran.
 *
 * @param backend the backend checked ({@code ""} when the settings did not get that far)
 * @param model   the model the test request asked
 * @param steps   the steps in order
 */
public record ConnectionReport(String backend, String model, List<CheckStep> steps) {

    /** Copies the steps. */
    public ConnectionReport {
        steps = List.copyOf(steps);
    }

    /** Returns whether no step failed. */
    public boolean ok() {
        return steps.stream().noneMatch(CheckStep::failed);
    }

    /** Returns the failed steps. */
    public List<CheckStep> failures() {
        return steps.stream().filter(CheckStep::failed).toList();
    }

    /** Returns the step of that name, if it ran or was skipped. */
    public Optional<CheckStep> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** One line per step. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("connection check of " + (backend.isEmpty() ? "?" : backend)
                + " with model " + model + ": " + (ok() ? "ok" : failures().size() + " failed"));
        steps.forEach(step -> s.append("\n  ").append(step));
        return s.toString();
    }
}
