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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
        Path dataDirectory = null;
        if (args.length > 1) {
            url = args[1];
            admin = null;
        } else {
            dataDirectory = Files.createTempDirectory("pg-bench");
            embedded =
                    EmbeddedPostgres.builder().setDataDirectory(dataDirectory).start();
            admin = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
            url = null;
        }
        try {
            ServerCpu server = dataDirectory == null ? ServerCpu.NONE : new ServerCpu(dataDirectory);
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores, %s %s; load average %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"),
                    loadAverage());
            for (int round = 1; round <= 3; round++) {
                String one = url != null ? url : newDatabase(admin, "one_" + round);
                Measured single = oneJvm(one, perJvm, server);
                String four = url != null ? url : newDatabase(admin, "four_" + round);
                Measured multi = fourJvms(four, perJvm / 4, server);
                Path sqliteDir = Files.createTempDirectory("sqlite-bench");
                Measured sqlite;
                try (TraceStore s = SqliteTraceStore.open(sqliteDir.resolve("t.db"))) {
                    sqlite = measure(s, perJvm, ServerCpu.NONE);
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d: PostgreSQL 1 JVM %s; PostgreSQL 4 JVMs %s; SQLite 1 JVM %s; load average %s%n",
                        round,
                        single,
                        multi,
                        sqlite,
                        loadAverage());
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

    /**
     * A measured run: committed traces per second of wall time, and CPU time per committed trace
     * (the writer JVMs' whole process, and the database server's processes), which is what the
     * rate would be bounded by on an otherwise idle machine with as many cores.
     */
    record Measured(long traces, double seconds, long writerCpuNanos, long serverCpuNanos) {
        double perSecond() {
            return traces / seconds;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,.0f traces/s (CPU per trace: writer %.1f µs, server %.1f µs)",
                    perSecond(),
                    writerCpuNanos / 1e3 / traces,
                    serverCpuNanos / 1e3 / traces);
        }
    }

    private static Measured oneJvm(String url, int traces, ServerCpu server) {
        try (TraceStore store = PostgresTraceStore.open(url)) {
            rate(store, traces / 10); // warm up
            return measure(store, traces, server);
        }
    }

    private static Measured measure(TraceStore store, int traces, ServerCpu server) {
        long cpu = processCpuNanos();
        long serverCpu = server.nanos();
        long start = System.nanoTime();
        rate(store, traces);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measured(traces, seconds, processCpuNanos() - cpu, server.nanos() - serverCpu);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ", -1);
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * CPU time of the embedded server: the postmaster and its live children (one backend per
     * connection), plus what children that exited used (Linux {@code /proc}, clock ticks of 10 ms).
     */
    static final class ServerCpu {
        static final ServerCpu NONE = new ServerCpu(null);
        private static final long NANOS_PER_TICK = 10_000_000L;
        private final Path dataDirectory;

        ServerCpu(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
        }

        long nanos() {
            if (dataDirectory == null) {
                return 0;
            }
            try {
                String postmaster = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                        .get(0)
                        .strip();
                long ticks = 0;
                try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path proc : procs) {
                        String[] stat = stat(proc);
                        if (stat == null) {
                            continue;
                        }
                        // fields after the command: 4 ppid, 14 utime, 15 stime, 16 cutime, 17 cstime (1-based)
                        boolean isPostmaster = proc.getFileName().toString().equals(postmaster);
                        if (isPostmaster) {
                            ticks += Long.parseLong(stat[11])
                                    + Long.parseLong(stat[12])
                                    + Long.parseLong(stat[13])
                                    + Long.parseLong(stat[14]);
                        } else if (stat[1].equals(postmaster)) {
                            ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                        }
                    }
                }
                return ticks * NANOS_PER_TICK;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the server's CPU time", e);
            }
        }

        /** The fields of /proc/pid/stat after "(command)", or null when the process is gone. */
        private static String[] stat(Path proc) {
            try {
                String line = Files.readString(proc.resolve("stat"));
                return line.substring(line.lastIndexOf(')') + 2).split(" ", -1);
            } catch (IOException e) {
                return null;
            }
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

    private static Measured fourJvms(String url, int each, ServerCpu server) throws Exception {
        long serverCpu = server.nanos();
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
        long writerCpu = 0;
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !out.contains("span ")) {
                throw new IllegalStateException("a writer JVM failed: " + out);
            }
            String[] span = out.substring(out.indexOf("span ") + 5).strip().split(" ", -1);
            firstStart = Math.min(firstStart, Long.parseLong(span[0]));
            lastEnd = Math.max(lastEnd, Long.parseLong(span[1]));
            writerCpu += Long.parseLong(span[2]);
        }
        // The server's CPU over the whole run includes the four warm-ups (a tenth more traces): scaled down.
        long serverNanos = Math.round((server.nanos() - serverCpu) / 1.1);
        return new Measured(4L * each, (lastEnd - firstStart) / 1e3, writerCpu, serverNanos);
    }

    /** One writer JVM: opens the store, waits for the others' warm-up, enqueues, flushes, prints its span. */
    private static void child(String url, int traces) {
        try (TraceStore store = PostgresTraceStore.open(url)) {
            rate(store, Math.max(1, traces / 10)); // warm up (not counted: the parent counts only the measured traces)
            long start = System.currentTimeMillis();
            long cpu = processCpuNanos();
            CallTrace trace = trace();
            for (int i = 0; i < traces; i++) {
                store.enqueue(trace);
            }
            if (!store.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("flush failed: " + store);
            }
            System.out.println("span " + start + " " + System.currentTimeMillis() + " " + (processCpuNanos() - cpu));
        }
    }
}
