package io.github.llmbridge.tracing;

import io.github.llmbridge.tracing.internal.TraceRow;
import io.github.llmbridge.tracing.internal.TraceSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to a SQLite file on one connection, each in a {@code BEGIN IMMEDIATE}
 * transaction. When another connection holds the write lock past the busy timeout
 * ({@code SQLITE_BUSY}) the batch is retried with a growing pause, a few times.
 */
final class SqliteTraceSink implements TraceSink {

    private static final Logger log = LoggerFactory.getLogger(SqliteTraceSink.class);

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    /** The insert, the row id first and then {@link TraceRow#COLUMNS}. */
    private static final String INSERT = "INSERT INTO traces (id, " + String.join(", ", TraceRow.COLUMNS)
            + ") VALUES (?" + ", ?".repeat(TraceRow.COLUMNS.size()) + ")";

    private final Path file;
    private final Connection connection;
    private final int busyRetries;
    private final PreparedStatement insertTrace;
    private final PreparedStatement insertUid;
    private final PreparedStatement maxId;

    SqliteTraceSink(Path file, Connection connection, int busyRetries) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.busyRetries = busyRetries;
        this.insertTrace = connection.prepareStatement(INSERT);
        this.insertUid = connection.prepareStatement(
                "INSERT OR IGNORE INTO trace_session_uids (session_uid, trace_rowid, depth) VALUES (?, ?, ?)");
        this.maxId = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM traces");
    }

    @Override
    public void insert(List<TraceRow> rows) throws SQLException {
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
                    insertTrace.setLong(1, id);
                    row.bindColumns(insertTrace, 2, UnaryOperator.identity());
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

    @Override
    public long retryPause(SQLException failure, int attempt) {
        if (!isBusy(failure) || attempt >= busyRetries) {
            return -1;
        }
        log.warn(
                "Trace database {} is locked by another writer; retrying a batch ({}/{})",
                file,
                attempt + 1,
                busyRetries);
        return Math.min(2_000, 50L << Math.min(attempt, 10));
    }

    @Override
    public boolean isDatabaseFailure(SQLException failure) {
        return isBusy(failure);
    }

    @Override
    public String describe(SQLException failure) {
        return String.valueOf(failure.getMessage());
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing trace database {} failed: {}", file, e.getMessage());
        }
    }

    /** Whether SQLite refused for another connection's lock ({@code SQLITE_BUSY} or {@code SQLITE_LOCKED}). */
    static boolean isBusy(SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }
}
