package io.github.llmbridge.tracing;

import io.github.llmbridge.core.internal.DaemonThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TraceStore} in a SQLite file. Callers only enqueue; one background thread per store
 * writes batches in transactions (WAL journal, {@code synchronous=NORMAL}, a busy timeout), so
 * several stores and several processes can write the same file. The schema is migrated when the
 * store opens, and a JVM shutdown hook flushes stores that were never closed.
 *
 * <pre>{@code
 * try (SqliteTraceStore store = SqliteTraceStore.open(Path.of("traces/run-17.db"))) {
 *     ChatClient judge = TracingChatClient.wrap(backend, store);
 *     ...
 * }   // close() flushes
 * }</pre>
 *
 * <p>Tune it with {@link #builder(Path)}: queue capacity (default {@value #DEFAULT_QUEUE_CAPACITY}),
 * what happens when the queue is full ({@link FullQueuePolicy}, default {@code BLOCK}), batch size
 * and delay, and the secrets to scrub from every stored text.
 */
public final class SqliteTraceStore implements TraceStore {

    /** Queue capacity when none is set. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

    private static final Logger log = LoggerFactory.getLogger(SqliteTraceStore.class);
    private static final DaemonThreads WRITER_THREADS = new DaemonThreads("trace-writer");
    private static final long DROP_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final Path file;
    private final TraceQueue queue;
    private final TraceWriter writer;
    private final Thread writerThread;
    private final TraceReader reader;
    private final FullQueuePolicy policy;
    private final int capacity;
    private final Duration closeTimeout;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong dropsLogged = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);

    private SqliteTraceStore(Builder b) {
        this.file = b.file.toAbsolutePath().normalize();
        this.policy = b.policy;
        this.capacity = b.capacity;
        this.closeTimeout = b.closeTimeout;
        createDirectories(file);
        Connection writeConnection = null;
        Connection readConnection = null;
        try {
            writeConnection = connect(file, b.busyTimeout);
            prepare(writeConnection, file, b.busyTimeout);
            readConnection = connect(file, b.busyTimeout);
            this.queue = new TraceQueue(b.capacity, b.policy);
            this.writer = new TraceWriter(
                    file,
                    writeConnection,
                    queue,
                    b.secrets,
                    new StoredMedia(b.fullMedia),
                    b.maxBatchSize,
                    b.maxBatchDelay.toNanos(),
                    b.busyRetries,
                    b.busyPause);
            this.reader = new TraceReader(file, readConnection);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writeConnection);
            closeQuietly(readConnection);
            if (e instanceof TraceStoreException t) {
                throw t;
            }
            throw new TraceStoreException("cannot open trace database " + file + ": " + e.getMessage(), e);
        }
        this.writerThread = WRITER_THREADS.newThread(writer);
        writerThread.start();
        OpenStores.add(this);
        log.info("Tracing LLM calls to {} (queue {}, policy {})", file, capacity, policy);
    }

    /**
     * Opens (creating it and its parent directories if needed) a trace database with default
     * options, migrating its schema.
     *
     * @throws TraceStoreException naming the file when it cannot be created or opened, is not a
     *                             SQLite database, or was written by a newer version of this library
     */
    public static SqliteTraceStore open(Path file) {
        return builder(file).open();
    }

    /** Starts a builder for a store on this file. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** Returns the database file (absolute). */
    public Path file() {
        return file;
    }

    /** Returns the full-queue policy. */
    public FullQueuePolicy fullQueuePolicy() {
        return policy;
    }

    @Override
    public long pendingCount() {
        return pending();
    }

    /** Returns how many traces are queued and not yet taken by the writer. */
    public int pending() {
        return queue.pending();
    }

    @Override
    public CompletionStage<Void> enqueue(CallTrace trace) {
        CompletionStage<Void> stage = queue.offer(Objects.requireNonNull(trace, "trace"));
        if (stage == TraceQueue.DROPPED) {
            recordDrop();
        }
        return stage;
    }

    @Override
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

    @Override
    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public long lostCount() {
        return writer.lost();
    }

    @Override
    public List<TraceRecord> findBySessionName(String sessionName) {
        return reader.bySessionName(Objects.requireNonNull(sessionName, "sessionName"));
    }

    @Override
    public List<TraceRecord> findBySessionUid(String sessionUid) {
        return reader.bySessionUid(Objects.requireNonNull(sessionUid, "sessionUid"));
    }

    @Override
    public List<TraceRecord> find(TraceQuery query) {
        return reader.find(Objects.requireNonNull(query, "query"));
    }

    /**
     * Returns the position of the newest trace committed to the file, by this store or any other
     * writer of it, or 0 when it holds none. Traces are committed in position order, so a reader
     * that follows the file asks for {@link TraceQuery.Builder#writtenAfter(long) what was written
     * after} the position it last saw:
     *
     * <pre>{@code
     * long seen = store.lastPosition();
     * ...
     * long now = store.lastPosition();
     * List<TraceRecord> fresh = store.find(TraceQuery.builder().writtenAfter(seen).writtenUpTo(now).build());
     * seen = now;
     * }</pre>
     *
     * A position is the trace's row id. Deleting the newest rows with plain SQL lets new traces
     * take their positions again.
     *
     * @throws TraceStoreException naming the file when it cannot be read
     */
    public long lastPosition() {
        return reader.lastPosition();
    }

    @Override
    public TraceSummary summary(String sessionName) {
        return reader.summary(Objects.requireNonNull(sessionName, "sessionName"));
    }

    /**
     * Stops accepting traces (later ones are dropped and counted), waits up to the close timeout
     * (default 60 s) for the queue to be written, then closes the database. Traces still unwritten
     * after the timeout are logged as lost. A close() racing another one (say the JVM shutdown
     * hook and the application's own) waits for that one to finish, so neither returns before the
     * flush.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitOtherClose();
            return;
        }
        try {
            OpenStores.remove(this);
            queue.close();
            stopWriter();
            try {
                reader.close();
            } catch (SQLException e) {
                log.warn("Closing trace database {} failed: {}", file, e.getMessage());
            }
            long drops = dropped.get();
            if (drops > 0 || writer.lost() > 0) {
                log.warn(
                        "Trace database {} closed: {} traces dropped (queue full or closed), {} lost to write failures",
                        file,
                        drops,
                        writer.lost());
            }
        } finally {
            closeDone.countDown();
        }
    }

    /** Whether {@link #close()} has begun. */
    boolean isClosing() {
        return closed.get();
    }

    /** Waits for the writer up to the close timeout; then abandons what is left and waits once more. */
    private void stopWriter() {
        try {
            if (!joinWriter()) {
                log.error(
                        "Trace database {}: writing the last traces took longer than {}; giving up on {} of them",
                        file,
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
                log.warn("Trace database {}: another close() is still running; returning without it", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shows the file, the policy and the counters. */
    @Override
    public String toString() {
        return "SqliteTraceStore[" + file + ", policy=" + policy + ", pending=" + queue.pending() + ", dropped="
                + dropped.get() + ", lost=" + writer.lost() + (closed.get() ? ", closed" : "") + "]";
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
                    file,
                    total,
                    closed.get()
                            ? "the store is closed"
                            : "the queue is full (capacity " + capacity + ", policy DROP); the writer cannot keep up");
        }
    }

    private static Connection connect(Path file, Duration busyTimeout) throws SQLException {
        Properties properties = new Properties();
        // Otherwise the driver runs "SELECT last_insert_rowid()" after every insert; ids are assigned by the writer.
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, properties);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
            s.execute("PRAGMA synchronous = NORMAL");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Switches the file to WAL and migrates its schema. Several stores opening one new file at once
     * (trainer workers sharing {@code LLM_TRACE_DB}) race for the switch, and SQLite answers the
     * losers {@code SQLITE_BUSY} at once, without its busy handler; so a busy failure is retried
     * with a short growing pause until the busy timeout has passed.
     */
    private static void prepare(Connection c, Path file, Duration busyTimeout) throws SQLException {
        long deadline = System.nanoTime() + busyTimeout.toNanos();
        ForeignDatabase.refuse(c, file); // before WAL: another tool's file is left as it was
        for (int attempt = 0; ; attempt++) {
            try {
                enableWal(c);
                TraceSchema.migrate(c, file);
                return;
            } catch (SQLException e) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (!TraceWriter.isBusy(e) || remainingMillis <= 0) {
                    throw e;
                }
                log.debug("Trace database {} is busy while opening (attempt {}); retrying", file, attempt + 1);
                try {
                    Thread.sleep(Math.min(remainingMillis, 10L << Math.min(attempt, 5)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void enableWal(Connection c) throws SQLException {
        if (journalMode(c, "PRAGMA journal_mode").equalsIgnoreCase("wal")) {
            return; // WAL is persistent: only a new file (or one written without this library) needs the switch
        }
        try (Statement s = c.createStatement()) {
            // Only takes effect on a new, empty file. Rows hold ~2 KB of JSON: 16 KiB pages halve the
            // write calls (and the writer's system time) compared with the default 4 KiB.
            s.execute("PRAGMA page_size = 16384");
        }
        String mode = journalMode(c, "PRAGMA journal_mode = WAL");
        if (!mode.equalsIgnoreCase("wal")) {
            throw new SQLException("the file refused the WAL journal (journal_mode is '" + mode + "')");
        }
    }

    private static String journalMode(Connection c, String pragma) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(pragma)) {
            return r.next() ? r.getString(1) : "";
        }
    }

    private static void createDirectories(Path file) {
        Path parent = file.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new TraceStoreException("cannot create the directory for trace database " + file + ": " + e, e);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the original error is what the caller needs
            }
        }
    }

    /** Builds a {@link SqliteTraceStore}; every option has a default. */
    public static final class Builder {
        private final Path file;
        private int capacity = DEFAULT_QUEUE_CAPACITY;
        private FullQueuePolicy policy = FullQueuePolicy.BLOCK;
        private int maxBatchSize = 1000;
        private Duration maxBatchDelay = Duration.ofMillis(10);
        private Duration busyTimeout = Duration.ofSeconds(5);
        private int busyRetries = 5;
        private TraceWriter.Pause busyPause = TraceWriter.Pause.SLEEP;
        private Duration closeTimeout = Duration.ofSeconds(60);
        private final List<String> secrets = new ArrayList<>();
        private boolean fullMedia;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /**
         * Sets how many traces may wait for the writer (default {@value #DEFAULT_QUEUE_CAPACITY}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder queueCapacity(int capacity) {
            this.capacity = positive("queueCapacity", capacity);
            return this;
        }

        /** Sets what happens to a trace that finds the queue full (default {@link FullQueuePolicy#BLOCK}). */
        public Builder fullQueuePolicy(FullQueuePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the most traces written in one transaction (default 1000).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxBatchSize(int size) {
            this.maxBatchSize = positive("maxBatchSize", size);
            return this;
        }

        /**
         * Sets how long the writer waits for a batch to fill before committing what it has
         * (default 10 ms; zero commits at once). A {@link #flush} never waits for it.
         */
        public Builder maxBatchDelay(Duration delay) {
            this.maxBatchDelay = notNegative("maxBatchDelay", delay);
            return this;
        }

        /**
         * Sets how long one write waits for another connection's write lock ({@code PRAGMA
         * busy_timeout}, default 5 s) before the batch is retried (5 retries).
         */
        public Builder busyTimeout(Duration timeout) {
            this.busyTimeout = notNegative("busyTimeout", timeout);
            return this;
        }

        /** Replaces the writer's pause between busy retries; package-private, for tests only. */
        Builder busyPause(TraceWriter.Pause pause) {
            this.busyPause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /**
         * Sets how long {@link SqliteTraceStore#close()} (and the shutdown hook) waits for the queue
         * to be written (default 60 s).
         *
         * @throws IllegalArgumentException when zero or negative
         */
        public Builder closeTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "closeTimeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Adds secrets (API keys, tokens) to replace with {@code [REDACTED]} in every text stored:
         * request and response JSON, error messages, metadata. {@code null} and values shorter than
         * six characters are ignored. The {@code LLM_TRACE_DB} decorator adds the configured keys.
         */
        public Builder redact(Collection<String> secrets) {
            for (String s : secrets) {
                if (s != null && !s.isBlank()) {
                    this.secrets.add(s);
                }
            }
            return this;
        }

        /**
         * Sets whether inline media is stored as sent (default {@code false}). By default each
         * image, audio clip or file a request carries inline ({@code data:} URIs, base64) is stored
         * in {@code request_json} as its media type, SHA-256 and size, e.g.
         * {@code data:image/png;sha256=9f86...;bytes=48213}, so a vision judge's traces do not grow
         * by megabytes per call; inline audio and images in replies likewise. {@code true} keeps
         * the data, e.g. to rebuild training examples from the traces. Credentials in the query of
         * an image URL (presigned S3, GCS, Azure, CloudFront) are redacted either way. The
         * {@code LLM_TRACE_FULL_MEDIA} decorator sets it from the environment.
         */
        public Builder fullMedia(boolean fullMedia) {
            this.fullMedia = fullMedia;
            return this;
        }

        /**
         * Opens the store; see {@link SqliteTraceStore#open(Path)}.
         *
         * @throws TraceStoreException naming the file when it cannot be opened or migrated
         */
        public SqliteTraceStore open() {
            return new SqliteTraceStore(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        private static Duration notNegative(String name, Duration value) {
            if (Objects.requireNonNull(value, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
