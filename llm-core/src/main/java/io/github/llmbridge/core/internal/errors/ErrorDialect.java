package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.ErrorCategory;

/**
 * What a backend knows about its own error replies beyond the generic OpenAI-format rules of
 * {@link ErrorResponses}: signals only its server sends, and advice that fits how it is set up.
 * A backend hands its dialect to its transport in its builder's constructor
 * ({@code BackendTransports.of(this).errorDialect(...)}, see
 * {@link io.github.llmbridge.core.internal.transport.BackendTransports}); a
 * {@link io.github.llmbridge.core.internal.transport.JsonHttp} made from that transport uses it too, a
 * standalone one is given it by its builder. Every error reply of its calls, an HTTP error or an
 * error inside a 2xx reply, is classified by the generic rules first and then passed through
 * {@link #refine}, whose answer is final. Core itself knows no backend.
 *
 * <pre>{@code
 * ErrorDialect dialect = (generic, status, error) -> error.messageContains("quota paused")
 *         ? new Classification(ErrorCategory.RATE_LIMITED, true, Hint.of(" - the quota resumes within a minute"))
 *         : generic;
 * }</pre>
 */
@FunctionalInterface
public interface ErrorDialect {

    /** The generic rules alone: every classification is kept as it is. */
    ErrorDialect GENERIC = (generic, status, error) -> generic;

    /**
     * Returns the classification of an error reply: {@code generic} when this backend knows
     * nothing more, else a better one (another {@link ErrorCategory}, retryability or
     * {@link Hint}; {@link Classification#withHint} rewords only the advice).
     *
     * @param generic what the generic rules decided
     * @param status  the HTTP status; for an error inside a 2xx reply, the error's own code when
     *                it is an HTTP status, else 502
     * @param error   the parsed error body (its fields are {@code null} when absent)
     */
    Classification refine(Classification generic, int status, ProviderError error);
}
