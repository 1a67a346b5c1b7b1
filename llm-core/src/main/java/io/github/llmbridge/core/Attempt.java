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
 */
public record Attempt(
        String model, Instant start, Duration duration, int httpStatus, ErrorCategory errorCategory, Duration waitAfter)
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
    }

    /** Returns a successful attempt. */
    public static Attempt succeeded(String model, Instant start, Duration duration, int httpStatus) {
        return new Attempt(model, start, duration, httpStatus, null, Duration.ZERO);
    }

    /** Returns a failed attempt, taking the status and category from the failure. */
    public static Attempt failed(String model, Instant start, Duration duration, LlmException failure) {
        return new Attempt(model, start, duration, failure.httpStatus().orElse(0), failure.category(), Duration.ZERO);
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
        return new Attempt(model, start, duration, httpStatus, errorCategory, wait);
    }

    /** Shows the attempt in one line, e.g. {@code openai/gpt-4o-mini 503 SERVER_ERROR in 120 ms, then waited 900 ms}. */
    @Override
    public String toString() {
        return model + (httpStatus == 0 ? "" : " " + httpStatus) + " "
                + (errorCategory == null ? "OK" : errorCategory.name()) + " in " + duration.toMillis() + " ms"
                + (waitAfter.isZero() ? "" : ", then waited " + waitAfter.toMillis() + " ms");
    }
}
