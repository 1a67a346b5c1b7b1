package io.github.llmbridge.tracing;

import java.time.Duration;

/**
 * What a trace records about a streamed call ({@code ChatClient.stream}/{@code streamAsync}),
 * beyond the assembled reply: how long the first output took, how many chunks the caller
 * received, and whether the stream ended cleanly (its end was reached, rather than an error, a
 * stall, a cut connection or the caller closing it).
 *
 * @param timeToFirstToken from the call to the first chunk with output (text, reasoning, refusal
 *                         or a tool call), retries included; {@code null} when none arrived
 * @param chunks           how many chunks reached the caller
 * @param endedCleanly     whether the stream ended with its reply
 */
public record StreamStats(Duration timeToFirstToken, int chunks, boolean endedCleanly) {

    /**
     * Checks the count.
     *
     * @throws IllegalArgumentException when {@code chunks} is negative
     */
    public StreamStats {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must not be negative, was " + chunks);
        }
    }
}
