package io.github.llmbridge.cli.traces;

/** How {@code traces summary} and the report group calls. */
public enum Grouping {
    /** One group per session name. */
    SESSION,
    /**
     * One group per session prefix: the session name up to its last delimiter ({@code step-42} for
     * {@code step-42/rollout-7}), typically a training step; a name without the delimiter is its own group.
     */
    PREFIX,
    /** One group per requested model. */
    MODEL,
    /** One group for everything. */
    ALL
}
