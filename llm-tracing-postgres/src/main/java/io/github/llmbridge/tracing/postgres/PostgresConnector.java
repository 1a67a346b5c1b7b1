package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.core.internal.Secrets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Opens connections to one PostgreSQL database, and tells connection failures (retry on a new
 * connection) from everything else. Its messages never hold the password.
 */
final class PostgresConnector {

    private static final int MAX_MESSAGE = 300;

    private final PostgresLocation location;
    private final Properties properties;

    PostgresConnector(PostgresLocation location) {
        this.location = location;
        this.properties = location.properties();
    }

    /** Returns a new connection. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(location.jdbcUrl(), properties);
    }

    /** Returns the database as logs show it. */
    String display() {
        return location.display();
    }

    /** Returns the failure's message (and SQL state) with the password scrubbed, for logs and exceptions. */
    String describe(SQLException e) {
        // A batch failure's own message quotes the whole statement with every value (prompts): use the cause's.
        SQLException cause = e;
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            cause = e.getNextException();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof BatchUpdateException) {
            message = "a batch failed";
        }
        // scrubbed before it is cut, so a cut through the password cannot leave a piece of it
        message = scrub(message);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
        return message + state;
    }

    /** Scrubs the password from a text. */
    String scrub(String text) {
        return location.password() == null ? text : Secrets.scrub(text, List.of(location.password()));
    }

    /**
     * Whether the failure means the server could not be reached or the connection is gone, rather
     * than that a statement was refused: SQL state class 08 (connection exception), 57P01-57P03
     * (the server shutting down, crashed or starting), 53300 (too many connections), or no state
     * at all on a connection the driver closed.
     */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null) {
                    String upper = state.toUpperCase(Locale.ROOT);
                    if (upper.startsWith("08")
                            || upper.equals("57P01")
                            || upper.equals("57P02")
                            || upper.equals("57P03")
                            || upper.equals("53300")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
