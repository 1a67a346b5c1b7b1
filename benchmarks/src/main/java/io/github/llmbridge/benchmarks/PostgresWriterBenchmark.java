package io.github.llmbridge.benchmarks;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TracingChatClient;
import io.github.llmbridge.tracing.postgres.PostgresTraceStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trace writer into PostgreSQL beside SQLite, on this machine: traces committed per second
 * from 1 JVM and from 4 JVMs writing one database at once (each JVM enqueues its traces as fast
 * as one thread can, then flushes; the rate is all traces over the span from the first JVM's
 * first enqueue to the last JVM's committed flush), and the time the tracing decorator adds on
 * the caller's thread (traced minus untraced {@code chatAsync} median, as in
 * {@link TracingWriterBenchmark}). Traces are the ~2 KB judge calls of {@link TracingWriterBenchmark}.
 *
 * <pre>
 * java -cp benchmarks/target/llm-bridge-benchmarks.jar io.github.llmbridge.benchmarks.PostgresWriterBenchmark [traces-per-jvm] [url]
 * </pre>
 *
 * Without a URL it starts an embedded PostgreSQL 14 (zonky) with the server's durable defaults
 * ({@code fsync} on, {@code synchronous_commit} on) on a free loopback port.
 */
public final class PostgresWriterBenchmark {

    private PostgresWriterBenchmark() {}

    /** Runs the comparison, or (with {@code child}) one writer JVM of the 4-JVM run. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Integer.parseInt(args[2]));
            return;
        }
        int perJvm = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        EmbeddedPostgres embedded = null;
        String admin;
        String url;
        if (args.length > 1) {
            url = args[1];
            admin = null;
        } else {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(Files.createTempDirectory("pg-bench"))
                    .start();
            admin = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
            url = null;
        }
        try {
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores, %s %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"));
            for (int round = 1; round <= 3; round++) {
                String one = url != null ? url : newDatabase(admin, "one_" + round);
                double single = oneJvm(one, perJvm);
                String four = url != null ? url : newDatabase(admin, "four_" + round);
                double multi = fourJvms(four, perJvm / 4);
                Path sqliteDir = Files.createTempDirectory("sqlite-bench");
                double sqlite;
                try (TraceStore s = SqliteTraceStore.open(sqliteDir.resolve("t.db"))) {
                    sqlite = rate(s, perJvm);
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d: PostgreSQL 1 JVM %,.0f traces/s; PostgreSQL 4 JVMs %,.0f traces/s;"
                                + " SQLite 1 JVM %,.0f traces/s%n",
                        round,
                        single,
                        multi,
                        sqlite);
            }
            String latencyDb = url != null ? url : newDatabase(admin, "latency");
            try (PostgresTraceStore store = PostgresTraceStore.open(latencyDb)) {
                ChatRequest request = TracingWriterBenchmark.request();
                ChatResponse response = TracingWriterBenchmark.response();
                ChatClient bare = new TracingWriterBenchmark.AnsweringClient(response);
                ChatClient traced = TracingChatClient.wrap(bare, store);
                for (int round = 0; round <= 3; round++) {
                    long[] plain = TracingWriterBenchmark.time(bare, request, 100_000);
                    long[] withTracing = TracingWriterBenchmark.time(traced, request, 100_000);
                    store.flush(Duration.ofMinutes(5));
                    if (round > 0) {
                        System.out.printf(
                                Locale.ROOT,
                                "caller thread, round %d: untraced median %.2f µs, traced median %.2f µs (p99 %.2f µs)%n",
                                round,
                                Stats.percentile(plain, 0.5) / 1e3,
                                Stats.percentile(withTracing, 0.5) / 1e3,
                                Stats.percentile(withTracing, 0.99) / 1e3);
                    }
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static String newDatabase(String admin, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(admin);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE bench_" + name);
        }
        return admin.replace("/postgres?", "/bench_" + name + "?");
    }

    private static double oneJvm(String url, int traces) {
        try (TraceStore store = PostgresTraceStore.open(url)) {
            rate(store, traces / 10); // warm up
            return rate(store, traces);
        }
    }

    /** Enqueues as fast as one thread can, then flushes; returns traces committed per second. */
    private static double rate(TraceStore store, int traces) {
        CallTrace trace = trace();
        long start = System.nanoTime();
        for (int i = 0; i < traces; i++) {
            store.enqueue(trace);
        }
        if (!store.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("flush failed: " + store);
        }
        return traces / ((System.nanoTime() - start) / 1e9);
    }

    private static CallTrace trace() {
        try (LlmSession session = LlmSession.open("benchmark", Map.of("step", 1))) {
            return new CallTrace(
                    TracingWriterBenchmark.request(),
                    session,
                    Instant.now(),
                    Duration.ofMillis(42),
                    "bench",
                    TracingWriterBenchmark.response(),
                    null);
        }
    }

    private static double fourJvms(String url, int each) throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(new ProcessBuilder(
                            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            PostgresWriterBenchmark.class.getName(),
                            "child",
                            url,
                            Integer.toString(each))
                    .redirectErrorStream(true)
                    .start());
        }
        long firstStart = Long.MAX_VALUE;
        long lastEnd = 0;
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !out.contains("span ")) {
                throw new IllegalStateException("a writer JVM failed: " + out);
            }
            String[] span = out.substring(out.indexOf("span ") + 5).strip().split(" ", -1);
            firstStart = Math.min(firstStart, Long.parseLong(span[0]));
            lastEnd = Math.max(lastEnd, Long.parseLong(span[1]));
        }
        return 4.0 * each / ((lastEnd - firstStart) / 1e3);
    }

    /** One writer JVM: opens the store, waits for the others' warm-up, enqueues, flushes, prints its span. */
    private static void child(String url, int traces) {
        try (TraceStore store = PostgresTraceStore.open(url)) {
            rate(store, Math.max(1, traces / 10)); // warm up (not counted: the parent counts only the measured traces)
            long start = System.currentTimeMillis();
            CallTrace trace = trace();
            for (int i = 0; i < traces; i++) {
                store.enqueue(trace);
            }
            if (!store.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("flush failed: " + store);
            }
            System.out.println("span " + start + " " + System.currentTimeMillis());
        }
    }
}
