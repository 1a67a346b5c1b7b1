package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.cli.testdata.TraceDatabases;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llm-bridge traces} end to end on a generated training run: what list, show and summary
 * print, in each format, compared with what the generator wrote and with the full listing
 * filtered in Java.
 */
class TracesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLS = 2000;

    @TempDir
    static Path dir;

    private static TraceDatabases.Run run;
    private static String db;
    private static List<JsonNode> everything;

    @BeforeAll
    static void generate() {
        run = TraceDatabases.generate(dir.resolve("run.db"), CALLS, 7);
        db = run.file().toString();
        Cli.Result all = Cli.run("traces", "list", db, "-n", "100000", "-f", "jsonl");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        everything = jsonLines(all.out());
    }

    @Test
    void listShowsTheNewestFiftyCallsAsATableByDefault() {
        Cli.Result result = Cli.run("traces", "list", db);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines).hasSize(51);
        assertThat(lines.get(0))
                .startsWith("started")
                .contains("id", "session", "model", "status", "tries", "latency", "tokens", "cost", "error");
        JsonNode newest = everything.get(0);
        assertThat(lines.get(1))
                .startsWith(newest.get("started_at").asText().substring(0, 19).replace('T', ' '))
                .contains(newest.get("trace_id").asText().substring(0, 13));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void jsonLinesCarryEveryCallWithFullValuesNewestFirst() {
        assertThat(everything).hasSize(CALLS);
        assertThat(everything)
                .extracting(n -> Instant.parse(n.get("started_at").asText()))
                .isSortedAccordingTo(Comparator.reverseOrder());
        JsonNode first = everything.get(0);
        assertThat(fieldNames(first))
                .containsExactly(
                        "started_at",
                        "trace_id",
                        "session_name",
                        "model_requested",
                        "model_used",
                        "status",
                        "error_category",
                        "http_status",
                        "attempts",
                        "latency_ms",
                        "prompt_tokens",
                        "completion_tokens",
                        "total_tokens",
                        "cost",
                        "error_message");
        assertThat(everything.stream().filter(n -> n.get("status").asText().equals("failed")))
                .hasSize(run.failures());
        assertThat(everything.stream()
                        .mapToLong(n -> n.get("total_tokens").asLong())
                        .sum())
                .isEqualTo(run.totalTokens());
        assertThat(everything.stream()
                        .mapToDouble(n -> n.get("cost").asDouble())
                        .sum())
                .isCloseTo(run.cost(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void eachFilterMatchesWhatTheFullListingHoldsAndFiltersCombine() {
        assertFilter(n -> n.get("status").asText().equals("failed"), "--status", "failed");
        assertFilter(n -> n.get("status").asText().equals("ok"), "--status", "OK");
        assertFilter(n -> n.get("error_category").asText().equals("TIMEOUT"), "--category", "timeout");
        assertFilter(
                n -> n.get("model_requested").asText().equals("meta-llama/llama-3.1-70b-instruct"),
                "--model",
                "meta-llama/llama-3.1-70b-instruct");
        assertFilter(
                n -> n.get("session_name").asText().equals("step-0001/rollout-003"),
                "--session",
                "step-0001/rollout-003");
        Instant from = TraceDatabases.START.plusSeconds(3600);
        Instant to = TraceDatabases.START.plusSeconds(2 * 3600);
        assertFilter(
                n -> {
                    Instant at = Instant.parse(n.get("started_at").asText());
                    return !at.isBefore(from) && at.isBefore(to);
                },
                "--since",
                "2026-11-20T09:00:00Z",
                "--until",
                "2026-11-20 10:00");
        assertFilter(
                n -> n.get("status").asText().equals("failed")
                        && n.get("model_requested").asText().equals("openai/gpt-4o-mini")
                        && Instant.parse(n.get("started_at").asText()).isBefore(to),
                "--status",
                "failed",
                "-m",
                "openai/gpt-4o-mini",
                "--until",
                "2026-11-20T10:00Z");
        assertThat(listed("--category", "RATE_LIMITED"))
                .hasSize(run.failuresByCategory().get(ErrorCategory.RATE_LIMITED));
        assertThat(listed("--model", "openai/gpt-4o-mini"))
                .hasSize(run.callsByModel().get("openai/gpt-4o-mini"));
    }

    @Test
    void sessionUidFindsAStepWithAllItsRollouts() {
        String stepUid;
        try (SqliteTraceStore store = SqliteTraceStore.open(run.file())) {
            TraceRecord one = store.find(TraceQuery.builder()
                            .sessionName("step-0002/rollout-000")
                            .limit(1)
                            .build())
                    .get(0);
            stepUid = one.sessionUids().get(0); // the step's uid, outermost first
        }

        List<JsonNode> step = listed("--session-uid", stepUid);

        assertThat(step)
                .hasSize((int) everything.stream()
                        .filter(n -> n.get("session_name").asText().startsWith("step-0002/"))
                        .count())
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.get("session_name").asText()).startsWith("step-0002/"));
    }

    @Test
    void csvHasAHeaderAndQuotesMessagesWithCommasAndQuotes() {
        Cli.Result result = Cli.run("traces", "list", db, "--category", "CONTEXT_LENGTH_EXCEEDED", "-f", "csv");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        assertThat(lines.get(0))
                .isEqualTo("started_at,trace_id,session_name,model_requested,model_used,status,error_category,"
                        + "http_status,attempts,latency_ms,prompt_tokens,completion_tokens,total_tokens,cost,"
                        + "error_message");
        assertThat(lines).hasSize(1 + run.failuresByCategory().get(ErrorCategory.CONTEXT_LENGTH_EXCEEDED));
        // 400 from litellm: "This model's ... 128000 tokens, however you requested N tokens"
        assertThat(lines.get(1))
                .matches(".*,failed,CONTEXT_LENGTH_EXCEEDED,400,1,[0-9.]+,0,0,0,,"
                        + "\"400 from litellm: \"\"This model's maximum context length is 128000 tokens, however you"
                        + " requested \\d+ tokens\"\"\"");
    }

    @Test
    void limitCutsTheListAndNoMatchSaysSoOnStderr() {
        Cli.Result seven = Cli.run("traces", "list", db, "-n", "7", "-f", "jsonl");
        assertThat(jsonLines(seven.out()))
                .extracting(n -> n.get("trace_id").asText())
                .containsExactlyElementsOf(everything.subList(0, 7).stream()
                        .map(n -> n.get("trace_id").asText())
                        .toList());

        Cli.Result none = Cli.run("traces", "list", db, "--session", "no-such-session");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err())
                .isEqualTo("no calls match --session no-such-session in SQLite trace file "
                        + run.file().toAbsolutePath() + "\n");
    }

    @Test
    void showPrintsOneCallInFullFromTheFirstCharactersOfItsId() {
        JsonNode failed = everything.stream()
                .filter(n -> n.get("error_category").asText().equals("RATE_LIMITED"))
                .findFirst()
                .orElseThrow();
        String id = failed.get("trace_id").asText();

        Cli.Result result = Cli.run("traces", "show", db, id.substring(0, 13));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines())
                .contains(
                        "Trace " + id,
                        "  status       failed RATE_LIMITED, HTTP 429",
                        "  error        " + failed.get("error_message").asText(),
                        "  attempts     5",
                        "  cost         not reported",
                        "Request",
                        "Reply",
                        "  (none: the call failed)");
        assertThat(result.outLines())
                .anyMatch(l -> l.startsWith(
                        "  session      " + failed.get("session_name").asText() + "  uids "));
        assertThat(result.outLines().stream().filter(l -> l.matches("      \\d\\. .*HTTP 429 RATE_LIMITED")))
                .hasSize(5);
        assertThat(result.out()).contains("\"role\" : \"system\"", "Score the answer from 0 to 10");
    }

    @Test
    void showAsJsonHasEveryColumnWithTheRequestAndReplyAsJson() throws IOException {
        JsonNode ok = everything.stream()
                .filter(n -> n.get("status").asText().equals("ok")
                        && !n.get("cost").isNull()
                        && n.get("attempts").asInt() == 2)
                .findFirst()
                .orElseThrow();
        String id = ok.get("trace_id").asText();

        Cli.Result result = Cli.run("traces", "show", db, id, "--format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode shown = JSON.readTree(result.out());
        assertThat(shown.get("trace_id").asText()).isEqualTo(id);
        assertThat(shown.get("cost").asDouble()).isEqualTo(ok.get("cost").asDouble());
        assertThat(shown.get("attempt_history")).hasSize(2);
        assertThat(shown.get("attempt_history").get(0).get("error").asText()).isEqualTo("RATE_LIMITED");
        assertThat(shown.get("request").get("messages").get(0).get("role").asText())
                .isEqualTo("system");
        assertThat(shown.get("response")
                        .get("choices")
                        .get(0)
                        .get("message")
                        .get("content")
                        .asText())
                .startsWith("{\"score\": 8");
        assertThat(shown.get("metadata").get("step").isInt()).isTrue();
    }

    @Test
    void showOfAnUnknownIdExitsOneAndOfAnAmbiguousPrefixExitsTwo() {
        Cli.Result unknown = Cli.run("traces", "show", db, "zzzz");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.errLines())
                .containsExactly("no trace whose id starts with 'zzzz' in SQLite trace file "
                        + run.file().toAbsolutePath());

        // 2,000 random UUIDs: every hex digit starts about 125 of them
        Cli.Result ambiguous = Cli.run("traces", "show", db, "a");
        assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ambiguous.errLines())
                .containsExactly("llm-bridge traces show: 'a' is the start of several trace ids; give more characters"
                        + " (see 'llm-bridge traces show --help')");
    }

    @Test
    void showReadsTheDatabaseFromLlmTraceDbWhenOnlyTheIdIsGiven() {
        String id = everything.get(5).get("trace_id").asText();

        Cli.Result result = Cli.run(Map.of("LLM_TRACE_DB", db), false, "traces", "show", id);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines().get(0)).isEqualTo("Trace " + id);
    }

    @Test
    void summaryByModelCountsWhatTheGeneratorWrote() {
        List<JsonNode> groups = summary("--by", "model");

        Map<String, Long> calls = groups.stream()
                .collect(Collectors.toMap(
                        n -> n.get("group").asText(), n -> n.get("calls").asLong()));
        assertThat(calls)
                .isEqualTo(run.callsByModel().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue())));
        assertThat(groups.stream().mapToLong(n -> n.get("failures").asLong()).sum())
                .isEqualTo(run.failures());
    }

    @Test
    void summaryOfAllIsOneRowWithTheRunsTotals() {
        List<JsonNode> all = summary();

        assertThat(all).hasSize(1);
        JsonNode totals = all.get(0);
        assertThat(totals.get("group").asText()).isEqualTo("all");
        assertThat(totals.get("calls").asLong()).isEqualTo(CALLS);
        assertThat(totals.get("failures").asLong()).isEqualTo(run.failures());
        assertThat(totals.get("attempts").asLong()).isEqualTo(CALLS + run.retries());
        assertThat(totals.get("total_tokens").asLong()).isEqualTo(run.totalTokens());
        assertThat(totals.get("first").asText())
                .isEqualTo(everything.get(CALLS - 1).get("started_at").asText());
    }

    @Test
    void summaryBySessionAgreesWithTheTracingApisSummary() {
        List<JsonNode> sessions = summary("--by", "session", "--session", "step-0003/rollout-010");
        TraceSummary expected;
        try (SqliteTraceStore store = SqliteTraceStore.open(run.file())) {
            expected = store.summary("step-0003/rollout-010");
        }

        assertThat(sessions).hasSize(1);
        JsonNode s = sessions.get(0);
        assertThat(s.get("group").asText()).isEqualTo(expected.sessionName());
        assertThat(s.get("calls").asLong()).isEqualTo(expected.calls()).isEqualTo(10);
        assertThat(s.get("failures").asLong()).isEqualTo(expected.failures());
        assertThat(s.get("attempts").asLong()).isEqualTo(expected.attemptCount());
        assertThat(s.get("prompt_tokens").asLong()).isEqualTo(expected.promptTokens());
        assertThat(s.get("completion_tokens").asLong()).isEqualTo(expected.completionTokens());
        assertThat(s.get("cost").asDouble()).isCloseTo(expected.cost(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.get("p50_ms").asDouble()).isEqualTo(expected.latencyP50().toNanos() / 1e6);
        assertThat(s.get("p95_ms").asDouble()).isEqualTo(expected.latencyP95().toNanos() / 1e6);
    }

    @Test
    void summaryByPrefixGroupsRolloutsIntoTheirStepsInOrder() {
        List<JsonNode> steps = summary("--by", "prefix");

        assertThat(steps)
                .extracting(n -> n.get("group").asText())
                .containsExactly("step-0000", "step-0001", "step-0002", "step-0003");
        assertThat(steps.stream().mapToLong(n -> n.get("calls").asLong()).sum()).isEqualTo(CALLS);
        assertThat(steps).allSatisfy(n -> assertThat(n.get("calls").asLong()).isEqualTo(CALLS / 4));
    }

    @Test
    void summaryTableShowsPeopleFormattedNumbers() {
        Cli.Result result = Cli.run("traces", "summary", db, "--by", "model");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).hasSize(4);
        assertThat(result.outLines().get(0)).startsWith("group").contains("failed %", "p50", "p95");
        assertThat(result.outLines().get(1))
                .startsWith("openai/gpt-4o-mini")
                .contains(String.format("%,d", run.callsByModel().get("openai/gpt-4o-mini")), " ms", "$", " %");
    }

    private static void assertFilter(Predicate<JsonNode> expected, String... filter) {
        List<String> want = everything.stream()
                .filter(expected)
                .map(n -> n.get("trace_id").asText())
                .toList();
        assertThat(want)
                .as("the filter %s should match some calls", List.of(filter))
                .isNotEmpty();
        assertThat(listed(filter))
                .as("traces list %s", List.of(filter))
                .extracting(n -> n.get("trace_id").asText())
                .containsExactlyElementsOf(want);
    }

    private static List<JsonNode> listed(String... options) {
        List<String> args = new ArrayList<>(List.of("traces", "list", db, "-f", "jsonl", "-n", "100000"));
        args.addAll(List.of(options));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return jsonLines(result.out());
    }

    private static List<JsonNode> summary(String... options) {
        List<String> args = new ArrayList<>(List.of("traces", "summary", db, "-f", "jsonl"));
        args.addAll(List.of(options));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return jsonLines(result.out());
    }

    static List<JsonNode> jsonLines(String text) {
        return text.lines()
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
