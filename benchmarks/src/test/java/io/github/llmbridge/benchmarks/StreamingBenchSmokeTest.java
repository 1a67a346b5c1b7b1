package io.github.llmbridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming benchmark runs end to end: every contender reads every chunk of every call, no timing asserted. */
class StreamingBenchSmokeTest {

    @Test
    void everyContenderReadsTheWholeStreamWithoutErrors() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<StreamingBench.Result> results = StreamingBench.run(
                1, Duration.ofMillis(200), new int[] {2}, 5, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).hasSize(4);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.errors()).as(r.contender()).isZero();
            assertThat(r.calls()).as(r.contender()).isPositive();
            assertThat(r.chunks()).as(r.contender()).isEqualTo(r.calls() * StreamingBench.CONTENT_CHUNKS);
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("LLM Bridge stream() CPU per call / raw JDK");
    }
}
