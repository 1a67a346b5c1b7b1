package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.tracing.internal.TraceRow;
import io.github.llmbridge.tracing.internal.TraceSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches to PostgreSQL: one transaction per batch, sent as multi-row {@code INSERT}s
 * (the driver rewrites the JDBC batch, up to 128 rows per statement, one round trip for all), with
 * {@code ON CONFLICT (trace_id) DO NOTHING}. A trace's id is fixed before the first attempt, so a
 * batch sent again after its acknowledgement was lost inserts nothing twice.
 *
 * <p>When the server cannot be reached (restarting, network down, connection killed) the batch is
 * retried on a new connection after a growing pause (100 ms doubling to 5 s), for as long as the
 * store is open: the queue holds the traces meanwhile, and its full-queue policy applies.
 */
final class PostgresTraceSink implements TraceSink {

    private static final Logger log = LoggerFactory.getLogger(PostgresTraceSink.class);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    /** The insert for {@link TraceRow#COLUMNS}: JSON columns and the id cast from text. */
    static final String INSERT = "INSERT INTO traces (" + String.join(", ", TraceRow.COLUMNS) + ") VALUES ("
            + TraceRow.COLUMNS.stream().map(PostgresTraceSink::parameter).collect(Collectors.joining(", "))
            + ") ON CONFLICT (trace_id) DO NOTHING";

    /** A NUL escape in JSON text that is not itself escaped ({@code \\u0000} is the text "\u0000"). */
    private static final Pattern JSON_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private final PostgresConnector connector;
    private final String where;
    private Connection connection; // writer thread only
    private PreparedStatement insert;
    private long failingSince; // nanoTime of the first failure of the current outage, 0 when none

    PostgresTraceSink(PostgresConnector connector, Connection connection) {
        this.connector = connector;
        this.where = connector.display();
        this.connection = connection;
    }

    private static String parameter(String column) {
        if (column.equals("trace_id")) {
            return "CAST(? AS uuid)";
        }
        return TraceRow.JSON_COLUMNS.contains(column) ? "CAST(? AS jsonb)" : "?";
    }

    @Override
    public void insert(List<TraceRow> rows) throws SQLException {
        if (connection == null) {
            connection = connector.connect();
        }
        if (insert == null) {
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(INSERT);
        }
        try {
            for (TraceRow row : rows) {
                row.bindColumns(insert, 1, PostgresTraceSink::withoutNul);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                insert.clearBatch();
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        if (failingSince != 0) {
            log.info(
                    "Trace database {} is reachable again after {} ms; writing the queued traces",
                    where,
                    (System.nanoTime() - failingSince) / 1_000_000);
            failingSince = 0;
        }
    }

    @Override
    public long retryPause(SQLException failure, int attempt) {
        if (!PostgresConnector.isConnectionFailure(failure)) {
            return -1;
        }
        dropConnection();
        long pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(attempt, 10));
        if (attempt == 0) {
            failingSince = System.nanoTime();
            log.warn(
                    "Trace database {} cannot be reached ({}); holding traces in the queue and reconnecting",
                    where,
                    connector.describe(failure));
        } else if (pause == MAX_PAUSE_MILLIS && attempt % 12 == 0) {
            log.warn(
                    "Trace database {} still cannot be reached after {} attempts ({})",
                    where,
                    attempt + 1,
                    connector.describe(failure));
        }
        return pause;
    }

    @Override
    public boolean isDatabaseFailure(SQLException failure) {
        return PostgresConnector.isConnectionFailure(failure);
    }

    @Override
    public String describe(SQLException failure) {
        return connector.describe(failure);
    }

    @Override
    public void close() {
        dropConnection();
    }

    private void dropConnection() {
        insert = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing a broken connection to {} failed: {}", where, e.getMessage());
            }
            connection = null;
        }
    }

    /**
     * PostgreSQL's text and {@code jsonb} refuse the NUL character (a raw one, or {@code \u0000}
     * in JSON): it becomes U+FFFD, so a prompt holding one is stored instead of lost.
     */
    static String withoutNul(String text) {
        if (text == null || (text.indexOf('\0') < 0 && !text.contains("\\u0000"))) {
            return text;
        }
        String replaced = text.replace('\0', '\uFFFD');
        Matcher m = JSON_NUL.matcher(replaced);
        return m.find() ? m.replaceAll("$1\\\\ufffd") : replaced;
    }
}
