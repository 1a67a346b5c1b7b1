package io.github.llmbridge.tracing;

import io.github.llmbridge.tracing.internal.RecordedCalls;
import io.github.llmbridge.tracing.internal.StoredMedia;
import io.github.llmbridge.tracing.internal.TraceReader;
import io.github.llmbridge.tracing.internal.TraceStoreEngine;
import io.github.llmbridge.tracing.internal.TraceWriter;
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
public final class SqliteTraceStore implements TraceStore, RecordedCalls.Source {

    /** Queue capacity when none is set. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

    private static final Logger log = LoggerFactory.getLogger(SqliteTraceStore.class);

    /** Holds for the traces {@code t} whose session uid chain holds the parameter, through the uid index table. */
    private static final String SESSION_UID_CONDITION =
            "t.id IN (SELECT s.trace_rowid FROM trace_session_uids s WHERE s.session_uid = ?)";

    private final Path file;
    private final TraceStoreEngine engine;
    private final TraceReader reader;

    private SqliteTraceStore(Builder b) {
        this.file = b.file.toAbsolutePath().normalize();
        createDirectories(file);
        Connection writeConnection = null;
        TraceReader openedReader = null;
        try {
            writeConnection = connect(file, b.busyTimeout);
            prepare(writeConnection, file, b.busyTimeout);
            openedReader = new TraceReader(
                    file.toString(), () -> connect(file, b.busyTimeout), SESSION_UID_CONDITION, e -> false, true);
            this.engine = new TraceStoreEngine(
                    file.toString(),
                    new SqliteTraceSink(file, writeConnection, b.busyRetries),
                    b.capacity,
                    b.policy,
                    b.maxBatchSize,
                    b.maxBatchDelay,
                    b.closeTimeout,
                    b.secrets,
                    new StoredMedia(b.fullMedia),
                    b.busyPause);
            this.reader = openedReader;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writeConnection);
            closeQuietly(openedReader);
            if (e instanceof TraceStoreException t) {
                throw t;
            }
            throw new TraceStoreException("cannot open trace database " + file + ": " + e.getMessage(), e);
        }
        engine.start(this);
        log.info("Tracing LLM calls to {} (queue {}, policy {})", file, b.capacity, b.policy);
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
        return engine.policy();
    }

    @Override
    public long pendingCount() {
        return pending();
    }

    /** Returns how many traces are queued and not yet taken by the writer. */
    public int pending() {
        return engine.pending();
    }

    @Override
    public CompletionStage<Void> enqueue(CallTrace trace) {
        return engine.enqueue(trace);
    }

    @Override
    public boolean flush(Duration timeout) {
        return engine.flush(timeout);
    }

    @Override
    public long droppedCount() {
        return engine.dropped();
    }

    @Override
    public long lostCount() {
        return engine.lost();
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

    /** Internal: the store's successful calls, for the cache and replay ({@code tracing.cache}). */
    @Override
    public RecordedCalls recordedCalls() {
        return reader;
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
        engine.close(this, () -> {
            try {
                reader.close();
            } catch (SQLException e) {
                log.warn("Closing trace database {} failed: {}", file, e.getMessage());
            }
        });
    }

    /** Whether {@link #close()} has begun. */
    boolean isClosing() {
        return engine.isClosing();
    }

    /** Shows the file, the policy and the counters. */
    @Override
    public String toString() {
        return "SqliteTraceStore[" + file + ", " + engine.counters() + "]";
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
                if (!SqliteTraceSink.isBusy(e) || remainingMillis <= 0) {
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

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
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
