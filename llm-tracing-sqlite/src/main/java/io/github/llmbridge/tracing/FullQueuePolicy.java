package io.github.llmbridge.tracing;

/**
 * What a {@link TraceStore} does with a trace when its queue is full (the writer cannot keep up
 * with the calls, or the database is locked for a long time).
 */
public enum FullQueuePolicy {
    /**
     * Nothing is lost: the call's future completes only once its trace found room in the queue.
     * No thread is parked for it: the trace waits beside the queue and the writer admits it, in
     * order, as soon as it has taken earlier traces. A blocking {@code chat()} therefore waits on
     * its own thread, inside {@code chat()}; a {@code chatAsync()} caller sees its future complete
     * later. The default.
     */
    BLOCK,
    /** The trace is dropped and counted ({@link TraceStore#droppedCount()}) and a WARN says so; the call is not delayed. */
    DROP;

    /**
     * Parses a policy name in any case ({@code block}, {@code DROP}).
     *
     * @throws IllegalArgumentException naming the accepted values for anything else
     */
    public static FullQueuePolicy parse(String value) {
        for (FullQueuePolicy p : values()) {
            if (p.name().equalsIgnoreCase(value.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be block or drop, was '" + value + "'");
    }
}
