package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.tracing.TraceRecord;
import java.util.List;
import java.util.Optional;

/**
 * A store's successful calls as the cache and replay read them: narrow rows in write order to
 * build an index, then one whole record by position on a hit. Implemented by {@link TraceReader}
 * for both stores, which hand it out through {@link Source}; not API.
 */
public interface RecordedCalls {

    /** A store that can hand out its recorded calls. */
    interface Source {
        /** Returns the store's recorded calls (the store's own reader: valid until it closes). */
        RecordedCalls recordedCalls();
    }

    /**
     * One successful call that a reply can be rebuilt from.
     *
     * @param position    the row's write position ({@code id})
     * @param traceId     the trace's id
     * @param startedAtMs when the call started, epoch milliseconds
     * @param requestJson the request body as stored
     */
    record Call(long position, String traceId, long startedAtMs, String requestJson) {}

    /** The most rows {@link #successfulCalls} returns at once. */
    int PAGE = 1000;

    /**
     * Returns up to {@link #PAGE} successful calls with a stored reply, written after position
     * {@code after}, in write order: answers of a backend, never those the cache itself gave.
     */
    List<Call> successfulCalls(long after);

    /**
     * Returns the positions of the successful calls {@link #successfulCalls} would return in
     * ({@code after}, {@code upTo}], in write order: a cheap look for calls committed late.
     */
    long[] successfulPositions(long after, long upTo);

    /**
     * Whether a row's position is taken when it commits (SQLite: one writer at a time), so no call
     * can appear behind a position already read. PostgreSQL takes it at insert.
     */
    boolean positionsFollowCommits();

    /** Returns the successful call at a position, if there is one. */
    Optional<Call> call(long position);

    /** Returns the record at a position, if the row is still there. */
    Optional<TraceRecord> at(long position);
}
