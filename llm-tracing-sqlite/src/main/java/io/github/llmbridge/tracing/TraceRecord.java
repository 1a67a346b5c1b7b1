package io.github.llmbridge.tracing;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One traced call as read back from the store: one row of the {@code traces} table. Columns
 * that were not known are {@code null} (objects) or {@code 0} ({@code httpStatus}).
 *
 * @param traceId        a random UUID identifying this row
 * @param startedAt      when the call was made
 * @param sessionName    the session's name, {@code null} outside any session
 * @param sessionUids    the session uids, outermost first; empty outside any session
 * @param metadata       the session's metadata with the request's merged over it
 * @param tags           the request's tags
 * @param backend        the backend that served the call
 * @param modelRequested the request's model
 * @param modelUsed      the model that answered ({@code null} for a failure)
 * @param status         how the call ended
 * @param errorCategory  the failure's category, {@code null} for success
 * @param errorMessage   the failure's message with secrets scrubbed, {@code null} for success
 * @param httpStatus     the HTTP status of the last reply, 0 when unknown or none arrived
 * @param attemptCount   HTTP attempts made (0 when nothing reached the wire)
 * @param attempts       every attempt, when the resilience layer recorded them
 * @param latency        from the call to its outcome
 * @param usage          token counts (zeros when not reported)
 * @param cost           the reported cost in US dollars, {@code null} when not reported
 * @param responseId     the provider's response id ({@code chatcmpl-...}, {@code gen-...})
 * @param litellmCallId  LiteLLM's {@code x-litellm-call-id}
 * @param generationId   OpenRouter's generation id
 * @param finishReason   the first choice's finish reason, {@code null} when none
 * @param requestJson    the chat-completions body, secrets scrubbed
 * @param responseJson   the reply as received, secrets scrubbed; {@code null} for a failure
 */
public record TraceRecord(
        String traceId,
        Instant startedAt,
        String sessionName,
        List<String> sessionUids,
        Map<String, Object> metadata,
        List<String> tags,
        String backend,
        String modelRequested,
        String modelUsed,
        TraceStatus status,
        ErrorCategory errorCategory,
        String errorMessage,
        int httpStatus,
        int attemptCount,
        List<Attempt> attempts,
        Duration latency,
        Usage usage,
        Double cost,
        String responseId,
        String litellmCallId,
        String generationId,
        String finishReason,
        String requestJson,
        String responseJson) {

    /** Shows the identifying columns, not the prompt or reply. */
    @Override
    public String toString() {
        return "TraceRecord[" + traceId + ", " + startedAt + ", session=" + sessionName + ", model=" + modelRequested
                + ", " + status.column() + (errorCategory == null ? "" : " " + errorCategory) + ", attempts="
                + attemptCount + ", latency=" + latency.toMillis() + " ms]";
    }
}
