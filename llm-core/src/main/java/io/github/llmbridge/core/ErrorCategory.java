package io.github.llmbridge.core;

/**
 * What kind of failure an {@link LlmException} reports, so callers can branch without parsing
 * messages. Each category has a default retryability; a particular error may override it (an
 * HTML page in place of a JSON reply is {@link #INVALID_RESPONSE} but not retryable: the base URL
 * is wrong, and asking again will not fix it).
 */
public enum ErrorCategory {
    /** The API key was missing, wrong or expired (HTTP 401). */
    AUTHENTICATION(false),
    /** The key is valid but not allowed to do this, e.g. use this model (HTTP 403). */
    PERMISSION(false),
    /** The account or key has no credit left (HTTP 402). */
    INSUFFICIENT_CREDITS(false),
    /** The provider rejected the request as malformed (HTTP 400, 413, 422, ...). */
    BAD_REQUEST(false),
    /** The model id is unknown or has no available endpoint. */
    MODEL_NOT_FOUND(false),
    /** The prompt plus {@code max_tokens} does not fit the model's context window. */
    CONTEXT_LENGTH_EXCEEDED(false),
    /** A moderation or content filter refused the request. */
    CONTENT_FILTERED(false),
    /** Too many requests or tokens; wait and retry (HTTP 429). */
    RATE_LIMITED(true),
    /** The call or one attempt ran out of time (HTTP 408 or a client-side timeout). */
    TIMEOUT(true),
    /** The network failed: refused, reset, DNS, TLS, or a gateway could not reach its upstream. */
    CONNECTION(true),
    /** The provider failed (HTTP 5xx or an in-body transient error). */
    SERVER_ERROR(true),
    /** The reply could not be understood: not JSON, truncated, too large, or without choices. */
    INVALID_RESPONSE(true),
    /** The library is configured wrongly: a bad or missing setting, or a wrong base URL. */
    CONFIGURATION(false),
    /** The caller cancelled the call or closed the client. */
    CANCELLED(false),
    /**
     * The client's or the session's spending budget is used up: the call was refused before any
     * HTTP request, and is neither retried nor sent to a fallback model. The message says what
     * was spent, the limit, and the variable to raise.
     */
    BUDGET_EXHAUSTED(false);

    private final boolean retryableByDefault;

    ErrorCategory(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    /** Returns whether errors of this category are worth retrying unless the error says otherwise. */
    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
