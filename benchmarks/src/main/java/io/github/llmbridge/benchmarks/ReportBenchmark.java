package io.github.llmbridge.benchmarks;

import io.github.llmbridge.cli.CliContext;
import io.github.llmbridge.cli.LlmBridge;
import io.github.llmbridge.cli.testdata.TraceDatabases;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code llm-bridge report} on a big trace database: the wall time of the whole command (opening
 * the file, the SQL aggregation, writing the HTML) and its memory, each round in a fresh JVM with
 * the heap a user's {@code java -jar} gets by default. The database is generated once by the
 * tests' generator ({@code TraceDatabases}: a six-hour training run, ~2 KB of JSON per call, 5 %
 * failures, retries and fallbacks) and kept for later runs.
 *
 * <pre>
 * mvn -q -B package -pl benchmarks -am -DskipTests
 * java -cp benchmarks/target/llm-bridge-benchmarks.jar io.github.llmbridge.benchmarks.ReportBenchmark \
 *     [--traces 1000000] [--db /tmp/llm-bridge-report-1m.db] [--rounds 3]
 * </pre>
 */
public final class ReportBenchmark {

    /**
     * One round: the command's wall seconds, the CPU seconds the whole process used meanwhile (JIT and
     * GC included; on a loaded machine the figure that still means something), its JVM's peak heap in
     * use, and the process's peak resident memory.
     */
    record Round(double seconds, double cpuSeconds, long peakHeapBytes, long peakRssBytes, long reportBytes) {

        String encode() {
            return "ROUND " + seconds + " " + cpuSeconds + " " + peakHeapBytes + " " + peakRssBytes + " " + reportBytes;
        }

        static Round decode(String line) {
            String[] f = line.substring("ROUND ".length()).trim().split(" ", -1);
            return new Round(
                    Double.parseDouble(f[0]),
                    Double.parseDouble(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]));
        }
    }

    private ReportBenchmark() {}

    /** Generates the database if missing, then runs the rounds and prints a Markdown summary. */
    public static void main(String[] args) throws Exception {
        int traces = 1_000_000;
        Path db = Path.of(System.getProperty("java.io.tmpdir"), "llm-bridge-report-1m.db");
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--traces" -> traces = Integer.parseInt(args[++i]);
                case "--db" -> db = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--round" -> {
                    // the child: one measured run of the command
                    System.out.println(
                            measure(Path.of(args[++i]), Path.of(args[++i])).encode());
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.println(run(db, traces, rounds, System.err));
    }

    /** Runs the benchmark and returns its Markdown summary; progress goes to {@code log}. */
    static String run(Path db, int traces, int rounds, PrintStream log) throws Exception {
        double generated = 0;
        if (!Files.exists(db)) {
            log.printf("generating %,d traces in %s ...%n", traces, db);
            long start = System.nanoTime();
            TraceDatabases.generate(db, traces, 42, n -> log.printf("  %,d written%n", n));
            generated = (System.nanoTime() - start) / 1e9;
        }
        Path out = Files.createTempFile("llm-bridge-report-", ".html");
        List<Round> results = new ArrayList<>();
        try {
            for (int r = 0; r < rounds; r++) {
                Round round = fork(db, out);
                log.printf(
                        Locale.ROOT,
                        "  round %d: %.2f s (CPU %.2f s), heap peak %d MiB, RSS peak %d MiB%n",
                        r + 1,
                        round.seconds(),
                        round.cpuSeconds(),
                        round.peakHeapBytes() >> 20,
                        round.peakRssBytes() >> 20);
                results.add(round);
            }
        } finally {
            Files.deleteIfExists(out);
        }
        return markdown(db, generated, results);
    }

    private static Round fork(Path db, Path out) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReportBenchmark.class.getName(),
                        "--round",
                        db.toString(),
                        out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        child.getOutputStream().close();
        String result = null;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("ROUND ")) {
                    result = line;
                }
            }
        }
        if (child.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the measured round failed (exit " + child.exitValue() + ")");
        }
        return Round.decode(result);
    }

    /** One run of {@code llm-bridge report DB -o OUT} in this JVM, as the command-line tool runs it. */
    static Round measure(Path db, Path out) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CliContext context = new CliContext(
                Map.of(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8),
                false,
                Clock.systemUTC(),
                ZoneId.of("UTC"));
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        int code = LlmBridge.run(context, "report", db.toString(), "-o", out.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("llm-bridge report exited " + code + ": " + stderr);
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new Round(seconds, cpuSeconds, heap, peakRss(), Files.size(out));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The process's peak resident set (Linux {@code VmHWM}); 0 elsewhere. */
    private static long peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private static String markdown(Path db, double generatedSeconds, List<Round> rounds) throws IOException {
        List<Double> seconds = rounds.stream().map(Round::seconds).sorted().toList();
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Database: %s, %,d traces, %.2f GB%s%n%n",
                db,
                count(db),
                Files.size(db) / 1e9,
                generatedSeconds > 0 ? String.format(Locale.ROOT, " (generated in %.0f s)", generatedSeconds) : ""));
        md.append("| round | wall time | CPU time | heap peak | resident memory peak | report size |\n"
                + "|---|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %.2f s | %.2f s | %d MiB | %d MiB | %d KB |%n",
                    i + 1,
                    r.seconds(),
                    r.cpuSeconds(),
                    r.peakHeapBytes() >> 20,
                    r.peakRssBytes() >> 20,
                    r.reportBytes() / 1024));
        }
        md.append(String.format(Locale.ROOT, "%nMedian wall time: %.2f s%n", seconds.get(seconds.size() / 2)));
        md.append("Machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.vm.version"))
                .append(", ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(", load average ")
                .append(String.format(
                        Locale.ROOT,
                        "%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append('\n');
        return md.toString();
    }

    private static long count(Path db) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement();
                var r = s.executeQuery("SELECT count(*) FROM traces")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
