package io.github.llmbridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The adaptive-concurrency benchmark runs at a tiny size (100 calls a batch, the two client JVMs
 * included) and reports every table. Structure only: no number is asserted, since timings on a
 * shared build machine prove nothing; the adaptive client losing no call is a behaviour, not a
 * timing.
 */
class AdaptiveBenchSmokeTest {

    @Test
    void everyScenarioAndTheSharedProviderAreReportedAndTheAdaptiveClientLosesNoCall() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        String report = AdaptiveBench.report(100, new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (AdaptiveBench.Scenario s : AdaptiveBench.scenarios()) {
            assertThat(report)
                    .contains("#### " + s.title() + ", first batch of a new client")
                    .contains("#### " + s.title() + ", second batch of the same client");
            for (int fixed : s.fixed()) {
                assertThat(report).contains("| fixed " + fixed + " |");
            }
        }
        assertThat(report)
                .contains("#### Two JVMs sharing one provider", "| together |", "| B 3 s after A |", "Targets:")
                .containsPattern("\\| adaptive \\| \\d+ \\| [\\d.]+ % \\| [\\d.]+ \\| 0 \\|");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("adaptive: 100 ok, 0 failed");
    }
}
