package io.github.llmbridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report benchmark works at a tiny size: it generates the database, runs the command in a
 * forked JVM and prints its table. Structure only; no timing is asserted.
 */
class ReportBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void generatesTheDatabaseRunsARoundInAFreshJvmAndPrintsTheTable() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        String markdown = ReportBenchmark.run(
                dir.resolve("small.db"), 2000, 1, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(log.toString(StandardCharsets.UTF_8)).contains("generating 2,000 traces", "round 1: ");
        assertThat(markdown)
                .contains("2,000 traces")
                .contains("| round | wall time | CPU time | heap peak | resident memory peak | report size |")
                .containsPattern(
                        "\\| 1 \\| \\d+\\.\\d\\d s \\| \\d+\\.\\d\\d s \\| \\d+ MiB \\| \\d+ MiB \\| \\d+ KB \\|")
                .contains("Median wall time: ", "Machine: ");
    }
}
