package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.tracing.FullQueuePolicy;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TraceStoreException;
import java.util.List;

/**
 * A store that {@code LLM_TRACE_DB} can name besides a SQLite file, found with
 * {@link java.util.ServiceLoader}: the tracing decorator asks each provider whether it
 * {@link #accepts} the value, and a value that none accepts is a SQLite file path. Implemented
 * by LLM Bridge's own store modules (PostgreSQL); not API.
 */
public interface TraceStoreProvider {

    /**
     * The options the decorator read from the tracing variables, the same for every store.
     *
     * @param queueCapacity {@code LLM_TRACE_QUEUE_CAPACITY}
     * @param policy        {@code LLM_TRACE_QUEUE_POLICY}
     * @param fullMedia     {@code LLM_TRACE_FULL_MEDIA}: keep inline media instead of its digest
     * @param secrets       the values scrubbed from everything stored
     */
    record Options(int queueCapacity, FullQueuePolicy policy, boolean fullMedia, List<String> secrets) {
        /** Copies the secrets. */
        public Options {
            secrets = List.copyOf(secrets);
        }
    }

    /** Returns the store's name, for messages ({@code postgresql}). */
    String name();

    /** Whether {@code location} (the value of {@code LLM_TRACE_DB}) names this provider's kind of store. */
    boolean accepts(String location);

    /**
     * Opens the store.
     *
     * @throws TraceStoreException naming the store (never a password) when it cannot be opened
     */
    TraceStore open(String location, Settings settings, Options options);
}
