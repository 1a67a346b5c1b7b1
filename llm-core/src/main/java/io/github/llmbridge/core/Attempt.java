package io.github.llmbridge.core;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One HTTP attempt of a call, as recorded by the resilience layer: which model was asked, when,
 * for how long, how it ended, and how long the client waited before the next attempt. A call's
 * attempts are on {@link ChatResponse#attempts()} and {@link LlmException#attempts()}.
 *
 * @param model      the model this attempt asked for (a fallback model, after the primary)
 * @param start      when the attempt was sent
 * @param duration   how long it took to succeed or fail
 * @param httpStatus the HTTP status of the reply, 0 when there was none (connection failure, timeout)
 * @param errorCategory the category of the failure, {@code null} when the attempt succeeded
 * @param waitAfter  how long the client waited before the next attempt ({@link Duration#ZERO} for
 *                   the last one, or when the next model was tried at once)
 * @param callId     the id the backend sent with this attempt for the server's logs (LiteLLM's
 *                   {@code x-litellm-call-id}), so an attempt that got no answer can still be found
 *                   there; {@code null} when the backend sends none
 * @param concurrencyLimit the concurrency limit of the model when the attempt was sent (the bulkhead
 *                   size, or the adaptive limit); 0 when not recorded
 * @param overloadSignal the overload signal the attempt's failure was
 *                   ({@link LlmException#overloadSignal()}), {@code null} when it was none
 */
public record Attempt(
        String model,
        Instant start,
        Duration duration,
        int httpStatus,
        ErrorCategory errorCategory,
        Duration waitAfter,
        String callId,
        int concurrencyLimit,
        String overloadSignal)
        implements Serializable {

    /** Checks the fields. */
    public Attempt {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(waitAfter, "waitAfter");
        if (httpStatus < 0) {
            throw new IllegalArgumentException("httpStatus must not be negative: " + httpStatus);
        }
        if (concurrencyLimit < 0) {
            throw new IllegalArgumentException("concurrencyLimit must not be negative: " + concurrencyLimit);
        }
    }

    /** An attempt without a call id, concurrency limit or overload signal. */
    public Attempt(
            String model,
            Instant start,
            Duration duration,
            int httpStatus,
            ErrorCategory errorCategory,
            Duration waitAfter) {
        this(model, start, duration, httpStatus, errorCategory, waitAfter, null, 0, null);
    }

    /** Returns a successful attempt. */
    public static Attempt succeeded(String model, Instant start, Duration duration, int httpStatus) {
        return new Attempt(model, start, duration, httpStatus, null, Duration.ZERO);
    }

    /** Returns a failed attempt, taking the status and category from the failure. */
    public static Attempt failed(String model, Instant start, Duration duration, LlmException failure) {
        return new Attempt(
                model,
                start,
                duration,
                failure.httpStatus().orElse(0),
                failure.category(),
                Duration.ZERO,
                null,
                0,
                failure.overloadSignal().orElse(null));
    }

    /** Returns whether this attempt produced the reply. */
    public boolean succeeded() {
        return errorCategory == null;
    }

    /** Returns the HTTP status, empty when no reply arrived. */
    public OptionalInt status() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** Returns a copy of this attempt recording the wait that followed it. */
    public Attempt withWaitAfter(Duration wait) {
        return new Attempt(
                model, start, duration, httpStatus, errorCategory, wait, callId, concurrencyLimit, overloadSignal);
    }

    /** Returns a copy of this attempt recording the call id it was sent with and the concurrency limit then. */
    public Attempt withSending(String callId, int concurrencyLimit) {
        return new Attempt(
                model, start, duration, httpStatus, errorCategory, waitAfter, callId, concurrencyLimit, overloadSignal);
    }

    /**
     * Shows the attempt in one line, e.g. {@code openai/gpt-4o-mini 429 RATE_LIMITED (429 rate limit) in 120 ms,
     * then waited 900 ms}.
     */
    @Override
    public String toString() {
        return model + (httpStatus == 0 ? "" : " " + httpStatus) + " "
                + (errorCategory == null ? "OK" : errorCategory.name())
                + (overloadSignal == null ? "" : " (" + overloadSignal + ")") + " in " + duration.toMillis() + " ms"
                + (waitAfter.isZero() ? "" : ", then waited " + waitAfter.toMillis() + " ms");
    }
}
