package io.github.llmbridge.tracing.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where lost traces stood in enqueue order (the first trace a store accepts is position 1), so
 * that a {@link io.github.llmbridge.tracing.TraceStore#flush} can tell whether one of the traces it waits for was lost,
 * even when the loss happened before the flush began.
 *
 * <p>A loss is reported by every flush that covers it until one such flush has returned; later
 * flushes then cover only the traces enqueued after it, so one loss does not make every flush
 * fail for the rest of the run. Positions no running flush can still ask about are forgotten, so
 * memory stays bounded by the losses between two flushes.
 */
public final class LostPositions {

    // all guarded by this
    private final TreeMap<Long, Long> ranges = new TreeMap<>(); // first -> last position, inclusive, disjoint
    private final TreeMap<Long, Integer> runningFrom = new TreeMap<>(); // the lower bounds of running flushes
    private long reportedThrough;

    /** Notes that the traces at positions {@code first..last} (inclusive) were lost; called in position order. */
    public synchronized void add(long first, long last) {
        Map.Entry<Long, Long> previous = ranges.lastEntry();
        if (previous != null && previous.getValue() + 1 >= first) {
            ranges.put(previous.getKey(), Math.max(previous.getValue(), last));
        } else {
            ranges.put(first, last);
        }
    }

    /** Starts a flush; returns the position after which it looks for losses. Pair with {@link #end}. */
    public synchronized long begin() {
        long from = reportedThrough;
        runningFrom.merge(from, 1, Integer::sum);
        return from;
    }

    /** Whether a trace at a position in {@code (from, through]} was lost. */
    public synchronized boolean anyLost(long from, long through) {
        Map.Entry<Long, Long> last = ranges.floorEntry(through);
        return last != null && last.getValue() > from;
    }

    /** Ends a flush begun at {@code from}; when it reached {@code through}, its losses count as reported. */
    public synchronized void end(long from, long through, boolean reached) {
        runningFrom.computeIfPresent(from, (k, n) -> n == 1 ? null : n - 1);
        if (reached) {
            reportedThrough = Math.max(reportedThrough, through);
        }
        long forgettable = runningFrom.isEmpty() ? reportedThrough : Math.min(reportedThrough, runningFrom.firstKey());
        while (!ranges.isEmpty() && ranges.firstEntry().getValue() <= forgettable) {
            ranges.pollFirstEntry();
        }
    }
}
