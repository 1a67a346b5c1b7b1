package io.github.llmbridge.cli.traces;

import io.github.llmbridge.cli.Progress;
import io.github.llmbridge.tracing.TraceRecord;
import java.util.List;

/**
 * A trace store as the command-line tool reads it. {@link SqliteTraceSource} reads the SQLite file
 * of {@code llm-tracing-sqlite}; a PostgreSQL store is added by implementing this interface (its
 * records through the store's own {@code TraceStore}, its totals and report in its own SQL
 * dialect) and naming it in {@link TraceSources#open(String)}: the commands do not change.
 *
 * <p>Records come newest first, as {@code TraceStore.find} returns them.
 */
public interface TraceSource extends AutoCloseable {

    /** Returns what the traces are read from, for messages and the report's header. */
    String description();

    /** Returns at most {@code limit} records matching the filter, newest first. */
    List<TraceRecord> find(TraceFilter filter, int limit);

    /** Returns the records whose trace id starts with {@code prefix}, at most {@code limit}. */
    List<TraceRecord> findByIdPrefix(String prefix, int limit);

    /** Returns the position of the newest trace written; 0 for none. */
    long lastPosition();

    /**
     * Returns at most {@code limit} records matching the filter that were written after
     * {@code after}, up to and including {@code upTo}, newest first.
     */
    List<TraceRecord> writtenBetween(long after, long upTo, TraceFilter filter, int limit);

    /** Returns the totals of each group, in the order of each group's first call; at most {@code limit} groups. */
    List<GroupTotals> summarise(TraceFilter filter, Grouping grouping, char prefixDelimiter, int limit);

    /** Aggregates everything the HTML report shows, telling {@code progress} each step. */
    ReportData report(ReportRequest request, Progress progress);

    /** Releases the store. */
    @Override
    void close();
}
