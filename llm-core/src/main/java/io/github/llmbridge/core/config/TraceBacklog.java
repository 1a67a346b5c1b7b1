package io.github.llmbridge.core.config;

/**
 * What a tracing layer reports about its writer, for metrics: a client with such a layer answers
 * {@code client.unwrap(TraceBacklog.class)} (the SQLite tracing layer does), so an observability
 * layer can report it without depending on the tracing module.
 */
public interface TraceBacklog {

    /** Returns the traces waiting for the writer right now. */
    long queued();

    /** Returns the traces dropped since the store opened (a full queue under the drop policy, or a closed store). */
    long dropped();

    /** Returns the traces lost since the store opened because writing them failed. */
    long lost();
}
