package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that the pinned sqlite-jdbc loads its native library on this machine and supports what
 * the trace store will rely on: WAL journal and a second connection reading committed rows.
 */
class SqliteDriverTest {

    @Test
    void walDatabaseIsReadableFromASecondConnection(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("traces.db");
        try (Connection writer = DriverManager.getConnection(url);
                Statement w = writer.createStatement()) {
            try (ResultSet mode = w.executeQuery("PRAGMA journal_mode=WAL")) {
                assertThat(mode.getString(1)).isEqualTo("wal");
            }
            w.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
            w.execute("INSERT INTO t (body) VALUES ('hello')");

            try (Connection reader = DriverManager.getConnection(url);
                    Statement r = reader.createStatement();
                    ResultSet rows = r.executeQuery("SELECT body FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("hello");
            }
        }
    }
}
