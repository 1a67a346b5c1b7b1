package io.github.llmbridge.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the suite in one go and prints one Markdown report (see
 * benchmarks/README.md for the command and what each part measures). Options:
 * {@code --rounds N} (default 3), {@code --out FILE} (also write the report there),
 * {@code --no-jmh}.
 */
public final class BenchmarkSuite {

    /** Sizes of every part of the suite. */
    record Config(
            List<Integer> concurrencies,
            int rounds,
            long globalWarmupMillis,
            long warmMillis,
            long measureMillis,
            List<int[]> delayed,
            int delayedRounds,
            long delayedWarmMillis,
            int queuedCalls,
            int queuedBulkhead,
            long queuedLatencyMillis,
            String queuedChildHeap,
            int tracingTraces,
            int tracingCalls,
            int tracingRounds,
            boolean jmh,
            int jmhForks,
            int jmhIterations,
            long jmhIterationMillis) {

        /** The full suite: about four minutes on a 2-core machine. */
        static Config full(int rounds, boolean jmh) {
            return new Config(
                    List.of(1, 16, 64, 256),
                    rounds,
                    2_000,
                    300,
                    1_000,
                    List.of(new int[] {20, 64}, new int[] {20, 256}, new int[] {200, 256}),
                    2,
                    600,
                    10_000,
                    10,
                    20,
                    "1g",
                    200_000,
                    100_000,
                    3,
                    jmh,
                    1,
                    3,
                    1_000);
        }

        /** The smoke run of the tests: every part, tiny sizes, a few hundred calls per contender. */
        static Config smoke() {
            return new Config(
                    List.of(1, 16),
                    1,
                    100,
                    50,
                    100,
                    List.<int[]>of(new int[] {20, 16}),
                    1,
                    100,
                    300,
                    10,
                    20,
                    null,
                    2_000,
                    2_000,
                    1,
                    true,
                    0,
                    1,
                    100);
        }
    }

    /** Everything measured, handed to {@link Report}. */
    record Results(
            Config config,
            Map<Integer, Map<String, Map<Integer, List<LoadRunner.Result>>>> byLatency,
            List<Contender> contenders,
            QueuedLoad.Result queued,
            TracingWriterBenchmark.Result tracing,
            Map<String, double[]> jmh,
            double loadAtStart,
            double loadAtEnd,
            double seconds) {}

    private BenchmarkSuite() {}

    /** Runs the suite and prints the report. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int rounds = 3;
        boolean jmh = true;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--no-jmh" -> jmh = false;
                case "--out" -> out = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + " (known: --rounds N, --out FILE, --no-jmh)");
            }
        }
        String report = Report.markdown(run(Config.full(rounds, jmh), System.err));
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }

    static List<Contender> contenders() {
        return List.of(
                new RawJdkContender(), new BridgeContender(false), new BridgeContender(true), new OpenAiSdkContender());
    }

    /** Runs every part; progress goes to {@code log}. */
    static Results run(Config config, java.io.PrintStream log) throws Exception {
        long started = System.nanoTime();
        double loadAtStart = loadAverage();
        List<Contender> contenders = contenders();

        log.println("queued load: " + config.queuedCalls() + " calls, bulkhead " + config.queuedBulkhead() + ", "
                + config.queuedLatencyMillis() + " ms stub" + (config.queuedChildHeap() != null ? ", fresh JVM" : ""));
        QueuedLoad.Result queued = config.queuedChildHeap() != null
                ? QueuedLoad.runInChildJvm(
                        config.queuedCalls(),
                        config.queuedBulkhead(),
                        config.queuedLatencyMillis(),
                        config.queuedChildHeap())
                : QueuedLoad.run(config.queuedCalls(), config.queuedBulkhead(), config.queuedLatencyMillis());

        Map<Integer, Map<String, Map<Integer, List<LoadRunner.Result>>>> byLatency = new LinkedHashMap<>();
        try (StubServer stub = StubServer.start(0)) {
            for (Contender c : contenders) { // JIT, classes, connections: not measured
                log.println("warm-up: " + c.label());
                measure(c, stub, 16, config.globalWarmupMillis() / 2, config.globalWarmupMillis() / 2);
            }
            Map<String, Map<Integer, List<LoadRunner.Result>>> results = new LinkedHashMap<>();
            byLatency.put(0, results);
            for (int round = 0; round < config.rounds(); round++) {
                for (int concurrency : config.concurrencies()) {
                    for (Contender c : rotated(contenders, round + concurrency)) {
                        LoadRunner.Result r =
                                measure(c, stub, concurrency, config.warmMillis(), config.measureMillis());
                        log.printf(
                                "round %d, 0 ms, concurrency %d, (%s): %,.0f calls/s, p50 %.0f µs%n",
                                round + 1, concurrency, c.id(), r.throughput(), r.percentileMicros(0.5));
                        add(results, c, concurrency, r);
                    }
                }
            }
        }
        for (int[] delayed : config.delayed()) {
            int latency = delayed[0];
            int concurrency = delayed[1];
            try (StubServer stub = StubServer.start(latency)) {
                Map<String, Map<Integer, List<LoadRunner.Result>>> results =
                        byLatency.computeIfAbsent(latency, k -> new LinkedHashMap<>());
                for (int round = 0; round < config.delayedRounds(); round++) {
                    for (Contender c : rotated(contenders, round)) {
                        LoadRunner.Result r =
                                measure(c, stub, concurrency, config.delayedWarmMillis(), config.measureMillis());
                        log.printf(
                                "round %d, %d ms, concurrency %d, (%s): %,.0f calls/s, p50 %.0f µs%n",
                                round + 1, latency, concurrency, c.id(), r.throughput(), r.percentileMicros(0.5));
                        add(results, c, concurrency, r);
                    }
                }
            }
        }

        log.println("tracing writer");
        TracingWriterBenchmark.Result tracing =
                TracingWriterBenchmark.run(config.tracingTraces(), config.tracingCalls(), config.tracingRounds());

        Map<String, double[]> jmh = new LinkedHashMap<>();
        if (config.jmh()) {
            log.println("JMH micro-benchmarks");
            jmh = runJmh(config);
        }
        return new Results(
                config,
                byLatency,
                contenders,
                queued,
                tracing,
                jmh,
                loadAtStart,
                loadAverage(),
                (System.nanoTime() - started) / 1e9);
    }

    private static LoadRunner.Result measure(Contender c, StubServer stub, int concurrency, long warm, long measure)
            throws Exception {
        try (Contender.Driver driver = c.open(stub.baseUrl(), concurrency)) {
            return LoadRunner.run(driver, concurrency, stub, warm, measure);
        }
    }

    private static void add(
            Map<String, Map<Integer, List<LoadRunner.Result>>> results,
            Contender c,
            int concurrency,
            LoadRunner.Result r) {
        results.computeIfAbsent(c.id(), k -> new LinkedHashMap<>())
                .computeIfAbsent(concurrency, k -> new ArrayList<>())
                .add(r);
    }

    /** A different contender goes first in each round, so none always runs on a machine warmed by another. */
    private static List<Contender> rotated(List<Contender> contenders, int by) {
        List<Contender> list = new ArrayList<>(contenders);
        java.util.Collections.rotate(list, by % list.size());
        return list;
    }

    private static Map<String, double[]> runJmh(Config config) throws Exception {
        Options options = new OptionsBuilder()
                .include(OverheadBenchmark.class.getName())
                .forks(config.jmhForks())
                .warmupIterations(config.jmhIterations())
                .warmupTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .measurementIterations(config.jmhIterations())
                .measurementTime(TimeValue.milliseconds(config.jmhIterationMillis()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1), new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        return scores;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
