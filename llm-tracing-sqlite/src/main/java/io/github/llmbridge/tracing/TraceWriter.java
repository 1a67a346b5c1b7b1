package io.github.llmbridge.tracing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a store's traces: it takes a batch from the {@link TraceQueue},
 * turns every trace into a {@link TraceRow} (JSON, scrubbing) <em>before</em> taking the
 * database's write lock, then inserts the batch in one {@code BEGIN IMMEDIATE} transaction.
 *
 * <p>When another connection holds the write lock past the busy timeout ({@code SQLITE_BUSY}),
 * the batch is retried with a growing pause. Any other failure is retried one row per
 * transaction, so one bad row cannot take its batch with it. Traces that still cannot be written
 * are logged at ERROR with their count and added to {@link #lost()}; nothing is dropped silently.
 */
final class TraceWriter implements Runnable {

    /**
     * How the writer waits before retrying a batch the database refused as busy. Package-private
     * so that tests of what happens after the retries can record the pauses instead of sitting
     * through them (3 s with the default five retries).
     */
    @FunctionalInterface
    interface Pause {
        /** The real wait. */
        Pause SLEEP = Thread::sleep;

        void pause(long millis) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(TraceWriter.class);

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private final Path file;
    private final Connection connection;
    private final TraceQueue queue;
    private final Collection<String> secrets;
    private final StoredMedia media;
    private final int maxBatch;
    private final long batchDelayNanos;
    private final int busyRetries;
    private final Pause busyPause;
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private final PreparedStatement insertTrace;
    private final PreparedStatement insertUid;
    private final PreparedStatement maxId;

    private final Object progressLock = new Object();
    private long processed; // guarded by progressLock: traces committed or lost
    private boolean finished; // guarded by progressLock
    private final AtomicLong lost = new AtomicLong();
    private final LostPositions lostPositions = new LostPositions();
    private long taken; // written by this thread only: the position of the last trace taken from the queue
    private volatile boolean abandoned;

    TraceWriter(
            Path file,
            Connection connection,
            TraceQueue queue,
            Collection<String> secrets,
            StoredMedia media,
            int maxBatch,
            long batchDelayNanos,
            int busyRetries,
            Pause busyPause)
            throws SQLException {
        this.file = file;
        this.connection = connection;
        this.queue = queue;
        this.secrets = List.copyOf(secrets);
        this.media = media;
        this.maxBatch = maxBatch;
        this.batchDelayNanos = batchDelayNanos;
        this.busyRetries = busyRetries;
        this.busyPause = busyPause;
        this.insertTrace = connection.prepareStatement(TraceRow.INSERT);
        this.insertUid = connection.prepareStatement(
                "INSERT OR IGNORE INTO trace_session_uids (session_uid, trace_rowid, depth) VALUES (?, ?, ?)");
        this.maxId = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM traces");
    }

    @Override
    public void run() {
        List<CallTrace> batch = new ArrayList<>(maxBatch);
        try {
            while (!abandoned) {
                batch.clear();
                if (!queue.takeBatch(batch, maxBatch, batchDelayNanos)) {
                    break;
                }
                long first = taken + 1;
                taken += batch.size();
                try {
                    write(batch, first);
                } catch (RuntimeException | Error e) {
                    lose(first, taken, "unexpected failure", e);
                }
                advance(batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            List<CallTrace> left = queue.abandonAll();
            if (!left.isEmpty()) {
                lose(taken + 1, taken + left.size(), "the store was closed before they were written", null);
                taken += left.size();
            }
            closeConnection();
            synchronized (progressLock) {
                processed += left.size();
                finished = true;
                progressLock.notifyAll();
            }
        }
    }

    /** Returns how many traces were lost to write failures. */
    long lost() {
        return lost.get();
    }

    /**
     * Waits until at least {@code target} traces have been committed or lost, or the deadline.
     *
     * @return whether the target was reached
     */
    boolean awaitProcessed(long target, long deadlineNanos) throws InterruptedException {
        synchronized (progressLock) {
            while (processed < target) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0 || finished) {
                    return processed >= target;
                }
                progressLock.wait(Math.max(1, remaining / 1_000_000), 0);
            }
            return true;
        }
    }

    /** Returns the positions of lost traces, for {@link SqliteTraceStore#flush}. */
    LostPositions lostPositions() {
        return lostPositions;
    }

    /** Makes the thread stop after the batch in hand; what is still queued is logged as lost. */
    void abandon() {
        abandoned = true;
        queue.close();
    }

    private void advance(int count) {
        synchronized (progressLock) {
            processed += count;
            progressLock.notifyAll();
        }
    }

    /** Writes a batch whose first trace is at position {@code first} in enqueue order. */
    private void write(List<CallTrace> batch, long first) {
        List<TraceRow> rows = new ArrayList<>(batch.size());
        List<Long> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            CallTrace trace = batch.get(i);
            try {
                rows.add(TraceRow.of(trace, newTraceId(), secrets, media));
                positions.add(first + i);
            } catch (Exception e) {
                lose(first + i, first + i, "its values could not be written as JSON (" + trace + ")", e);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        SQLException failure = null;
        for (int attempt = 0; attempt <= busyRetries; attempt++) {
            try {
                insert(rows);
                return;
            } catch (SQLException e) {
                failure = e;
                if (!isBusy(e)) {
                    break;
                }
                log.warn(
                        "Trace database {} is locked by another writer; retrying {} traces ({}/{})",
                        file,
                        rows.size(),
                        attempt + 1,
                        busyRetries);
                pause(attempt);
            }
        }
        if (isBusy(failure)) {
            positions.forEach(p -> lostPositions.add(p, p));
            count(rows.size(), "the database stayed locked by another writer", failure);
        } else {
            insertOneByOne(rows, positions, failure);
        }
    }

    private void insertOneByOne(List<TraceRow> rows, List<Long> positions, SQLException batchFailure) {
        log.warn(
                "Writing {} traces to {} failed ({}); writing them one by one",
                rows.size(),
                file,
                batchFailure.getMessage());
        int failed = 0;
        SQLException last = batchFailure;
        for (int i = 0; i < rows.size(); i++) {
            try {
                insert(List.of(rows.get(i)));
            } catch (SQLException e) {
                lostPositions.add(positions.get(i), positions.get(i));
                failed++;
                last = e;
            }
        }
        if (failed > 0) {
            count(failed, "the database refused them", last);
        }
    }

    private void insert(List<TraceRow> rows) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                long id;
                try (ResultSet r = maxId.executeQuery()) {
                    id = r.next() ? r.getLong(1) : 0;
                }
                // Safe: BEGIN IMMEDIATE holds the write lock, so no other writer can take these ids.
                for (TraceRow row : rows) {
                    id++;
                    row.bind(insertTrace, id);
                    insertTrace.executeUpdate();
                    List<String> uids = row.sessionUids();
                    for (int depth = 0; depth < uids.size(); depth++) {
                        insertUid.setString(1, uids.get(depth));
                        insertUid.setLong(2, id);
                        insertUid.setInt(3, depth);
                        insertUid.executeUpdate();
                    }
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /** Records the traces at positions {@code first..last} as lost, and counts and logs them. */
    private void lose(long first, long last, String why, Throwable cause) {
        lostPositions.add(first, last);
        count((int) (last - first + 1), why, cause);
    }

    /** Counts and logs lost traces whose positions are already recorded. */
    private void count(int count, String why, Throwable cause) {
        long total = lost.addAndGet(count);
        log.error("Lost {} traces for {}: {} ({} lost in total)", count, file, why, total, cause);
    }

    /** Whether SQLite refused for another connection's lock ({@code SQLITE_BUSY} or {@code SQLITE_LOCKED}). */
    static boolean isBusy(SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    private void pause(int attempt) {
        try {
            busyPause.pause(Math.min(2_000, 50L << Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A random (version 4) UUID without {@code UUID.randomUUID()}'s shared, locked SecureRandom. */
    private String newTraceId() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing trace database {} failed: {}", file, e.getMessage());
        }
    }
}
