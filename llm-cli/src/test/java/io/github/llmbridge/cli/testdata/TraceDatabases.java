package io.github.llmbridge.cli.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Trace databases for the command-line tool's tests and the report benchmark: a generated training
 * run written through the real {@link SqliteTraceStore}, an empty one, a corrupt file, and one in
 * the schema of the first release.
 *
 * <p>The generated run is deterministic for a seed: a judge used by a trainer over six hours, in
 * steps ({@code step-0003}) of rollouts ({@code step-0003/rollout-017}), three models, about 4 %
 * failures (with a burst of rate limiting 40 % into the run), retries, a few fallbacks, a slow
 * tail, and about 2 KB of request and reply JSON per call, as the tracing benchmark writes.
 * {@link Run} says what was written, for tests to compare the tool's output with.
 */
public final class TraceDatabases {

    /** When a generated run starts. */
    public static final Instant START = Instant.parse("2026-11-20T08:00:00Z");

    /** How long a generated run lasts. */
    public static final Duration SPAN = Duration.ofHours(6);

    /** The models a generated run asks, most often first. */
    public static final List<String> MODELS =
            List.of("openai/gpt-4o-mini", "anthropic/claude-3.5-haiku", "meta-llama/llama-3.1-70b-instruct");

    /** The model a call falls back to after its primary gives up. */
    public static final String FALLBACK = "anthropic/claude-3.5-haiku";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROLLOUT_SIZE = 10;

    /** What a generated run holds. */
    public record Run(
            Path file,
            int calls,
            int failures,
            Map<ErrorCategory, Integer> failuresByCategory,
            Map<String, Integer> callsByModel,
            int retries,
            int fallbacks,
            long totalTokens,
            double cost,
            int steps,
            String slowestTraceSession,
            double slowestLatencyMs) {}

    private TraceDatabases() {}

    /** Generates a run of {@code calls} traces; see the class comment. */
    public static Run generate(Path file, int calls, long seed) {
        return generate(file, calls, seed, done -> {});
    }

    /**
     * Generates a run of {@code calls} traces, telling {@code progress} how many were enqueued
     * every 100,000 (a million take about a minute on 2 cores).
     */
    @SuppressWarnings("try") // the step session is open only to be the rollout sessions' parent
    public static Run generate(Path file, int calls, long seed, IntConsumer progress) {
        Random random = new Random(seed);
        Map<String, ChatRequest> requests = new TreeMap<>();
        Map<String, JsonNode> replies = new TreeMap<>();
        for (String model : MODELS) {
            requests.put(model, request(model));
            replies.put(model, rawReply(dated(model)));
        }
        int steps = Math.max(4, Math.min(200, calls / 5000));
        int perStep = (calls + steps - 1) / steps;
        long spanMs = SPAN.toMillis();
        Map<ErrorCategory, Integer> byCategory = new EnumMap<>(ErrorCategory.class);
        Map<String, Integer> byModel = new TreeMap<>();
        int failures = 0;
        int retries = 0;
        int fallbacks = 0;
        long tokens = 0;
        double cost = 0;
        String slowestSession = null;
        double slowestMs = -1;
        try (SqliteTraceStore store =
                SqliteTraceStore.builder(file).queueCapacity(20_000).open()) {
            int written = 0;
            for (int step = 0; step < steps && written < calls; step++) {
                try (LlmSession stepSession = LlmSession.open(String.format("step-%04d", step), Map.of("step", step))) {
                    for (int rollout = 0; rollout * ROLLOUT_SIZE < perStep && written < calls; rollout++) {
                        String name = String.format("step-%04d/rollout-%03d", step, rollout);
                        try (LlmSession session = LlmSession.open(name, Map.of("rollout", rollout))) {
                            for (int i = 0; i < ROLLOUT_SIZE && written < calls; i++, written++) {
                                double at = (double) written / calls;
                                Instant startedAt = START.plusMillis((long) (at * spanMs) + random.nextInt(1000));
                                String model = pick(random);
                                byModel.merge(model, 1, Integer::sum);
                                double failureRate = at > 0.40 && at < 0.45 ? 0.30 : 0.04;
                                CallTrace trace;
                                if (random.nextDouble() < failureRate) {
                                    ErrorCategory category = at > 0.40 && at < 0.45 && random.nextBoolean()
                                            ? ErrorCategory.RATE_LIMITED
                                            : category(random);
                                    LlmException error = failure(category, model, startedAt, random);
                                    double ms = latencyMs(random) + 500.0 * (error.attemptCount() - 1);
                                    trace = new CallTrace(
                                            requests.get(model),
                                            session,
                                            startedAt,
                                            Duration.ofNanos((long) (ms * 1e6)),
                                            "litellm",
                                            null,
                                            error);
                                    failures++;
                                    byCategory.merge(category, 1, Integer::sum);
                                    retries += Math.max(0, error.attemptCount() - 1);
                                } else {
                                    double ms = latencyMs(random);
                                    List<Attempt> attempts = new ArrayList<>();
                                    String answeredBy = model;
                                    double roll = random.nextDouble();
                                    if (roll < 0.015 && !model.equals(FALLBACK)) {
                                        attempts.add(failedAttempt(model, startedAt, ErrorCategory.SERVER_ERROR, 503));
                                        attempts.add(failedAttempt(model, startedAt, ErrorCategory.SERVER_ERROR, 503));
                                        answeredBy = FALLBACK;
                                        fallbacks++;
                                        ms += 3000;
                                    } else if (roll < 0.10) {
                                        attempts.add(failedAttempt(model, startedAt, ErrorCategory.RATE_LIMITED, 429));
                                        if (roll < 0.03) {
                                            attempts.add(
                                                    failedAttempt(model, startedAt, ErrorCategory.SERVER_ERROR, 502));
                                        }
                                        ms += 1000.0 * attempts.size();
                                    }
                                    attempts.add(Attempt.succeeded(
                                            answeredBy, startedAt, Duration.ofMillis((long) ms), 200));
                                    retries += attempts.size() - 1;
                                    long prompt = 300L + random.nextInt(1200);
                                    long completion = 20L + random.nextInt(280);
                                    Double price =
                                            random.nextDouble() < 0.05 ? null : price(answeredBy, prompt, completion);
                                    ChatResponse reply = ChatResponse.builder()
                                            .id("gen-" + Long.toHexString(random.nextLong()))
                                            .model(dated(answeredBy))
                                            .content("{\"score\": " + random.nextInt(11) + "}")
                                            .usage(new Usage(prompt, completion, prompt + completion, 0, 0))
                                            .cost(price)
                                            .backend("litellm")
                                            .raw(replies.get(answeredBy.equals(FALLBACK) ? FALLBACK : model))
                                            .attempts(attempts)
                                            .build();
                                    trace = new CallTrace(
                                            requests.get(model),
                                            session,
                                            startedAt,
                                            Duration.ofNanos((long) (ms * 1e6)),
                                            "litellm",
                                            reply,
                                            null);
                                    tokens += prompt + completion;
                                    cost += price == null ? 0 : price;
                                }
                                double traceMs = trace.latency().toNanos() / 1e6;
                                if (traceMs > slowestMs) {
                                    slowestMs = traceMs;
                                    slowestSession = name;
                                }
                                store.enqueue(trace).toCompletableFuture().join();
                                if ((written + 1) % 100_000 == 0) {
                                    progress.accept(written + 1);
                                }
                            }
                        }
                    }
                }
            }
            if (!store.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("generated traces were not all written to " + file);
            }
        }
        return new Run(
                file,
                calls,
                failures,
                Map.copyOf(byCategory),
                Map.copyOf(byModel),
                retries,
                fallbacks,
                tokens,
                cost,
                steps,
                slowestSession,
                slowestMs);
    }

    /** Creates a trace database with the current schema and no traces. */
    public static Path empty(Path file) {
        SqliteTraceStore.open(file).close();
        return file;
    }

    /** Writes a file that is not a SQLite database at all (a truncated download, say). */
    public static Path corrupt(Path file) throws IOException {
        byte[] bytes = new byte[8192];
        new Random(1).nextBytes(bytes);
        Files.write(file, bytes);
        return file;
    }

    /** The {@code traces} table as the first release (schema version 1) wrote it; a fixture, never changed. */
    private static final String V1_TABLE = """
            CREATE TABLE traces (
              id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, started_at_ms INTEGER NOT NULL, session_name TEXT,
              session_uid TEXT, session_uids TEXT, metadata TEXT, tags TEXT, backend TEXT,
              model_requested TEXT NOT NULL, model_used TEXT, status TEXT NOT NULL, error_category TEXT,
              error_message TEXT, http_status INTEGER, attempts INTEGER NOT NULL, attempt_history TEXT,
              latency_ms REAL NOT NULL, prompt_tokens INTEGER NOT NULL DEFAULT 0,
              completion_tokens INTEGER NOT NULL DEFAULT 0, total_tokens INTEGER NOT NULL DEFAULT 0,
              cached_tokens INTEGER NOT NULL DEFAULT 0, reasoning_tokens INTEGER NOT NULL DEFAULT 0, cost REAL,
              response_id TEXT, litellm_call_id TEXT, generation_id TEXT, finish_reason TEXT,
              request_json TEXT NOT NULL, response_json TEXT)""";

    /**
     * Writes a database in schema version 1 with three calls of session {@code old-step} (trace ids
     * {@code 00000000-old1}, {@code -old2}, {@code -old3}; the second failed as {@code TIMEOUT}).
     */
    public static Path versionOne(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute(V1_TABLE);
            s.execute("CREATE INDEX traces_started_at ON traces (started_at_ms)");
            s.execute("CREATE INDEX traces_session_name ON traces (session_name, started_at_ms)");
            s.execute("CREATE INDEX traces_session_uid ON traces (session_uid)");
            long t = START.toEpochMilli();
            s.execute("INSERT INTO traces (trace_id, started_at_ms, session_name, session_uid, session_uids,"
                    + " model_requested, model_used, status, attempts, latency_ms, prompt_tokens, completion_tokens,"
                    + " total_tokens, cost, request_json, response_json) VALUES"
                    + " ('00000000-old1', " + t + ", 'old-step', 'u1', '[\"u1\"]', 'openai/gpt-4o-mini',"
                    + " 'openai/gpt-4o-mini', 'ok', 1, 812.5, 100, 20, 120, 0.0001,"
                    + " '{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"}]}',"
                    + " '{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"4\"}}]}'),"
                    + " ('00000000-old2', " + (t + 1000) + ", 'old-step', 'u1', '[\"u1\"]', 'openai/gpt-4o-mini',"
                    + " NULL, 'failed', 5, 30000.0, 0, 0, 0, NULL, '{}', NULL),"
                    + " ('00000000-old3', " + (t + 2000) + ", 'old-step', 'u1', '[\"u1\"]', 'openai/gpt-4o-mini',"
                    + " 'openai/gpt-4o-mini', 'ok', 2, 1500.0, 200, 40, 240, 0.0002, '{}', '{}')");
            s.execute("UPDATE traces SET error_category = 'TIMEOUT', error_message = 'deadline of 30 s passed'"
                    + " WHERE trace_id = '00000000-old2'");
            s.execute("PRAGMA user_version = 1");
        }
        return file;
    }

    private static String pick(Random random) {
        double r = random.nextDouble();
        return r < 0.7 ? MODELS.get(0) : r < 0.9 ? MODELS.get(1) : MODELS.get(2);
    }

    private static ErrorCategory category(Random random) {
        double r = random.nextDouble();
        if (r < 0.40) {
            return ErrorCategory.RATE_LIMITED;
        } else if (r < 0.65) {
            return ErrorCategory.TIMEOUT;
        } else if (r < 0.85) {
            return ErrorCategory.SERVER_ERROR;
        } else if (r < 0.95) {
            return ErrorCategory.CONNECTION;
        }
        return ErrorCategory.CONTEXT_LENGTH_EXCEEDED;
    }

    private static LlmException failure(ErrorCategory category, String model, Instant at, Random random) {
        int attempts = category == ErrorCategory.CONTEXT_LENGTH_EXCEEDED ? 1 : 5;
        int status;
        String message;
        switch (category) {
            case RATE_LIMITED -> {
                status = 429;
                message = "429 Too Many Requests from litellm: rate limit exceeded for " + model
                        + "; gave up after 5 attempts";
            }
            case TIMEOUT -> {
                status = 0;
                message = "deadline of 600 s passed after 5 attempts (" + model + ")";
            }
            case SERVER_ERROR -> {
                status = random.nextBoolean() ? 502 : 503;
                message = status + " from litellm: upstream provider for " + model + " is overloaded";
            }
            case CONNECTION -> {
                status = 0;
                message = "could not connect to LITELLM_PROXY_URL http://localhost:4000: connection refused";
            }
            default -> {
                status = 400;
                // OpenAI's wording, commas and quotes included (CSV output must quote it)
                message = "400 from litellm: \"This model's maximum context length is 128000 tokens, however you"
                        + " requested " + (128_001 + random.nextInt(20_000)) + " tokens\"";
            }
        }
        List<Attempt> history = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            history.add(new Attempt(model, at, Duration.ofMillis(300), status, category, Duration.ZERO));
        }
        return LlmException.builder(category, message)
                .httpStatus(status)
                .model(model)
                .backend("litellm")
                .attemptCount(attempts)
                .attempts(history)
                .build();
    }

    private static Attempt failedAttempt(String model, Instant at, ErrorCategory category, int status) {
        return new Attempt(model, at, Duration.ofMillis(400), status, category, Duration.ofMillis(600));
    }

    /** A lognormal judge latency around 900 ms, with one call in a thousand taking 30 to 90 s. */
    private static double latencyMs(Random random) {
        if (random.nextInt(1000) == 0) {
            return 30_000 + random.nextDouble() * 60_000;
        }
        return Math.min(120_000, 900 * Math.exp(0.6 * random.nextGaussian()));
    }

    private static Double price(String model, long prompt, long completion) {
        double in;
        double out;
        if (model.startsWith("openai/")) {
            in = 0.15;
            out = 0.60;
        } else if (model.startsWith("anthropic/")) {
            in = 0.80;
            out = 4.00;
        } else {
            in = 0.35;
            out = 0.40;
        }
        return (prompt * in + completion * out) / 1e6;
    }

    private static String dated(String model) {
        return model + "-2024-07-18";
    }

    /** A judge request of about 1 KB: a rubric and an answer, as the tracing benchmark sends. */
    private static ChatRequest request(String model) {
        String rubric = "Score the answer from 0 to 10 for correctness, completeness and clarity. ".repeat(6);
        String answer =
                "The capital of Australia is Canberra, chosen as a compromise between Sydney and Melbourne. ".repeat(6);
        return ChatRequest.builder()
                .model(model)
                .system(rubric)
                .user(answer)
                .temperature(0.0)
                .maxTokens(800)
                .tags("judge")
                .build();
    }

    /** A reply of about 1 KB as a provider sends it. */
    private static JsonNode rawReply(String model) {
        String content =
                "{\"score\": 8, \"reason\": \"" + "Correct and clear, with a brief justification. ".repeat(16) + "\"}";
        ObjectNode reply = JSON.createObjectNode()
                .put("id", "gen-1234567890")
                .put("model", model)
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L);
        ObjectNode choice =
                reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        reply.putObject("usage")
                .put("prompt_tokens", 230)
                .put("completion_tokens", 190)
                .put("total_tokens", 420);
        return reply;
    }
}
