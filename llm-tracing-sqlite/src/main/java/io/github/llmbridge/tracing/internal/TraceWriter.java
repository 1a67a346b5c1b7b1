package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.tracing.CallTrace;
import java.security.SecureRandom;
import java.sql.SQLException;
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
 * turns every trace into a {@link TraceRow} (JSON, scrubbing) <em>before</em> touching the
 * database, then hands the batch to the store's {@link TraceSink} as one transaction.
 *
 * <p>A failed batch is retried as long as the sink says so (SQLite: while another writer holds
 * the lock, five times; PostgreSQL: while the server is unreachable, until the store is closed).
 * A failure the sink does not retry is, for the database's failures, the loss of the batch, and
 * otherwise retried one row per transaction, so one bad row cannot take its batch with it. Traces
 * that still cannot be written are logged at ERROR with their count and added to
 * {@link #lost()}; nothing is dropped silently. A row's trace id is fixed before the first
 * attempt, so a batch repeated after a lost acknowledgement is stored once.
 */
public final class TraceWriter implements Runnable {

    /**
     * How the writer waits before retrying a batch. Replaceable so that tests of what happens
     * after the retries can record the pauses instead of sitting through them.
     */
    @FunctionalInterface
    public interface Pause {
        /** The real wait. */
        Pause SLEEP = Thread::sleep;

        /** Waits this long, or less when interrupted. */
        void pause(long millis) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(TraceWriter.class);

    private final String where;
    private final TraceSink sink;
    private final TraceQueue queue;
    private final Collection<String> secrets;
    private final StoredMedia media;
    private final int maxBatch;
    private final long batchDelayNanos;
    private final Pause pause;
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

    private final Object progressLock = new Object();
    private long processed; // guarded by progressLock: traces committed or lost
    private boolean finished; // guarded by progressLock
    private final AtomicLong lost = new AtomicLong();
    private final LostPositions lostPositions = new LostPositions();
    private long taken; // written by this thread only: the position of the last trace taken from the queue
    private volatile boolean abandoned;

    /**
     * Creates the writer; {@link #run()} it on a thread of its own.
     *
     * @param where           the database as logs name it (a file, a URL without its password)
     * @param sink            the database
     * @param queue           the store's queue
     * @param secrets         texts to scrub from every stored value
     * @param media           what to store of inline media and URLs
     * @param maxBatch        the most traces per transaction
     * @param batchDelayNanos how long to wait for a batch to fill
     * @param pause           how to wait between attempts at a batch
     */
    public TraceWriter(
            String where,
            TraceSink sink,
            TraceQueue queue,
            Collection<String> secrets,
            StoredMedia media,
            int maxBatch,
            long batchDelayNanos,
            Pause pause) {
        this.where = where;
        this.sink = sink;
        this.queue = queue;
        this.secrets = List.copyOf(secrets);
        this.media = media;
        this.maxBatch = maxBatch;
        this.batchDelayNanos = batchDelayNanos;
        this.pause = pause;
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
            sink.close();
            synchronized (progressLock) {
                processed += left.size();
                finished = true;
                progressLock.notifyAll();
            }
        }
    }

    /** Returns how many traces were lost to write failures. */
    public long lost() {
        return lost.get();
    }

    /**
     * Waits until at least {@code target} traces have been committed or lost, or the deadline.
     *
     * @return whether the target was reached
     */
    public boolean awaitProcessed(long target, long deadlineNanos) throws InterruptedException {
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

    /** Returns the positions of lost traces, for a store's flush. */
    public LostPositions lostPositions() {
        return lostPositions;
    }

    /** Makes the thread stop after the batch in hand; what is still queued is logged as lost. */
    public void abandon() {
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
        for (int attempt = 0; ; attempt++) {
            try {
                sink.insert(rows);
                return;
            } catch (SQLException e) {
                failure = e;
            }
            long wait = abandoned ? -1 : sink.retryPause(failure, attempt);
            if (wait < 0) {
                break;
            }
            sleep(wait);
        }
        if (sink.isDatabaseFailure(failure)) {
            positions.forEach(p -> lostPositions.add(p, p));
            count(
                    rows.size(),
                    (abandoned ? "the store was closed while the database failed: " : "the database failed: ")
                            + sink.describe(failure),
                    null);
        } else {
            insertOneByOne(rows, positions, failure);
        }
    }

    private void insertOneByOne(List<TraceRow> rows, List<Long> positions, SQLException batchFailure) {
        log.warn(
                "Writing {} traces to {} failed ({}); writing them one by one",
                rows.size(),
                where,
                sink.describe(batchFailure));
        int failed = 0;
        SQLException last = batchFailure;
        for (int i = 0; i < rows.size(); i++) {
            try {
                sink.insert(List.of(rows.get(i)));
            } catch (SQLException e) {
                lostPositions.add(positions.get(i), positions.get(i));
                failed++;
                last = e;
            }
        }
        if (failed > 0) {
            count(failed, "the database refused them: " + sink.describe(last), null);
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
        log.error("Lost {} traces for {}: {} ({} lost in total)", count, where, why, total, cause);
    }

    private void sleep(long millis) {
        try {
            pause.pause(millis);
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
}
