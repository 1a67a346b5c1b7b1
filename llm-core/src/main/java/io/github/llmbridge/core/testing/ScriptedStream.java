package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A streamed reply for {@link ScriptedChatClient#stream(ScriptedStream)}: chunks in order, each
 * after an optional delay, ending in a finish, a failure, or a stall (the stream goes silent and
 * never ends, as a stalled server does, until it is cancelled).
 *
 * <pre>{@code
 * ScriptedStream stalls = ScriptedStream.of("The ", "answer ", "is").stall();
 * ScriptedStream cut = ScriptedStream.of("Par").fail(ErrorCategory.SERVER_ERROR, "upstream died");
 * ScriptedStream slow = ScriptedStream.create().after(Duration.ofMillis(20)).chunk("a").finish(FinishReason.STOP);
 * }</pre>
 *
 * <p>Immutable: each method returns a new script. Delays are real time, on a library thread.
 */
public final class ScriptedStream {

    /** One step: a chunk, a failure, or a stall, each after a delay. */
    record Event(Duration delay, ChatChunk chunk, LlmException failure, boolean stall) {}

    private final List<Event> events;
    private final Duration nextDelay;

    private ScriptedStream(List<Event> events, Duration nextDelay) {
        this.events = List.copyOf(events);
        this.nextDelay = nextDelay;
    }

    /** Returns an empty script (a stream that ends at once without output unless steps are added). */
    public static ScriptedStream create() {
        return new ScriptedStream(List.of(), Duration.ZERO);
    }

    /** Returns a script of these content pieces; it ends without a finish reason unless one is added. */
    public static ScriptedStream of(String... pieces) {
        ScriptedStream s = create();
        for (String p : pieces) {
            s = s.chunk(p);
        }
        return s;
    }

    /** Delays the next step by this much. */
    public ScriptedStream after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new ScriptedStream(events, delay);
    }

    /** Adds a chunk with this content. */
    public ScriptedStream chunk(String content) {
        return chunk(ChatChunk.ofContent(Objects.requireNonNull(content, "content")));
    }

    /** Adds this chunk (reasoning, tool-call pieces, several choices, ...). */
    public ScriptedStream chunk(ChatChunk chunk) {
        return plus(new Event(nextDelay, Objects.requireNonNull(chunk, "chunk"), null, false));
    }

    /** Adds a last chunk with this finish reason. */
    public ScriptedStream finish(FinishReason reason) {
        return chunk(ChatChunk.builder().finishReason(reason).build());
    }

    /** Adds a last chunk with finish reason {@code stop} and this usage. */
    public ScriptedStream finish(Usage usage) {
        return chunk(
                ChatChunk.builder().finishReason(FinishReason.STOP).usage(usage).build());
    }

    /** Ends the stream with a failure of this category (the text so far becomes its partial content). */
    public ScriptedStream fail(ErrorCategory category, String message) {
        return fail(LlmException.builder(category, message).build());
    }

    /** Ends the stream with this failure. */
    public ScriptedStream fail(LlmException failure) {
        return plus(new Event(nextDelay, null, Objects.requireNonNull(failure, "failure"), false));
    }

    /** Makes the stream go silent after the steps so far: it never ends unless cancelled. */
    public ScriptedStream stall() {
        return plus(new Event(nextDelay, null, null, true));
    }

    List<Event> events() {
        return events;
    }

    private ScriptedStream plus(Event e) {
        List<Event> list = new ArrayList<>(events);
        list.add(e);
        return new ScriptedStream(list, Duration.ZERO);
    }

    @Override
    public String toString() {
        return "ScriptedStream[" + events.size() + " steps]";
    }
}
