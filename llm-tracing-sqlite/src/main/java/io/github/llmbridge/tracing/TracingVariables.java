package io.github.llmbridge.tracing;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-tracing-sqlite} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()}. Each constant is named like its
 * variable, and the code reads the variable through it.
 */
public final class TracingVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-tracing-sqlite";

    /** The SQLite file, or (with llm-tracing-postgres) the PostgreSQL URL, to trace to; tracing is off when unset. */
    public static final ConfigVariable LLM_TRACE_DB = variable("LLM_TRACE_DB")
            .meaning("SQLite file that records every call (created with its directories, relative to the working"
                    + " directory), or with llm-tracing-postgres a postgresql://user@host:5432/db or jdbc:postgresql:"
                    + " URL; shown with any password masked")
            .defaultValue("unset (no tracing)")
            .url()
            .build();

    /** What happens to a trace that finds the queue full. */
    public static final ConfigVariable LLM_TRACE_QUEUE_POLICY = variable("LLM_TRACE_QUEUE_POLICY")
            .meaning("block (a call completes only once its trace is queued) or drop (count and log the trace, do"
                    + " not wait), any case")
            .defaultValue("block")
            .build();

    /** How many traces may wait for the writer. */
    public static final ConfigVariable LLM_TRACE_QUEUE_CAPACITY = variable("LLM_TRACE_QUEUE_CAPACITY")
            .meaning("traces that may wait for the trace writer before " + LLM_TRACE_QUEUE_POLICY.name() + " applies")
            .defaultValue(Integer.toString(SqliteTraceStore.DEFAULT_QUEUE_CAPACITY))
            .build();

    /** Whether inline media is stored in full rather than as its digest. */
    public static final ConfigVariable LLM_TRACE_FULL_MEDIA = variable("LLM_TRACE_FULL_MEDIA")
            .meaning("true: store inline images, audio and files (data: URIs, base64) as sent; false: store each"
                    + " as its media type, SHA-256 and size (data:image/png;sha256=...;bytes=...)")
            .defaultValue("false")
            .build();

    /** Which calls are answered from the traces {@code LLM_TRACE_DB} recorded. */
    public static final ConfigVariable LLM_CACHE = variable("LLM_CACHE")
            .meaning("off; deterministic: a call with temperature 0 or a seed whose request matches a successful"
                    + " traced call is answered from LLM_TRACE_DB, cost 0, no HTTP call; all: every call; any case")
            .defaultValue("off")
            .build();

    /** How old a recorded answer the cache may give. */
    public static final ConfigVariable LLM_CACHE_MAX_AGE = variable("LLM_CACHE_MAX_AGE")
            .meaning("seconds: the cache gives only answers recorded at most this long ago")
            .defaultValue("unset (any age)")
            .build();

    /** The trace database every call is answered from, strictly. */
    public static final ConfigVariable LLM_REPLAY_DB = variable("LLM_REPLAY_DB")
            .meaning("SQLite file or PostgreSQL URL of a recorded run: every call is answered from it and a call it"
                    + " cannot answer fails (ReplayMissException naming the request hash); the backend is never"
                    + " called; shown with any password masked")
            .defaultValue("unset (no replay)")
            .url()
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public TracingVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(
                LLM_TRACE_DB,
                LLM_TRACE_QUEUE_CAPACITY,
                LLM_TRACE_QUEUE_POLICY,
                LLM_TRACE_FULL_MEDIA,
                LLM_CACHE,
                LLM_CACHE_MAX_AGE,
                LLM_REPLAY_DB);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
