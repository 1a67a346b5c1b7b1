package io.github.llmbridge.tracing.cache;

import io.github.llmbridge.tracing.internal.RecordedCalls;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest successful call per request hash in a store, in memory: built by reading the store's
 * calls in write order once, then kept current by reading what was written since ({@link #catchUp}),
 * so calls another process records are found too. Holds a hash and three numbers per distinct
 * request, never a reply; the reply is read from the store on a hit.
 */
final class AnswerIndex {

    /** A recorded call: where its row is and when it started. */
    record Entry(long position, long startedAtMs) {}

    private static final Logger log = LoggerFactory.getLogger(AnswerIndex.class);

    /**
     * Positions looked at again behind the newest one seen. PostgreSQL numbers a row when it is
     * inserted, not when it commits, so a call committed late can sit behind a position already
     * read: ten writers' batches of 1000 in flight at once. A call committed later still is not
     * found by this process's cache (it is answered by the backend instead, and recorded again).
     */
    static final long MARGIN = 10_000;

    private final RecordedCalls calls;
    private final String where;
    private final Map<String, Entry> newest = new ConcurrentHashMap<>();
    private final ReentrantLock reading = new ReentrantLock();
    private final NavigableSet<Long> recent =
            new TreeSet<>(); // positions indexed within MARGIN of seen; guarded by reading
    private long seen; // guarded by reading
    private long unreadable; // guarded by reading

    AnswerIndex(RecordedCalls calls, String where) {
        this.calls = calls;
        this.where = where;
    }

    /** Returns the newest recorded call with this hash, or {@code null}. */
    Entry find(String hash) {
        return newest.get(hash);
    }

    /** Returns the number of distinct requests indexed. */
    int size() {
        return newest.size();
    }

    /**
     * Reads the calls written since the last read. When another thread is already reading,
     * returns at once unless {@code wait}: a caller that would only have found a hit is no worse
     * off calling the backend.
     */
    void catchUp(boolean wait) {
        if (wait) {
            reading.lock();
        } else if (!reading.tryLock()) {
            return;
        }
        try {
            if (!calls.positionsFollowCommits() && seen > 0) {
                lookBehind();
            }
            long after = seen;
            while (true) {
                List<RecordedCalls.Call> page = calls.successfulCalls(after);
                for (RecordedCalls.Call c : page) {
                    add(c);
                    after = c.position();
                }
                seen = after;
                recent.headSet(seen - MARGIN, true).clear();
                if (page.size() < RecordedCalls.PAGE) {
                    break;
                }
            }
        } finally {
            reading.unlock();
        }
    }

    /**
     * Finds calls committed behind positions already read (PostgreSQL numbers rows at insert):
     * the positions of the last {@link #MARGIN} are listed, an index-only look, and only the ones
     * not indexed yet are read.
     */
    private void lookBehind() {
        for (long position : calls.successfulPositions(Math.max(0, seen - MARGIN), seen)) {
            if (!recent.contains(position)) {
                calls.call(position).ifPresent(this::add);
            }
        }
    }

    private void add(RecordedCalls.Call c) {
        String hash;
        try {
            hash = RequestHash.ofRequestJson(c.requestJson());
        } catch (IllegalArgumentException e) {
            unreadable++;
            log.warn(
                    "Trace {} in {} has a request_json the cache cannot read ({}); it is never a cache hit"
                            + " ({} such traces)",
                    c.traceId(),
                    where,
                    e.getMessage(),
                    unreadable);
            return;
        }
        if (!calls.positionsFollowCommits()) {
            recent.add(c.position());
        }
        Entry entry = new Entry(c.position(), c.startedAtMs());
        newest.merge(hash, entry, (old, now) -> now.startedAtMs() >= old.startedAtMs() ? now : old);
    }
}
