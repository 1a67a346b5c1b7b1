package io.github.llmbridge.cli.traces;

import io.github.llmbridge.cli.CliException;
import io.github.llmbridge.cli.ExitCodes;
import io.github.llmbridge.cli.Progress;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The traces in a SQLite file of {@code llm-tracing-sqlite}. Records are read through the tracing
 * module's own {@link SqliteTraceStore} (so they look exactly as the library returns them); totals
 * and the report are aggregated in SQL ({@link SqliteAggregates}) on a second, read-only connection,
 * so a million traces report in seconds with little memory.
 *
 * <p>Before the store opens the file, a read-only look makes sure it is a trace database: the store
 * would otherwise create the file, or add a {@code traces} table to some other SQLite database.
 * A file written by an older LLM Bridge is migrated forward when the store opens it, as it is for
 * every process that traces to it ({@link #migratedFrom()} says so); one written by a newer version is
 * refused.
 */
public final class SqliteTraceSource implements TraceSource {

    private final Path file;
    private final SqliteTraceStore store;
    private final Connection reader;
    private final int migratedFrom;
    private final int version;

    private SqliteTraceSource(Path file, SqliteTraceStore store, Connection reader, int migratedFrom, int version) {
        this.file = file;
        this.store = store;
        this.reader = reader;
        this.migratedFrom = migratedFrom;
        this.version = version;
    }

    /**
     * Opens an existing trace file.
     *
     * @throws CliException {@link ExitCodes#BAD_DATABASE} naming the file when it is missing, a
     *                      directory, unreadable, not a SQLite database, not a trace database, or
     *                      from a newer LLM Bridge
     */
    public static SqliteTraceSource open(Path path) {
        Path file = path.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw bad(file, "does not exist");
        }
        if (Files.isDirectory(file)) {
            throw bad(file, "is a directory, not a trace file");
        }
        if (!Files.isReadable(file)) {
            throw bad(file, "cannot be read (permissions)");
        }
        int before = probe(file);
        SqliteTraceStore store;
        try {
            store = SqliteTraceStore.open(file);
        } catch (TraceStoreException e) {
            throw new CliException(ExitCodes.BAD_DATABASE, e.getMessage(), e);
        }
        Connection reader = null;
        try {
            reader = readOnly(file);
            LatencyRanks.register(reader);
            int after = userVersion(reader);
            return new SqliteTraceSource(file, store, reader, after != before ? before : 0, after);
        } catch (SQLException e) {
            closeQuietly(reader);
            store.close();
            throw bad(file, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Checks, without writing, that the file is a SQLite database with a {@code traces} table,
     * and returns its schema version.
     */
    private static int probe(Path file) {
        try (Connection c = readOnly(file)) {
            int version = userVersion(c);
            try (PreparedStatement p =
                            c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
                    ResultSet r = bind(p, "traces").executeQuery()) {
                r.next();
                if (r.getInt(1) == 0) {
                    throw bad(
                            file,
                            Files.size(file) == 0
                                    ? "is an empty file, not a trace database"
                                    : "is a SQLite database but not an LLM Bridge trace database (it has no traces table)");
                }
            }
            return version;
        } catch (SQLException e) {
            String why = e.getMessage() == null ? "" : e.getMessage();
            throw bad(
                    file,
                    why.contains("not a database") || why.contains("malformed")
                            ? "is not a SQLite database, or is damaged (" + why + ")"
                            : "cannot be read: " + why);
        } catch (java.io.IOException e) {
            throw bad(file, "cannot be read: " + e.getMessage());
        }
    }

    private static PreparedStatement bind(PreparedStatement p, String value) throws SQLException {
        p.setString(1, value);
        return p;
    }

    private static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /**
     * A connection that cannot change the file (temporary tables, which live apart from it, are
     * allowed), waiting up to 5 s for a writer's lock as the store does.
     */
    static Connection readOnly(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, properties);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static CliException bad(Path file, String why) {
        return new CliException(ExitCodes.BAD_DATABASE, "trace database " + file + " " + why);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing with a better message
            }
        }
    }

    /** Returns the file read. */
    public Path file() {
        return file;
    }

    /** Returns the schema version the file had before this source migrated it, or 0 when it was current. */
    public int migratedFrom() {
        return migratedFrom;
    }

    /** Returns the file's schema version. */
    public int schemaVersion() {
        return version;
    }

    @Override
    public String description() {
        return "SQLite trace file " + file;
    }

    @Override
    public List<TraceRecord> find(TraceFilter filter, int limit) {
        return read(() -> store.find(filter.query().limit(limit).build()));
    }

    @Override
    public List<TraceRecord> findByIdPrefix(String prefix, int limit) {
        return read(() -> store.find(
                TraceQuery.builder().traceIdPrefix(prefix).limit(limit).build()));
    }

    @Override
    public long lastPosition() {
        return read(store::lastPosition);
    }

    @Override
    public List<TraceRecord> writtenBetween(long after, long upTo, TraceFilter filter, int limit) {
        return read(() -> store.find(filter.query()
                .writtenAfter(after)
                .writtenUpTo(upTo)
                .limit(limit)
                .build()));
    }

    @Override
    public List<GroupTotals> summarise(TraceFilter filter, Grouping grouping, char prefixDelimiter, int limit) {
        try {
            return new SqliteAggregates(reader).summarise(filter, grouping, prefixDelimiter, limit);
        } catch (SQLException e) {
            throw bad(file, "could not be summarised: " + e.getMessage());
        }
    }

    @Override
    public ReportData report(ReportRequest request, Progress progress) {
        try {
            return new SqliteAggregates(reader).report(description(), request, progress);
        } catch (SQLException e) {
            throw bad(file, "could not be aggregated for the report: " + e.getMessage());
        }
    }

    private <T> T read(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (TraceStoreException e) {
            throw new CliException(ExitCodes.BAD_DATABASE, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(reader);
        store.close();
    }
}
