package io.github.llmbridge.examples;

import static io.github.llmbridge.core.settings.CoreVariables.LLM_BACKEND;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_STREAM_STALL_PROTECTION;
import static io.github.llmbridge.examples.DemoVariables.DEMO_FAULT_RATE;
import static io.github.llmbridge.examples.DemoVariables.DEMO_MODEL;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_PROXY_URL;
import static io.github.llmbridge.openrouter.OpenRouterVariables.OPENROUTER_API_KEY;
import static io.github.llmbridge.openrouter.OpenRouterVariables.USE_OPENROUTER_DIRECT;
import static io.github.llmbridge.tracing.TracingVariables.LLM_TRACE_DB;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TracingChatClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The README's first command: rubric-based reward scoring for a handful of questions, the way an
 * RL trainer's reward code does it. For each question, in its own {@link LlmSession}, a model
 * writes rubrics ({@link RubricGenerator}), then every candidate response is judged against every
 * rubric in parallel ({@link RubricJudge}); a response's reward is the mean of its positive
 * rubric scores minus the mean of its negative ones, clamped to [0, 1].
 *
 * <p>Every call goes through the real stack assembled by {@link ChatClients#fromEnv()}: tracing
 * to a SQLite file, resilience (retry, deadline, bulkhead), the backend, HTTP. With no backend
 * configured it starts a {@link LocalSimulator} on loopback that injects faults (429 with
 * {@code Retry-After}, 503, dropped connections: {@code DEMO_FAULT_RATE}, default 0.15) and
 * points the LiteLLM backend at it, so a fresh clone shows the library working with no key. With
 * {@code USE_OPENROUTER_DIRECT=true} and a key, or {@code LITELLM_PROXY_URL}, the same command
 * asks a real model ({@code DEMO_MODEL}).
 */
public final class Demo {

    static final String DEFAULT_MODEL = "openai/gpt-4o-mini";
    static final String DEFAULT_FAULT_RATE = "0.15";
    /** Said wherever the simulator answers instead of a model. */
    static final String HOW_TO_ASK_A_REAL_MODEL =
            "Set " + USE_OPENROUTER_DIRECT.name() + "=true and " + OPENROUTER_API_KEY.name() + " to ask a real model.";

    private Demo() {}

    /** Runs the demo; exits with status 1 if any question could not be scored. */
    public static void main(String[] args) throws Exception {
        System.exit(run(System.getenv(), System.out));
    }

    /** Runs the demo and returns the process exit status: 0 when every question was scored. */
    static int run(Map<String, String> environment, PrintStream out) throws IOException {
        return execute(environment, out).exitCode();
    }

    /** Runs the demo and returns what happened, for the end-to-end test. */
    static DemoResult execute(Map<String, String> environment, PrintStream out) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        Settings settings = Settings.of(env);
        String model = settings.get(DEMO_MODEL).orElse(DEFAULT_MODEL);
        Path traceDb = Path.of(settings.get(LLM_TRACE_DB).orElseGet(Demo::defaultTraceDb))
                .toAbsolutePath();
        env.put(LLM_TRACE_DB.name(), traceDb.toString());
        // A judge call streams under the hood, so a stalled upstream fails within the idle limit
        // instead of the whole deadline; LLM_STREAM_STALL_PROTECTION=false turns it off.
        env.putIfAbsent(LLM_STREAM_STALL_PROTECTION.name(), "true");
        LocalSimulator simulator = null;
        if (!backendConfigured(settings)) {
            double faultRate;
            try {
                faultRate = faultRate(settings);
            } catch (LlmException e) {
                out.println("Could not start: " + e.getMessage());
                return DemoResult.notStarted(traceDb);
            }
            simulator = LocalSimulator.start(Duration.ofMillis(60), faultRate);
            env.put(LLM_BACKEND.name(), "litellm");
            env.put(LITELLM_PROXY_URL.name(), simulator.baseUrl().toString());
            out.printf(
                    "No backend configured: using the local simulator at %s, failing %.0f %% of requests on purpose%n"
                            + "(429 with Retry-After, 503, dropped connections). %s%n",
                    simulator.baseUrl(), faultRate * 100, HOW_TO_ASK_A_REAL_MODEL);
        }
        try (ChatClient client = ChatClients.fromEnv(env)) {
            out.printf("Backend: %s, model: %s, traces: %s%n%n", client.backend(), model, traceDb);
            return scoreAll(client, model, traceDb, out).withSimulator(simulator);
        } catch (LlmException e) {
            out.println("Could not start: " + e.getMessage());
            return DemoResult.notStarted(traceDb);
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private static DemoResult scoreAll(ChatClient client, String model, Path traceDb, PrintStream out) {
        RubricGenerator generator = new RubricGenerator(client, model);
        RubricJudge judge = new RubricJudge(client, model);
        Progress progress = new Progress(out);
        List<CompletableFuture<QuestionResult>> pending = new ArrayList<>();
        String runUid;
        try (LlmSession run = LlmSession.open("rubric-demo", Map.of("model", model))) {
            runUid = run.uid();
            int n = 0;
            for (DemoQuestions.Question q : DemoQuestions.ALL) {
                pending.add(scoreQuestion(++n, q, generator, judge, progress));
            }
        }
        List<QuestionResult> results = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            try {
                results.add(Await.result(pending.get(i)));
            } catch (LlmException e) {
                results.add(QuestionResult.failed(DemoQuestions.ALL.get(i).text(), e));
            }
        }
        TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
        store.flush(Duration.ofSeconds(30));
        List<TraceRecord> traces = store.findBySessionUid(runUid);
        DemoReport.print(out, results, traces, traceDb);
        return new DemoResult(results, traces, traceDb, -1, -1);
    }

    /** Generates rubrics for one question, then judges every response against every rubric in parallel. */
    private static CompletableFuture<QuestionResult> scoreQuestion(
            int number, DemoQuestions.Question q, RubricGenerator generator, RubricJudge judge, Progress progress) {
        try (LlmSession session = LlmSession.open("question-" + number, Map.of("question", q.text()))) {
            return generator.generateAsync(q.text(), q.responses(), null).thenCompose(rubrics -> {
                progress.rubricsReady(session.name(), rubrics);
                // This stage runs on another thread: attach the session so the judge calls carry it.
                try (LlmSession.Scope ignored = session.attach()) {
                    List<CompletableFuture<Double>> rewards = new ArrayList<>();
                    for (String response : q.responses()) {
                        rewards.add(reward(q.text(), response, rubrics, judge, progress));
                    }
                    return CompletableFuture.allOf(rewards.toArray(CompletableFuture[]::new))
                            .thenApply(done -> new QuestionResult(
                                    q.text(),
                                    rubrics,
                                    rewards.stream()
                                            .map(CompletableFuture::join)
                                            .toList(),
                                    null));
                }
            });
        }
    }

    private static CompletableFuture<Double> reward(
            String question, String response, RubricSet rubrics, RubricJudge judge, Progress progress) {
        List<CompletableFuture<Double>> positive = new ArrayList<>();
        List<CompletableFuture<Double>> negative = new ArrayList<>();
        rubrics.positiveRubrics()
                .forEach(r ->
                        positive.add(judge.scoreAsync(question, response, r).whenComplete(progress::scored)));
        rubrics.negativeRubrics()
                .forEach(r ->
                        negative.add(judge.scoreAsync(question, response, r).whenComplete(progress::scored)));
        List<CompletableFuture<Double>> all = new ArrayList<>(positive);
        all.addAll(negative);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(done -> Math.max(0, Math.min(1, mean(positive) - mean(negative))));
    }

    private static double mean(List<CompletableFuture<Double>> scores) {
        return scores.stream().mapToDouble(CompletableFuture::join).average().orElse(0);
    }

    private static boolean backendConfigured(Settings s) {
        return s.get(LLM_BACKEND).isPresent()
                || s.get(LITELLM_PROXY_URL).isPresent()
                || s.flag(USE_OPENROUTER_DIRECT, false);
    }

    private static double faultRate(Settings s) {
        String raw = s.get(DEMO_FAULT_RATE).orElse(DEFAULT_FAULT_RATE);
        try {
            double rate = Double.parseDouble(raw);
            if (rate >= 0 && rate < 1) {
                return rate;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new LlmException(
                io.github.llmbridge.core.ErrorCategory.CONFIGURATION,
                DEMO_FAULT_RATE.name() + " must be a number from 0 to below 1, was '" + raw + "'");
    }

    private static String defaultTraceDb() {
        String stamp = LocalDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(System.getProperty("java.io.tmpdir"), "llm-bridge-demo", "traces-" + stamp + ".db")
                .toString();
    }
}
