package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.cli.testdata.TraceDatabases;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llm-bridge report} on a generated run: the file is self-contained, and its numbers (the
 * cards, the data its charts draw, its tables) are what the generator wrote.
 */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS = 3000;

    @TempDir
    static Path dir;

    private static TraceDatabases.Run run;
    private static String html;
    private static JsonNode data;
    private static Cli.Result result;

    @BeforeAll
    static void report() throws IOException {
        run = TraceDatabases.generate(dir.resolve("run.db"), CALLS, 11);
        result = Cli.run("report", run.file().toString());
        html = Files.readString(dir.resolve("run-report.html"));
        data = chartData(html);
    }

    @Test
    void writesBesideTheDatabaseAndSaysWhereWithTheCount() {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .matches("Report: "
                                + Pattern.quote(dir.resolve("run-report.html").toString())
                                + " \\(3,000 calls, \\d+ KB, \\d+\\.\\d s\\)"));
        assertThat(result.err()).as("not a terminal: no progress lines").isEmpty();
    }

    @Test
    void theFileIsSelfContainedWithChartJsInlined() {
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("Chart.js v4.5.1")
                .doesNotContain("<script src", "<link rel=\"stylesheet\"", "sourceMappingURL")
                .doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    @Test
    void theCardsShowTheRunsTotals() {
        assertThat(html)
                .contains(card("calls", "3,000"))
                .contains(card("failed", String.format("%,d", run.failures())))
                .contains(card("retries", String.format("%,d", run.retries())))
                .contains(card("fallbacks", String.format("%,d", run.fallbacks())))
                .contains(card("tokens", String.format("%,d", run.totalTokens())))
                .contains(card("cost", String.format("$%,.2f", run.cost())));
    }

    @Test
    void theChartsDrawEveryCallOnceAndAddUpToTheTotals() {
        JsonNode time = data.get("time");
        assertThat(sum(time.get("ok")) + sum(time.get("failed"))).isEqualTo(CALLS);
        assertThat(sum(time.get("failed"))).isEqualTo(run.failures());
        assertThat(sum(time.get("retries"))).isEqualTo(run.retries());
        assertThat(sum(time.get("fallbacks"))).isEqualTo(run.fallbacks());
        assertThat(last(time.get("cumulativeTokens"))).isEqualTo((double) run.totalTokens());
        assertThat(last(time.get("cumulativeCost"))).isCloseTo(run.cost(), within(1e-5));
        // six hours in buckets of a nice width, about 120 of them
        assertThat(data.get("bucket").asText()).isEqualTo("5 min");
        assertThat(time.get("labels")).hasSize(72);
        assertThat(time.get("labels").get(0).asText()).isEqualTo("08:00");

        Map<String, Integer> categories = new java.util.TreeMap<>();
        JsonNode c = data.get("categories");
        for (int i = 0; i < c.get("labels").size(); i++) {
            categories.put(
                    c.get("labels").get(i).asText(), c.get("counts").get(i).asInt());
        }
        Map<String, Integer> expected = new java.util.TreeMap<>();
        run.failuresByCategory().forEach((k, v) -> expected.put(k.name(), v));
        assertThat(categories).isEqualTo(expected);

        JsonNode models = data.get("models");
        for (int i = 0; i < models.get("labels").size(); i++) {
            String model = models.get("labels").get(i).asText();
            assertThat(models.get("ok").get(i).asInt()
                            + models.get("failed").get(i).asInt())
                    .as(model)
                    .isEqualTo(run.callsByModel().get(model));
        }
        assertThat(texts(data.get("prefixes").get("labels")))
                .containsExactly("step-0000", "step-0001", "step-0002", "step-0003");
    }

    @Test
    void theSlowestCallLeadsItsTableAndTheCommonestErrorFoldsLongNumbers() {
        String slowest = html.substring(html.indexOf("Slowest calls"));
        String firstRow =
                slowest.substring(slowest.indexOf("<tbody>"), slowest.indexOf("</tr>", slowest.indexOf("<tbody>")));
        assertThat(firstRow)
                .contains(run.slowestTraceSession())
                .contains(String.format(java.util.Locale.ROOT, "%.1f s", run.slowestLatencyMs() / 1000));
        assertThat(html)
                .contains("400 from litellm: &quot;This model&#39;s maximum context length is N tokens, however"
                        + " you requested N tokens&quot;")
                .contains("<td>CONTEXT_LENGTH_EXCEEDED</td>");
    }

    @Test
    void filtersAndTheBucketWidthApplyAndTheHeaderSaysWhichCallsAreShown() throws IOException {
        Path out = dir.resolve("filtered/llama.html");
        Cli.Result filtered = Cli.run(
                "report",
                run.file().toString(),
                "-o",
                out.toString(),
                "--model",
                "meta-llama/llama-3.1-70b-instruct",
                "--bucket",
                "1h",
                "--title",
                "Llama only");

        assertThat(filtered.exitCode()).as(filtered.toString()).isZero();
        String page = Files.readString(out);
        assertThat(page)
                .contains("<title>LLM Bridge report: Llama only</title>")
                .contains("--model meta-llama/llama-3.1-70b-instruct")
                .contains(card(
                        "calls", String.format("%,d", run.callsByModel().get("meta-llama/llama-3.1-70b-instruct"))));
        JsonNode pageData = chartData(page);
        assertThat(pageData.get("bucket").asText()).isEqualTo("1 h");
        assertThat(pageData.get("time").get("labels")).hasSize(6);
        assertThat(texts(pageData.get("models").get("labels"))).containsExactly("meta-llama/llama-3.1-70b-instruct");
    }

    @Test
    void progressIsShownOnATerminalAndClearedAtTheEnd() {
        Cli.Result onTerminal = Cli.run(
                Map.of(),
                true,
                "report",
                run.file().toString(),
                "-o",
                dir.resolve("tty.html").toString());

        assertThat(onTerminal.exitCode()).isZero();
        assertThat(onTerminal.err())
                .contains("\r  [1/9] reading the traces ... ")
                .contains("\r  [8/9] common error messages ... ")
                .contains("\r  [9/9] writing the HTML ... ")
                .endsWith("\r");
        assertThat(onTerminal.err().replaceAll("[\r ]", "").replaceAll("\\[\\d/9\\][^\\[]*", ""))
                .as("nothing but progress on stderr")
                .isEmpty();
    }

    @Test
    void aReportThatCannotBeWrittenExitsFourNamingTheFile() throws IOException {
        Path aFile = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        Path target = aFile.resolve("report.html");

        Cli.Result failed = Cli.run("report", run.file().toString(), "-o", target.toString());

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.CANNOT_WRITE);
        assertThat(failed.errLines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("llm-bridge report: cannot write the report to " + target + ": ")
                        .endsWith("; choose another file with -o"));
        assertThat(failed.out()).isEmpty();
    }

    @Test
    void namesAndMessagesAreEscapedSoAHostileSessionNameCannotRunScript() throws IOException {
        Path db = dir.resolve("hostile.db");
        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                LlmSession session = LlmSession.open("<img src=x onerror=alert(1)>/rollout")) {
            ChatRequest request =
                    ChatRequest.builder().model("m/<b>judge</b>").user("q").build();
            store.enqueue(new CallTrace(
                    request,
                    session,
                    TraceDatabases.START,
                    Duration.ofMillis(5),
                    "fake",
                    null,
                    new LlmException(ErrorCategory.SERVER_ERROR, "</script><script>alert(2)</script>")));
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
        }
        Path out = dir.resolve("hostile.html");

        assertThat(Cli.run("report", db.toString(), "-o", out.toString()).exitCode())
                .isZero();

        String page = Files.readString(out);
        assertThat(page)
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
                .doesNotContain("<img src=x", "<script>alert(2)", "<b>judge</b>");
        assertThat(chartData(page).get("prefixes").get("labels").get(0).asText())
                .isEqualTo("<img src=x onerror=alert(1)>");
    }

    static JsonNode chartData(String page) throws IOException {
        String start = "<script id=\"report-data\" type=\"application/json\">";
        int from = page.indexOf(start) + start.length();
        return JSON.readTree(page.substring(from, page.indexOf("</script>", from)));
    }

    private static String card(String label, String value) {
        return "<div class=\"label\">" + label + "</div><div class=\"value\">" + value + "</div>";
    }

    private static long sum(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .mapToLong(JsonNode::asLong)
                .sum();
    }

    private static double last(JsonNode array) {
        return array.get(array.size() - 1).asDouble();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
