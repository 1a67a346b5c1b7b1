package io.github.llmbridge.tracing.internal;

import java.sql.SQLException;
import java.util.List;

/**
 * Where a {@link TraceWriter} puts its batches: one database, reached the way its store knows
 * (SQLite: one connection and {@code BEGIN IMMEDIATE}; PostgreSQL: multi-row inserts that a
 * reconnect may repeat). Called from the writer thread only.
 */
public interface TraceSink {

    /**
     * Inserts the rows in one transaction: all of them or, when it throws, none (a row already
     * stored, such as one committed by an attempt whose acknowledgement was lost, is skipped).
     */
    void insert(List<TraceRow> rows) throws SQLException;

    /**
     * Decides after a failed {@link #insert} whether to write the same batch again: returns the
     * pause in milliseconds before the next attempt ({@code attempt} counts from 0), or a negative
     * value to stop. The sink logs the retry; it may reconnect before it returns.
     */
    long retryPause(SQLException failure, int attempt);

    /**
     * Whether a failure that is no longer retried is the database's (locked, unreachable) rather
     * than a row's: then the whole batch is lost; otherwise the rows are written one by one, so
     * that one bad row cannot take its batch with it.
     */
    boolean isDatabaseFailure(SQLException failure);

    /**
     * Describes a failure for the log: its cause, never the rows (a driver's batch failure may
     * quote every value of the batch, prompts included).
     */
    String describe(SQLException failure);

    /** Releases the database; called once, by the writer thread as it stops. */
    void close();
}
