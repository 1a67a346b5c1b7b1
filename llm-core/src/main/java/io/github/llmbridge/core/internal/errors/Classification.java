package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.ErrorCategory;
import java.time.Duration;
import java.util.Objects;

/**
 * What an error reply means: its category, whether the call may be retried, the advice appended
 * to the message, whether it says the server is overloaded, and when the body says to retry.
 * {@link ErrorResponses} decides it by the generic rules; a backend's {@link ErrorDialect} may
 * refine it.
 *
 * @param category   the category
 * @param retryable  whether the call may be retried; {@code null} leaves it to the category
 *                   ({@link ErrorCategory#retryableByDefault()})
 * @param hint       the advice appended to the message ({@link Hint#NONE} for none)
 * @param overload   the overload signal this reply is (e.g. {@code "429 rate limit"}), which
 *                   makes an adaptive concurrency limit decrease; {@code null} leaves it to the
 *                   generic rule (a rate limit is one), {@code ""} says the reply is none
 * @param retryAfter the wait the body asks for (OpenRouter's {@code error.availability.retry_after});
 *                   a {@code Retry-After} header wins over it; {@code null} for none
 */
public record Classification(
        ErrorCategory category, Boolean retryable, Hint hint, String overload, Duration retryAfter) {

    /** Checks that the category and hint are given. */
    public Classification {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(hint, "hint");
    }

    /** A classification that leaves the overload signal to the generic rule and asks for no wait. */
    public Classification(ErrorCategory category, Boolean retryable, Hint hint) {
        this(category, retryable, hint, null, null);
    }

    /** Returns this classification with other advice, e.g. a backend's wording of a generic hint. */
    public Classification withHint(Hint hint) {
        return new Classification(category, retryable, hint, overload, retryAfter);
    }

    /** Returns this classification with another retryability ({@code null}: the category's default). */
    public Classification withRetryable(Boolean retryable) {
        return new Classification(category, retryable, hint, overload, retryAfter);
    }

    /** Returns this classification naming the overload signal the reply is. */
    public Classification withOverload(String overload) {
        return new Classification(category, retryable, hint, overload, retryAfter);
    }

    /** Returns this classification with the wait the body asks for. */
    public Classification withRetryAfter(Duration retryAfter) {
        return new Classification(category, retryable, hint, overload, retryAfter);
    }
}
