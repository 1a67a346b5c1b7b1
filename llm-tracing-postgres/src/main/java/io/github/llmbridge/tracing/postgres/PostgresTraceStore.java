package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.FullQueuePolicy;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TraceStoreException;
import io.github.llmbridge.tracing.TraceSummary;
import io.github.llmbridge.tracing.internal.RecordedCalls;
import io.github.llmbridge.tracing.internal.StoredMedia;
import io.github.llmbridge.tracing.internal.TraceReader;
import io.github.llmbridge.tracing.internal.TraceStoreEngine;
import io.github.llmbridge.tracing.internal.TraceWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TraceStore} in a PostgreSQL database that many processes on many machines write at
 * once: every worker of a training run points {@code LLM_TRACE_DB} at one database, and one run's
 * calls are queried by session from any of them. Same contract, columns, queries and full-queue
 * policies as {@code SqliteTraceStore}: callers only enqueue, and one background thread per store
 * writes batches as multi-row inserts in one transaction each.
 *
 * <pre>{@code
 * try (PostgresTraceStore store = PostgresTraceStore.open("postgresql://trainer@db.internal:5432/traces")) {
 *     ChatClient judge = TracingChatClient.wrap(backend, store);
 *     ...
 * }   // close() flushes
 * }</pre>
 *
 * <p>Many writers: trace ids are unique and a batch is idempotent, so one retried after a dropped
 * connection inserts nothing twice. When the server restarts, the writer reconnects with backoff
 * while the queue holds the traces. The schema is created and migrated when a store opens, under
 * an advisory lock, so workers that start at once are safe. The password (from the URL,
 * {@code PGPASSWORD} or {@code ~/.pgpass}) is never logged, shown or stored.
 */
public final class PostgresTraceStore implements TraceStore, RecordedCalls.Source {

    /** Queue capacity when none is set. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

    private static final Logger log = LoggerFactory.getLogger(PostgresTraceStore.class);

    /** Holds for the traces {@code t} whose session uid chain holds the parameter, through the GIN index. */
    private static final String SESSION_UID_CONDITION = "t.session_uids @> jsonb_build_array(CAST(? AS text))";

    private final String display;
    private final TraceStoreEngine engine;
    private final TraceReader reader;

    private PostgresTraceStore(Builder b) {
        PostgresLocation location =
                PostgresLocation.parse(b.url, new PostgresLocation.PasswordSources(b.password, b.pgPassFile));
        PostgresConnector connector = new PostgresConnector(location);
        this.display = location.display();
        Connection writeConnection = null;
        TraceReader openedReader = null;
        try {
            writeConnection = connector.connect();
            PostgresSchema.migrate(writeConnection, display);
            openedReader = new TraceReader(
                    display, connector::connect, SESSION_UID_CONDITION, PostgresConnector::isConnectionFailure, false);
            List<String> secrets = new ArrayList<>(b.secrets);
            if (location.password() != null) {
                secrets.add(location.password()); // never in a row, even if a prompt quotes it
            }
            this.engine = new TraceStoreEngine(
                    display,
                    new PostgresTraceSink(connector, writeConnection),
                    b.capacity,
                    b.policy,
                    b.maxBatchSize,
                    b.maxBatchDelay,
                    b.closeTimeout,
                    secrets,
                    new StoredMedia(b.fullMedia),
                    TraceWriter.Pause.SLEEP);
            this.reader = openedReader;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writeConnection);
            closeQuietly(openedReader);
            if (e instanceof TraceStoreException t) {
                throw t;
            }
            String why = e instanceof SQLException s ? connector.describe(s) : connector.scrub(String.valueOf(e));
            // The driver's exception is not the cause: its message and chain may quote the URL.
            throw new TraceStoreException("cannot open trace database " + display + ": " + why, null);
        }
        engine.start(this);
        log.info("Tracing LLM calls to {} (queue {}, policy {})", display, b.capacity, b.policy);
    }

    /**
     * Opens a store with default options, creating or migrating the trace tables.
     *
     * @param url {@code postgresql://user[:password]@host[:port]/db} or {@code jdbc:postgresql:...}
     * @throws TraceStoreException naming the database (never the password) when the URL is not a
     *                             PostgreSQL URL, the server cannot be reached or refuses the login,
     *                             or the tables were written by a newer version of this library
     */
    public static PostgresTraceStore open(String url) {
        return builder(url).open();
    }

    /** Starts a builder for a store in this database. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Returns the database as logs show it: {@code postgresql://user@host:port/db}, never the password. */
    public String location() {
        return display;
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
     * Returns the newest trace's position (its row number). Row numbers are taken when a row is
     * inserted, not when it commits, so with several writers a trace may commit after a later
     * position was seen: a reader that follows the store re-reads a margin behind it.
     *
     * @throws TraceStoreException naming the database when it cannot be read
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
     * Stops accepting traces, waits up to the close timeout (default 60 s) for the queue to be
     * written, then closes the connections. While the server is unreachable the writer keeps
     * retrying until that timeout; traces still unwritten then are logged as lost.
     */
    @Override
    public void close() {
        engine.close(this, () -> {
            try {
                reader.close();
            } catch (SQLException e) {
                log.warn("Closing trace database {} failed: {}", display, e.getMessage());
            }
        });
    }

    /** Whether {@link #close()} has begun. */
    boolean isClosing() {
        return engine.isClosing();
    }

    /** Shows the database (no password), the policy and the counters. */
    @Override
    public String toString() {
        return "PostgresTraceStore[" + display + ", " + engine.counters() + "]";
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

    /** Builds a {@link PostgresTraceStore}; every option has a default. */
    public static final class Builder {
        private final String url;
        private String password;
        private Path pgPassFile = defaultPgPassFile();
        private int capacity = DEFAULT_QUEUE_CAPACITY;
        private FullQueuePolicy policy = FullQueuePolicy.BLOCK;
        private int maxBatchSize = 1000;
        private Duration maxBatchDelay = Duration.ofMillis(10);
        private Duration closeTimeout = Duration.ofSeconds(60);
        private final List<String> secrets = new ArrayList<>();
        private boolean fullMedia;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /**
         * Sets the password used when the URL has none (the {@code LLM_TRACE_DB} decorator passes
         * {@code PGPASSWORD}); a password in the URL wins. {@code null} unsets.
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Sets the {@code .pgpass} file consulted when neither the URL nor {@link #password} gives
         * a password (default {@code ~/.pgpass}; the decorator passes {@code PGPASSFILE}).
         * {@code null} consults none.
         */
        public Builder pgPassFile(Path file) {
            this.pgPassFile = file;
            return this;
        }

        /**
         * Sets how many traces may wait for the writer (default {@value #DEFAULT_QUEUE_CAPACITY});
         * it also bounds what is held while the server is unreachable.
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
            if (Objects.requireNonNull(delay, "maxBatchDelay").isNegative()) {
                throw new IllegalArgumentException("maxBatchDelay must not be negative, was " + delay);
            }
            this.maxBatchDelay = delay;
            return this;
        }

        /**
         * Sets how long {@link PostgresTraceStore#close()} (and the shutdown hook) waits for the
         * queue to be written, the server's outages included (default 60 s).
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
         * Sets whether inline media is stored as sent (default {@code false}: each inline image,
         * audio clip or file is stored as its media type, SHA-256 and size, as in SQLite; see
         * {@code SqliteTraceStore.Builder#fullMedia}). Credentials in media URLs are redacted
         * either way. The {@code LLM_TRACE_FULL_MEDIA} decorator sets it from the environment.
         */
        public Builder fullMedia(boolean fullMedia) {
            this.fullMedia = fullMedia;
            return this;
        }

        /**
         * Adds secrets (API keys, tokens) to replace with {@code [REDACTED]} in every text stored.
         * The database password is always added.
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
         * Opens the store; see {@link PostgresTraceStore#open(String)}.
         *
         * @throws TraceStoreException naming the database (never the password) when it cannot be
         *                             reached, refuses the login, or cannot be migrated
         */
        public PostgresTraceStore open() {
            return new PostgresTraceStore(this);
        }

        private static Path defaultPgPassFile() {
            String home = System.getProperty("user.home");
            return home == null ? null : Path.of(home, ".pgpass");
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
