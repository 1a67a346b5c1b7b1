package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished logical call as {@link TracingChatClient} hands it to a {@link TraceStore}: the
 * objects themselves, not text. Turning them into JSON and columns is the store's work, done on
 * its writer thread, so the caller pays only for building this record.
 *
 * @param request   what was asked
 * @param session   the session current when the call was made, {@code null} for none
 * @param startedAt when {@code chat}/{@code chatAsync} was called
 * @param latency   from the call to its outcome, retries and waits included
 * @param backend   the backend of the traced client ({@code openrouter}, {@code litellm}, ...)
 * @param response  the reply ({@code null} when the call threw); may be a fail-open placeholder
 * @param failure   the failure ({@code null} when a reply arrived)
 * @param stream    what was measured of a streamed call; {@code null} for a call that was not streamed
 */
public record CallTrace(
        ChatRequest request,
        LlmSession session,
        Instant startedAt,
        Duration latency,
        String backend,
        ChatResponse response,
        LlmException failure,
        StreamStats stream) {

    /**
     * Checks that exactly one of {@code response} and {@code failure} is set.
     *
     * @throws IllegalArgumentException when both or neither are set
     */
    public CallTrace {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(backend, "backend");
        if ((response == null) == (failure == null)) {
            throw new IllegalArgumentException("a call trace needs either a response or a failure");
        }
    }

    /** Returns the trace of a call that was not streamed (the constructor before streaming existed). */
    public CallTrace(
            ChatRequest request,
            LlmSession session,
            Instant startedAt,
            Duration latency,
            String backend,
            ChatResponse response,
            LlmException failure) {
        this(request, session, startedAt, latency, backend, response, failure, null);
    }

    /** Returns how the call ended: a fail-open placeholder counts as {@link TraceStatus#FAILED}. */
    public TraceStatus status() {
        return failure == null && !response.failed() ? TraceStatus.OK : TraceStatus.FAILED;
    }

    /** Returns the failure behind the call: the exception, or a fail-open placeholder's error; {@code null} for success. */
    public LlmException error() {
        return failure != null ? failure : response.error().orElse(null);
    }

    /** Shows the model, the outcome and the latency, never the prompt. */
    @Override
    public String toString() {
        LlmException error = error();
        return "CallTrace[model=" + request.model() + ", " + (error == null ? "ok" : error.category()) + ", latency="
                + latency.toMillis() + " ms" + (stream == null ? "" : ", streamed " + stream.chunks() + " chunks")
                + (session == null ? "" : ", session=" + session.name()) + "]";
    }
}
