package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.ErrorCategory;
import java.util.Objects;

/**
 * What an error reply means: its category, whether the call may be retried, and the advice
 * appended to the message. {@link ErrorResponses} decides it by the generic rules; a backend's
 * {@link ErrorDialect} may refine it.
 *
 * @param category  the category
 * @param retryable whether the call may be retried; {@code null} leaves it to the category
 *                  ({@link ErrorCategory#retryableByDefault()})
 * @param hint      the advice appended to the message ({@link Hint#NONE} for none)
 */
public record Classification(ErrorCategory category, Boolean retryable, Hint hint) {

    /** Checks that the category and hint are given. */
    public Classification {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(hint, "hint");
    }

    /** Returns this classification with other advice, e.g. a backend's wording of a generic hint. */
    public Classification withHint(Hint hint) {
        return new Classification(category, retryable, hint);
    }
}
