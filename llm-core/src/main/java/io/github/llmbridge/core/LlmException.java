package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one exception every LLM Bridge failure reaches a caller as. Switch on {@link #category()}
 * instead of parsing the message:
 *
 * <pre>{@code
 * try {
 *     score = parse(client.chat(request).content());
 * } catch (LlmException e) {
 *     if (e.category() == ErrorCategory.CONTEXT_LENGTH_EXCEEDED) score = 0;  // prompt too long
 *     else throw e;
 * }
 * }</pre>
 *
 * <p>Messages say what went wrong and, where possible, what to do. They never contain an API key:
 * the transport scrubs configured secrets from anything a server echoes back.
 */
public class LlmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCategory category;
    private final Integer httpStatus;
    private final String providerCode;
    private final String backend;
    private final String model;
    private final boolean retryable;
    private final Duration retryAfter;
    private final Map<String, String> headers;
    private final String partialContent;
    private final int attemptCount;
    private final List<Attempt> attempts;
    private final JsonNode providerMetadata;
    private final String overloadSignal;

    /**
     * Creates an exception with only a category and a message; use {@link #builder} for the rest.
     *
     * @param category what kind of failure this is
     * @param message  what happened, in words a user can act on
     */
    public LlmException(ErrorCategory category, String message) {
        this(builder(category, message));
    }

    private LlmException(Builder b) {
        super(b.message, b.cause);
        this.category = b.category;
        this.httpStatus = b.httpStatus;
        this.providerCode = b.providerCode;
        this.backend = b.backend;
        this.model = b.model;
        this.retryable = b.retryable != null ? b.retryable : b.category.retryableByDefault();
        this.retryAfter = b.retryAfter;
        this.headers = Map.copyOf(b.headers);
        this.partialContent = b.partialContent;
        this.attemptCount = Math.max(b.attemptCount, b.attempts.size());
        this.attempts = List.copyOf(b.attempts);
        this.providerMetadata = b.providerMetadata;
        this.overloadSignal = b.overloadSignal;
    }

    /**
     * Returns the {@link LlmException} behind a failure of a {@code chatAsync} future, unwrapping
     * {@code CompletionException} and {@code ExecutionException}; a cancellation becomes category
     * {@link ErrorCategory#CANCELLED}, anything else is wrapped as an unexpected failure. Use it in
     * {@code exceptionally}/{@code handle} stages and around {@code join()}:
     *
     * <pre>{@code
     * client.chatAsync(request).exceptionally(t -> {
     *     LlmException e = LlmException.from(t);
     *     if (e.category() == ErrorCategory.CONTEXT_LENGTH_EXCEEDED) return emptyReply;
     *     throw e;
     * });
     * }</pre>
     */
    public static LlmException from(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LlmException e) {
            return e;
        }
        if (t instanceof CancellationException) {
            return builder(ErrorCategory.CANCELLED, "the call was cancelled")
                    .cause(t)
                    .build();
        }
        return builder(ErrorCategory.INVALID_RESPONSE, "unexpected failure: " + t)
                .cause(t)
                .retryable(false)
                .build();
    }

    /**
     * Starts a builder.
     *
     * @param category what kind of failure this is
     * @param message  what happened
     * @return a builder
     */
    public static Builder builder(ErrorCategory category, String message) {
        return new Builder(category, message);
    }

    /** Returns a builder holding every field of this exception, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(category, getMessage());
        b.cause = getCause();
        b.httpStatus = httpStatus;
        b.providerCode = providerCode;
        b.backend = backend;
        b.model = model;
        b.retryable = retryable;
        b.retryAfter = retryAfter;
        b.headers = headers;
        b.partialContent = partialContent;
        b.attemptCount = attemptCount;
        b.attempts = attempts;
        b.providerMetadata = providerMetadata;
        b.overloadSignal = overloadSignal;
        return b;
    }

    /** Returns what kind of failure this is. */
    public ErrorCategory category() {
        return category;
    }

    /** Returns the HTTP status the server answered with, if the failure came from an HTTP reply. */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /**
     * Returns the provider's error code from the body, as text: some servers send strings
     * ({@code "429"}, {@code "context_length_exceeded"}), others numbers ({@code 402}).
     */
    public Optional<String> providerCode() {
        return Optional.ofNullable(providerCode);
    }

    /** Returns the name of the backend that failed, as {@code LLM_BACKEND} selects it, or {@code ""}. */
    public String backend() {
        return backend;
    }

    /** Returns the model the failed call asked for, or {@code ""} when not known. */
    public String model() {
        return model;
    }

    /** Returns whether trying the same call again may succeed. */
    public boolean isRetryable() {
        return retryable;
    }

    /** Returns how long the server asked us to wait ({@code Retry-After} / {@code retry-after-ms}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Returns the response headers of interest (lower-case names): rate-limit counters, request
     * and generation ids, a gateway's own {@code x-*} headers. Empty when there was no reply.
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the text a provider generated before failing, when it reported an error inside an
     * otherwise successful reply ({@code finish_reason: "error"}).
     */
    public Optional<String> partialContent() {
        return Optional.ofNullable(partialContent);
    }

    /**
     * Returns how many HTTP attempts were made before this failure: 0 when nothing reached the
     * wire (bad settings, a closed client, a call that timed out waiting for a slot).
     */
    public int attemptCount() {
        return attemptCount;
    }

    /**
     * Returns every HTTP attempt of the call (model, start, duration, status or category, the
     * wait that followed), when the resilience layer made them; empty from a bare backend.
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * Returns the structured details the provider attached to its error, keys scrubbed: the
     * {@code error.metadata} some gateways send ({@code error_type}, {@code provider_code},
     * {@code provider_name}, {@code reasons}, {@code flagged_input}, {@code limit_source}, ...).
     * Empty when the error had none. It is this exception's own tree: read it, do not modify it.
     */
    public Optional<JsonNode> providerMetadata() {
        return Optional.ofNullable(providerMetadata);
    }

    /**
     * Returns the overload signal this failure is, when the server said it is overloaded: a rate
     * limit ({@code "429 rate limit"}), a gateway's own wording ({@code "LiteLLM: no deployments
     * available"}, {@code "OpenRouter: in-flight budget"}) or a connection reset. An adaptive
     * concurrency limit decreases on these and records the signal; other failures (a timeout, a
     * bad request, an outage) leave it alone. Empty for every other failure.
     */
    public Optional<String> overloadSignal() {
        return Optional.ofNullable(overloadSignal);
    }

    // Deliberate: logs and stack traces print toString(), so it leads with the category, status and backend.
    @SuppressWarnings("OverrideThrowableToString")
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LlmException[").append(category);
        if (httpStatus != null) {
            s.append(", HTTP ").append(httpStatus);
        }
        if (providerCode != null) {
            s.append(", code=").append(providerCode);
        }
        if (!backend.isEmpty()) {
            s.append(", backend=").append(backend);
        }
        if (!model.isEmpty()) {
            s.append(", model=").append(model);
        }
        s.append(retryable ? ", retryable" : ", not retryable");
        return s.append("]: ").append(getMessage()).toString();
    }

    /** Builds an {@link LlmException}; only the category and message are required. */
    public static final class Builder {
        private final ErrorCategory category;
        private String message;
        private Throwable cause;
        private Integer httpStatus;
        private String providerCode;
        private String backend = "";
        private String model = "";
        private Boolean retryable;
        private Duration retryAfter;
        private Map<String, String> headers = Map.of();
        private String partialContent;
        private int attemptCount;
        private List<Attempt> attempts = List.of();
        private JsonNode providerMetadata;
        private String overloadSignal;

        private Builder(ErrorCategory category, String message) {
            this.category = Objects.requireNonNull(category, "category");
            this.message = Objects.requireNonNull(message, "message");
        }

        /** Replaces the message, e.g. to add what a retrying layer did. */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /** Sets the underlying exception. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /** Sets the HTTP status of the reply. */
        public Builder httpStatus(int httpStatus) {
            this.httpStatus = httpStatus;
            return this;
        }

        /** Sets the provider's error code as text ({@code null} for none). */
        public Builder providerCode(String providerCode) {
            this.providerCode = providerCode;
            return this;
        }

        /** Sets the backend name. */
        public Builder backend(String backend) {
            this.backend = backend == null ? "" : backend;
            return this;
        }

        /** Sets the requested model. */
        public Builder model(String model) {
            this.model = model == null ? "" : model;
            return this;
        }

        /** Overrides the category's default retryability. */
        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        /** Sets how long the server asked the client to wait ({@code null} for no advice). */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /** Sets the response headers of interest. */
        public Builder headers(Map<String, String> headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** Sets text generated before the failure. */
        public Builder partialContent(String partialContent) {
            this.partialContent = partialContent;
            return this;
        }

        /** Sets how many HTTP attempts were made (default 0: nothing reached the wire). */
        public Builder attemptCount(int attemptCount) {
            if (attemptCount < 0) {
                throw new IllegalArgumentException("attemptCount must not be negative: " + attemptCount);
            }
            this.attemptCount = attemptCount;
            return this;
        }

        /** Sets the attempt history; {@link LlmException#attemptCount()} is at least its size. */
        public Builder attempts(List<Attempt> attempts) {
            this.attempts = Objects.requireNonNull(attempts, "attempts");
            return this;
        }

        /** Sets the provider's structured error details ({@code null} for none); see {@link LlmException#providerMetadata()}. */
        public Builder providerMetadata(JsonNode providerMetadata) {
            this.providerMetadata = providerMetadata == null || providerMetadata.isNull() ? null : providerMetadata;
            return this;
        }

        /**
         * Sets the overload signal this failure is ({@code null} or empty for none); see
         * {@link LlmException#overloadSignal()}.
         */
        public Builder overloadSignal(String overloadSignal) {
            this.overloadSignal = overloadSignal == null || overloadSignal.isEmpty() ? null : overloadSignal;
            return this;
        }

        /** Returns the exception. */
        public LlmException build() {
            return new LlmException(this);
        }
    }
}
