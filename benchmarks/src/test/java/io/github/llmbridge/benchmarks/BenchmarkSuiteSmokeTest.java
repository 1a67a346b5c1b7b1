package io.github.llmbridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness works: every part of the suite runs at tiny sizes (a few hundred calls per
 * contender), every call completes, and the report has every row. Structure only: timings on a
 * shared build machine prove nothing, so no number is asserted.
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void everyPartRunsEveryCallCompletesAndTheReportHasEveryRow() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchmarkSuite.Results results = BenchmarkSuite.run(
                BenchmarkSuite.Config.smoke(), new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (Map<String, Map<Integer, List<LoadRunner.Result>>> byContender :
                results.byLatency().values()) {
            assertThat(byContender).containsOnlyKeys("a", "b", "c", "d");
            byContender.forEach((id, byConcurrency) -> byConcurrency.forEach((concurrency, rounds) -> assertThat(rounds)
                    .allSatisfy(r -> {
                        assertThat(r.errors())
                                .as("(%s) at %d: %s", id, concurrency, r.firstError())
                                .isZero();
                        assertThat(r.calls()).as("(%s) at %d", id, concurrency).isPositive();
                        assertThat(r.latenciesNanos()).hasSize((int) r.calls());
                    })));
        }
        assertThat(results.queued().completed()).isEqualTo(300);
        assertThat(results.queued().failed()).isZero();
        assertThat(results.tracing().tracesPerSecond()).hasSize(1);
        assertThat(results.jmh()).containsOnlyKeys("requestBodyRawJackson", "requestBodyBridge", "resilienceLayerCall");

        String report = Report.markdown(results);
        for (int concurrency : List.of(1, 16)) {
            for (Contender c : BenchmarkSuite.contenders()) {
                assertThat(report).contains("| " + concurrency + " | (" + c.id() + ") " + c.label() + " |");
            }
        }
        assertThat(report)
                .contains(
                        "stub latency 0 ms",
                        "stub latency 20 ms",
                        "### Queued load",
                        "### Tracing writer",
                        "### JMH",
                        "### Targets",
                        "(b)/(a) throughput ≥ 0.9, concurrency 16",
                        "p50 added by (b) over (a) ≤ 100 µs",
                        "(c)/(b) throughput ≥ 0.95",
                        "(b) ≥ (d) throughput",
                        "queued load: peak live threads ≤ 40",
                        "tracing writer ≥ 50,000 traces/s");
    }
}
