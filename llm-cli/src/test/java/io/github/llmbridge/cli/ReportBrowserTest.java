package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.cli.testdata.TraceDatabases;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report opened in a real headless Chromium: it loads with no console error, every chart has
 * data points, and a screenshot is written to {@code target/report-screenshot.png} for a person to
 * look at. {@code .ci/run} installs Debian's {@code chromium}; on a machine without it the test is
 * skipped, except in CI ({@code CI=true}), where a missing browser fails it.
 */
class ReportBrowserTest {

    /** Every chart the report draws when there are failures, retries, fallbacks, tokens and cost. */
    private static final List<String> CHARTS = List.of(
            "chart-calls",
            "chart-latency",
            "chart-categories",
            "chart-retries",
            "chart-cost",
            "chart-models",
            "chart-prefixes");

    @TempDir
    static Path dir;

    private static HeadlessChromium browser;

    @BeforeAll
    static void startTheBrowser() throws Exception {
        var executable = HeadlessChromium.executable();
        if (executable.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("no chromium on PATH: .ci/run installs Debian's chromium package for this test");
            }
            Assumptions.abort("no chromium on PATH (apt-get install chromium); .ci/run installs it");
        }
        browser = HeadlessChromium.start(executable.get(), Files.createDirectories(dir.resolve("profile")));
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theReportLoadsWithoutErrorsAndEveryChartHasDataPoints() throws Exception {
        TraceDatabases.Run run = TraceDatabases.generate(dir.resolve("run.db"), 5000, 3);
        Path html = Path.of("target", "report-screenshot.html").toAbsolutePath();
        Cli.Result made = Cli.run("report", run.file().toString(), "-o", html.toString(), "--title", "generated run");
        assertThat(made.exitCode()).as(made.toString()).isZero();

        browser.open(html.toUri());

        assertThat(browser.errors()).as("console errors and exceptions").isEmpty();
        JsonNode charts = browser.evaluate("Object.entries(window.llmBridgeCharts).map(([id, chart]) => ({id: id,"
                + " points: chart.data.datasets.map(d => d.data.filter(v => v !== null && v !== undefined).length)}))");
        List<String> ids = new ArrayList<>();
        for (JsonNode chart : charts) {
            ids.add(chart.get("id").asText());
            assertThat(chart.get("points"))
                    .as("data points per dataset of %s", chart.get("id").asText())
                    .isNotEmpty()
                    .allSatisfy(points -> assertThat(points.asInt()).isPositive());
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(CHARTS);
        assertThat(browser.evaluate("document.querySelectorAll('canvas').length")
                        .asInt())
                .as("a chart for every canvas")
                .isEqualTo(CHARTS.size());

        Path png = Path.of("target", "report-screenshot.png");
        browser.screenshot(png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(bytes.length).as("a full page of charts, not a blank").isGreaterThan(100_000);
    }

    @Test
    void anEmptyDatabasesReportLoadsWithoutErrorsAndWithoutCharts() throws Exception {
        Path db = TraceDatabases.empty(dir.resolve("empty.db"));
        Path html = dir.resolve("empty.html");
        assertThat(Cli.run("report", db.toString(), "-o", html.toString()).exitCode())
                .isZero();

        browser.open(html.toUri());

        assertThat(browser.errors()).isEmpty();
        assertThat(browser.evaluate("Object.keys(window.llmBridgeCharts).length")
                        .asInt())
                .isZero();
        assertThat(browser.evaluate("document.querySelector('p.empty').textContent")
                        .asText())
                .isEqualTo("No calls match all traces in this database.");
    }

    @Test
    void hostileNamesStayTextInTheBrowser() throws Exception {
        Path db = dir.resolve("hostile.db");
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                LlmSession session = LlmSession.open("<img src=x onerror=\"document.title='owned'\">")) {
            store.enqueue(new CallTrace(
                    ChatRequest.builder().model("m/judge").user("q").build(),
                    session,
                    TraceDatabases.START,
                    Duration.ofMillis(5),
                    "fake",
                    null,
                    new LlmException(ErrorCategory.SERVER_ERROR, "</script><script>document.title='owned'</script>")));
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
        }
        Path html = dir.resolve("hostile.html");
        assertThat(Cli.run("report", db.toString(), "-o", html.toString()).exitCode())
                .isZero();

        browser.open(html.toUri());

        assertThat(browser.errors()).isEmpty();
        assertThat(browser.evaluate("document.title").asText()).isEqualTo("LLM Bridge report: hostile.db");
        assertThat(browser.evaluate("document.querySelectorAll('img').length").asInt())
                .isZero();
        assertThat(browser.evaluate("document.body.textContent").asText())
                .contains("</script><script>document.title='owned'</script>");
    }
}
