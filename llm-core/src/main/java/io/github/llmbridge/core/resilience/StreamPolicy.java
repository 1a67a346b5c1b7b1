package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.settings.CoreVariables.LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_STREAM_IDLE_TIMEOUT_SECONDS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_STREAM_RESTART;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_STREAM_STALL_PROTECTION;

import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ResilientChatClient} watches streamed calls, as one immutable value.
 *
 * <ul>
 *   <li>{@code firstTokenTimeout}: the longest an attempt may go without its first output (text,
 *       reasoning, refusal or a tool call; a chunk with only a role does not count). A reasoning
 *       model that hides its reasoning sends nothing while it thinks, so the default is generous
 *       (300 s). The stall is an attempt failure of category {@code TIMEOUT}, retried like any
 *       other before output began.</li>
 *   <li>{@code idleTimeout}: once output began, the longest gap between two chunks (default 60
 *       s). Keep-alive comments ({@code : OPENROUTER PROCESSING}) never reach this layer, so they
 *       do not reset it: a server that only keeps the connection alive is stalled. Time the
 *       caller's own handler takes does not count.</li>
 *   <li>{@code restartAfterOutput}: whether an attempt that fails after its output began is
 *       retried from the start (default no: the call fails with the output so far as
 *       {@code partialContent()}, because retrying bills the tokens again). When it is, the first
 *       chunk of the new attempt says {@link io.github.llmbridge.core.ChatChunk#restart()}.</li>
 *   <li>{@code stallProtection}: whether {@code chat()}/{@code chatAsync()} are sent as streams
 *       and assembled (default no), which gives an ordinary call the two timers.</li>
 * </ul>
 * The whole-call deadline bounds streamed calls as it bounds any call.
 *
 * @param firstTokenTimeout  longest wait for an attempt's first output
 * @param idleTimeout        longest gap between chunks once output began
 * @param restartAfterOutput retry an attempt that failed after its output began
 * @param stallProtection    send ordinary calls as streams
 */
public record StreamPolicy(
        Duration firstTokenTimeout, Duration idleTimeout, boolean restartAfterOutput, boolean stallProtection) {

    /** The defaults: 300 s to the first output, 60 s between chunks, no restart, no stall protection. */
    public static final StreamPolicy DEFAULT =
            new StreamPolicy(Duration.ofSeconds(300), Duration.ofSeconds(60), false, false);

    /**
     * Checks the timers.
     *
     * @throws IllegalArgumentException when a timer is not positive
     */
    public StreamPolicy {
        positive("firstTokenTimeout", firstTokenTimeout);
        positive("idleTimeout", idleTimeout);
    }

    /**
     * Returns this policy with what the variables set: {@code LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS},
     * {@code LLM_STREAM_IDLE_TIMEOUT_SECONDS}, {@code LLM_STREAM_RESTART},
     * {@code LLM_STREAM_STALL_PROTECTION}.
     *
     * @throws io.github.llmbridge.core.LlmException category configuration naming a bad variable
     */
    public StreamPolicy withSettings(Settings settings) {
        return new StreamPolicy(
                settings.seconds(LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS).orElse(firstTokenTimeout),
                settings.seconds(LLM_STREAM_IDLE_TIMEOUT_SECONDS).orElse(idleTimeout),
                settings.flag(LLM_STREAM_RESTART, restartAfterOutput),
                settings.flag(LLM_STREAM_STALL_PROTECTION, stallProtection));
    }

    /** Returns this policy with another time limit for the first output. */
    public StreamPolicy withFirstTokenTimeout(Duration timeout) {
        return new StreamPolicy(timeout, idleTimeout, restartAfterOutput, stallProtection);
    }

    /** Returns this policy with another limit on the gap between chunks. */
    public StreamPolicy withIdleTimeout(Duration timeout) {
        return new StreamPolicy(firstTokenTimeout, timeout, restartAfterOutput, stallProtection);
    }

    /** Returns this policy restarting, or not, an attempt that failed after its output began. */
    public StreamPolicy withRestartAfterOutput(boolean restart) {
        return new StreamPolicy(firstTokenTimeout, idleTimeout, restart, stallProtection);
    }

    /** Returns this policy sending, or not, ordinary calls as streams. */
    public StreamPolicy withStallProtection(boolean on) {
        return new StreamPolicy(firstTokenTimeout, idleTimeout, restartAfterOutput, on);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
