package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.tracing.contract.Traces;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate JVMs: the shutdown hook writes what a process never flushed, and two processes share one file. */
class MultiProcessTest {

    @TempDir
    Path dir;

    @Test
    void twoProcessesThatExitWithoutClosingWriteOneFileAndLoseNothing() throws Exception {
        Path db = dir.resolve("shared.db");
        SqliteTraceStore.open(db).close(); // create the schema first: both children then only write
        List<Process> children = new ArrayList<>();
        for (String name : List.of("proc-a", "proc-b")) {
            children.add(new ProcessBuilder(
                            javaBinary(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            TraceWritingProcess.class.getName(),
                            db.toString(),
                            "20000",
                            name)
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("enqueued 20000").doesNotContain("Lost").doesNotContain("Dropped");
        }

        assertThat(Traces.countRows(db)).isEqualTo(40_000);
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            assertThat(store.summary("proc-a").calls()).isEqualTo(20_000);
            assertThat(store.summary("proc-b").calls()).isEqualTo(20_000);
        }
    }

    @Test
    void twoProcessesOpeningOneVersion3FileAtOnceMigrateItOnceAndBothWrite() throws Exception {
        Path db = Traces.copyOfVersion3Fixture(dir, "v3.db");
        List<Process> children = new ArrayList<>();
        for (String name : List.of("proc-a", "proc-b")) {
            children.add(new ProcessBuilder(
                            javaBinary(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            TraceWritingProcess.class.getName(),
                            db.toString(),
                            "200",
                            name)
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("enqueued 200").doesNotContain("Lost").doesNotContain("Dropped");
        }

        assertThat(Version3MigrationTest.userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION);
        assertThat(Version3MigrationTest.columns(db)).hasSize(38);
        assertThat(Traces.countRows(db)).isEqualTo(3 + 400);
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
