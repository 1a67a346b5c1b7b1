package io.github.llmbridge.tracing.internal;

import io.github.llmbridge.core.internal.DaemonThreads;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.FullQueuePolicy;
import io.github.llmbridge.tracing.TraceStore;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every queued store does the same way, whatever its database: the bounded queue and its
 * full-queue policy, the writer thread, {@code flush}, {@code close} without loss, the drop and
 * loss counters, and the JVM shutdown hook. A store holds one and adds its database: a
 * {@link TraceSink} for the writer and its own queries.
 */
public final class TraceStoreEngine {

    private static final Logger log = LoggerFactory.getLogger(TraceStoreEngine.class);
    private static final DaemonThreads WRITER_THREADS = new DaemonThreads("trace-writer");
    private static final long DROP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String where;
    private final TraceQueue queue;
    private final TraceWriter writer;
    private final FullQueuePolicy policy;
    private final int capacity;
    private final Duration closeTimeout;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong dropsLogged = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private Thread writerThread;

    /**
     * Creates the engine; {@link #start} it once the store is ready.
     *
     * @param where         the database as logs name it (never with a password)
     * @param sink          the database the writer writes to; closed by the writer as it stops
     * @param capacity      the queue capacity
     * @param policy        what a trace that finds the queue full does
     * @param maxBatch      the most traces per transaction
     * @param batchDelay    how long the writer waits for a batch to fill
     * @param closeTimeout  how long {@link #close} waits for the queue to be written
     * @param secrets       texts scrubbed from every stored value
     * @param media         what the writer stores of inline media and URLs
     * @param pause         how the writer waits between attempts at a batch
     */
    public TraceStoreEngine(
            String where,
            TraceSink sink,
            int capacity,
            FullQueuePolicy policy,
            int maxBatch,
            Duration batchDelay,
            Duration closeTimeout,
            Collection<String> secrets,
            StoredMedia media,
            TraceWriter.Pause pause) {
        this.where = where;
        this.policy = policy;
        this.capacity = capacity;
        this.closeTimeout = closeTimeout;
        this.queue = new TraceQueue(capacity, policy);
        this.writer = new TraceWriter(where, sink, queue, secrets, media, maxBatch, batchDelay.toNanos(), pause);
    }

    /** Starts the writer thread and registers {@code store} with the shutdown hook, which closes it. */
    public void start(TraceStore store) {
        writerThread = WRITER_THREADS.newThread(writer);
        writerThread.start();
        OpenStores.add(store);
    }

    /** See {@link TraceStore#enqueue}. */
    public CompletionStage<Void> enqueue(CallTrace trace) {
        CompletionStage<Void> stage = queue.offer(Objects.requireNonNull(trace, "trace"));
        if (stage == TraceQueue.DROPPED) {
            recordDrop();
        }
        return stage;
    }

    /** See {@link TraceStore#flush}. */
    public boolean flush(Duration timeout) {
        LostPositions losses = writer.lostPositions();
        long from = losses.begin();
        long target = queue.acceptedCount();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean reached = false;
        queue.beginHurry();
        try {
            reached = writer.awaitProcessed(target, deadline);
            // Positions, not the lost counter: a trace enqueued before this call may have been lost before it began.
            return reached && !losses.anyLost(from, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            queue.endHurry();
            losses.end(from, target, reached);
        }
    }

    /** Returns the traces dropped (queue full under {@code DROP}, or enqueued after close). */
    public long dropped() {
        return dropped.get();
    }

    /** Returns the traces lost to write failures. */
    public long lost() {
        return writer.lost();
    }

    /** Returns how many traces are queued and not yet taken by the writer. */
    public int pending() {
        return queue.pending();
    }

    /** Returns the full-queue policy. */
    public FullQueuePolicy policy() {
        return policy;
    }

    /** Returns the queue capacity. */
    public int capacity() {
        return capacity;
    }

    /** Whether {@link #close} has begun. */
    public boolean isClosing() {
        return closed.get();
    }

    /**
     * Stops accepting traces (later ones are dropped and counted), waits up to the close timeout
     * for the queue to be written, then runs {@code releaseReaders} (the store's own connections).
     * Traces still unwritten after the timeout are logged as lost. A close racing another one
     * (the shutdown hook and the application's own) waits for that one to finish, so neither
     * returns before the flush.
     */
    public void close(TraceStore store, Runnable releaseReaders) {
        if (!closed.compareAndSet(false, true)) {
            awaitOtherClose();
            return;
        }
        try {
            OpenStores.remove(store);
            queue.close();
            stopWriter();
            releaseReaders.run();
            long drops = dropped.get();
            if (drops > 0 || writer.lost() > 0) {
                log.warn(
                        "Trace database {} closed: {} traces dropped (queue full or closed), {} lost to write failures",
                        where,
                        drops,
                        writer.lost());
            }
        } finally {
            closeDone.countDown();
        }
    }

    /** Waits for the writer up to the close timeout; then abandons what is left and waits once more. */
    private void stopWriter() {
        try {
            if (!joinWriter()) {
                log.error(
                        "Trace database {}: writing the last traces took longer than {}; giving up on {} of them",
                        where,
                        closeTimeout,
                        queue.pending());
                writer.abandon();
                joinWriter();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.abandon();
        }
    }

    /** Joins the writer for the close timeout (at least 1 ms: {@code join(0)} would wait forever); returns whether it ended. */
    private boolean joinWriter() throws InterruptedException {
        writerThread.join(Math.max(1, closeTimeout.toMillis()));
        return !writerThread.isAlive();
    }

    /** Waits as long as the first close() may take: the close timeout twice (see {@link #stopWriter()}). */
    private void awaitOtherClose() {
        try {
            if (!closeDone.await(Math.max(1, closeTimeout.toMillis()) * 2 + 1_000, TimeUnit.MILLISECONDS)) {
                log.warn("Trace database {}: another close() is still running; returning without it", where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts a drop; WARNs at once for the first, then at most every 10 s with the count since. */
    private void recordDrop() {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            long since = total - dropsLogged.getAndSet(total);
            log.warn(
                    "Dropped {} traces for {} ({} in total): {}",
                    since,
                    where,
                    total,
                    closed.get()
                            ? "the store is closed"
                            : "the queue is full (capacity " + capacity + ", policy DROP); the writer cannot keep up");
        }
    }

    /** Shows the policy and the counters, for a store's {@code toString()}. */
    public String counters() {
        return "policy=" + policy + ", pending=" + queue.pending() + ", dropped=" + dropped.get() + ", lost="
                + writer.lost() + (closed.get() ? ", closed" : "");
    }
}
