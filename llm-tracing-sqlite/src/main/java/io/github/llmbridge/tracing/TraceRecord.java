package io.github.llmbridge.tracing;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.ToolCall;
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
 * @param requestJson    the chat-completions body as sent, secrets scrubbed, inline media as its
 *                       digest unless the store keeps full media
 *                       ({@link SqliteTraceStore.Builder#fullMedia(boolean)})
 * @param responseJson   the reply as received, secrets scrubbed, inline media as its digest
 *                       likewise; {@code null} for a failure
 * @param promptTokenIds the prompt's token ids when the server sent them (vLLM, rLLM's gateway),
 *                       else {@code null}
 * @param completionTokenIds one entry per choice, in order: its generated token ids (empty for a
 *                       choice the server sent none for); an empty list when no choice had any
 * @param completionLogprobs one entry per choice, in order: the log probabilities of the tokens
 *                       the model chose, position by position as in {@code completionTokenIds}
 *                       (empty for a choice without); an empty list when no choice had any. The
 *                       alternatives ({@code top_logprobs}) and bytes are in {@code responseJson}
 * @param toolCalls      the first choice's tool calls, arguments as the model wrote them (secrets
 *                       scrubbed); empty when none
 * @param refusal        the first choice's refusal text, {@code null} when the model did not refuse
 * @param stream         for a streamed call, the time to its first output, its chunk count and
 *                       whether it ended cleanly (schema version 5); {@code null} for a call that
 *                       was not streamed, or a row written before version 5
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
        String responseJson,
        TokenIds promptTokenIds,
        List<TokenIds> completionTokenIds,
        List<LogprobSequence> completionLogprobs,
        List<ToolCall> toolCalls,
        String refusal,
        StreamStats stream) {

    /** Copies the lists of the columns schema version 4 added ({@code null} becomes empty). */
    public TraceRecord {
        completionTokenIds = completionTokenIds == null ? List.of() : List.copyOf(completionTokenIds);
        completionLogprobs = completionLogprobs == null ? List.of() : List.copyOf(completionLogprobs);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * Returns a record of a row without the columns schema version 4 added (token ids, log
     * probabilities, tool calls, refusal): the constructor of the first release, kept so code
     * that builds records (a custom {@link TraceStore}, tests) still compiles.
     */
    public TraceRecord(
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
        this(
                traceId,
                startedAt,
                sessionName,
                sessionUids,
                metadata,
                tags,
                backend,
                modelRequested,
                modelUsed,
                status,
                errorCategory,
                errorMessage,
                httpStatus,
                attemptCount,
                attempts,
                latency,
                usage,
                cost,
                responseId,
                litellmCallId,
                generationId,
                finishReason,
                requestJson,
                responseJson,
                null,
                List.of(),
                List.of(),
                List.of(),
                null,
                null);
    }

    /**
     * Returns a record of a row without the column schema version 5 added (stream measurements):
     * the constructor of schema version 4, kept so code that builds records still compiles.
     */
    public TraceRecord(
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
            String responseJson,
            TokenIds promptTokenIds,
            List<TokenIds> completionTokenIds,
            List<LogprobSequence> completionLogprobs,
            List<ToolCall> toolCalls,
            String refusal) {
        this(
                traceId,
                startedAt,
                sessionName,
                sessionUids,
                metadata,
                tags,
                backend,
                modelRequested,
                modelUsed,
                status,
                errorCategory,
                errorMessage,
                httpStatus,
                attemptCount,
                attempts,
                latency,
                usage,
                cost,
                responseId,
                litellmCallId,
                generationId,
                finishReason,
                requestJson,
                responseJson,
                promptTokenIds,
                completionTokenIds,
                completionLogprobs,
                toolCalls,
                refusal,
                null);
    }

    /** Shows the identifying columns, not the prompt or reply. */
    @Override
    public String toString() {
        return "TraceRecord[" + traceId + ", " + startedAt + ", session=" + sessionName + ", model=" + modelRequested
                + ", " + status.column() + (errorCategory == null ? "" : " " + errorCategory) + ", attempts="
                + attemptCount + ", latency=" + latency.toMillis() + " ms]";
    }
}
