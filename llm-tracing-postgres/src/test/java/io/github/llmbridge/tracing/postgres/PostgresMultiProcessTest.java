package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four writer processes (workers on four machines) start at once against one new database: the
 * schema is created once, every trace arrives once, and any process can query the others' calls.
 */
class PostgresMultiProcessTest {

    private static final int PROCESSES = 4;
    private static final int TRACES_EACH = 5_000;

    @Test
    void fourProcessesStartingAtOnceOnANewDatabaseWriteEveryTraceExactlyOnce() throws Exception {
        TestPostgres server = TestPostgres.shared();
        String database = server.newDatabase(); // empty: the processes race to create the tables
        String url = server.url(database);
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(new ProcessBuilder(
                            javaBinary(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            PostgresWritingProcess.class.getName(),
                            url,
                            Integer.toString(TRACES_EACH),
                            "worker-" + i)
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : children) {
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("child finished").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output)
                    .contains("enqueued " + TRACES_EACH)
                    .doesNotContain("Lost")
                    .doesNotContain("Dropped")
                    .doesNotContain(TestPostgres.PASSWORD);
        }

        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT trace_id) FROM traces")) {
            r.next();
            assertThat(r.getLong(1)).as("rows").isEqualTo(PROCESSES * TRACES_EACH);
            assertThat(r.getLong(2)).as("distinct trace ids").isEqualTo(PROCESSES * TRACES_EACH);
        }
        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), max(version) FROM trace_schema")) {
            r.next();
            assertThat(r.getLong(1))
                    .as("one schema row, however many processes created it")
                    .isEqualTo(1);
            assertThat(r.getInt(2)).isEqualTo(PostgresSchema.CURRENT_VERSION);
        }
        try (PostgresTraceStore reader = PostgresTraceStore.open(url)) {
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(reader.summary("worker-" + i).calls()).isEqualTo(TRACES_EACH);
            }
            assertThat(reader.findBySessionName("worker-2")).hasSize(TRACES_EACH);
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
