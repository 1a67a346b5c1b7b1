package io.github.llmbridge.core.check;

import java.util.Objects;

/**
 * One step of a {@link ConnectionCheck}: what was checked, whether it passed, what was seen and,
 * for a failure, the one-line fix.
 *
 * @param name   the step, e.g. {@code "dns"}, {@code "connect"}, {@code "auth"} (see {@link ConnectionCheck})
 * @param status passed, failed, or skipped because an earlier step failed
 * @param detail what was seen, e.g. {@code "api.example.com -> 93.184.215.14"}; for a skip, why
 * @param fix    what to do about a failure, {@code ""} otherwise
 */
public record CheckStep(String name, Status status, String detail, String fix) {

    /** The outcome of a step. */
    public enum Status {
        /** The step passed. */
        OK,
        /** The step failed; {@link #fix()} says what to do. */
        FAILED,
        /** The step was not run, because an earlier one failed or does not apply. */
        SKIPPED
    }

    /** Checks that nothing is null. */
    public CheckStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    /** A passed step. */
    public static CheckStep ok(String name, String detail) {
        return new CheckStep(name, Status.OK, detail, "");
    }

    /** A failed step with its fix. */
    public static CheckStep failed(String name, String detail, String fix) {
        return new CheckStep(name, Status.FAILED, detail, fix);
    }

    /** A step not run, and why. */
    public static CheckStep skipped(String name, String why) {
        return new CheckStep(name, Status.SKIPPED, why, "");
    }

    /** Returns whether the step failed. */
    public boolean failed() {
        return status == Status.FAILED;
    }

    /** E.g. {@code "✓ dns: api.example.com -> 93.184.215.14"}, with the fix on a failure. */
    @Override
    public String toString() {
        String mark = switch (status) {
            case OK -> "✓";
            case FAILED -> "✗";
            case SKIPPED -> "-";
        };
        return mark + " " + name + ": " + detail + (fix.isEmpty() ? "" : " -> " + fix);
    }
}
