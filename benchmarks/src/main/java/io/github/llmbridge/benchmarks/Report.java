package io.github.llmbridge.benchmarks;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Turns {@link BenchmarkSuite.Results} into the Markdown report: tables, then every target met or missed. */
final class Report {

    static final String COMMAND = "mvn -q -B package -pl benchmarks -am -DskipTests"
            + " && java -jar benchmarks/target/llm-bridge-benchmarks.jar";

    private Report() {}

    static String markdown(BenchmarkSuite.Results r) {
        StringBuilder md = new StringBuilder();
        md.append("## LLM Bridge benchmarks\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %s %s (%s), %s %s; load average %.2f at start, %.2f"
                        + " at end; %s; suite took %.0f s.%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                r.loadAtStart(),
                r.loadAtEnd(),
                LocalDateTime.now(ZoneId.systemDefault())
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .substring(0, 16),
                r.seconds()));
        md.append("Command: `").append(COMMAND).append("`\n\n");
        List<Target> targets = new ArrayList<>();
        r.byLatency().forEach((latency, results) -> wholeCalls(md, r, latency, results, targets));
        queued(md, r.queued(), r.config(), targets);
        tracing(md, r.tracing(), targets);
        jmh(md, r.jmh());
        md.append("### Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ")
                    .append(t.what)
                    .append(" | ")
                    .append(t.measured)
                    .append(" | ")
                    .append(t.met ? "met" : "**MISSED**")
                    .append(" |\n");
        }
        long missed = targets.stream().filter(t -> !t.met).count();
        md.append('\n')
                .append(
                        missed == 0
                                ? "Every target met."
                                : missed + " of " + targets.size()
                                        + " targets missed; see the README's Performance section for why.")
                .append('\n');
        return md.toString();
    }

    private record Target(String what, String measured, boolean met) {}

    private static void wholeCalls(
            StringBuilder md,
            BenchmarkSuite.Results r,
            int latency,
            Map<String, Map<Integer, List<LoadRunner.Result>>> results,
            List<Target> targets) {
        int rounds = latency == 0 ? r.config().rounds() : r.config().delayedRounds();
        md.append(String.format(
                Locale.ROOT,
                "### Whole calls, stub latency %d ms (median of %d rounds of %.1f s)%n%n",
                latency,
                rounds,
                r.config().measureMillis() / 1000.0));
        md.append("| concurrency | client | calls/s | ratio to (a) | p50 µs | p99 µs | p50 added to (a) µs |"
                + " client CPU µs/call | stub CPU µs/call | errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<Integer> concurrencies = results.get("a").keySet().stream().toList();
        for (int c : concurrencies) {
            List<LoadRunner.Result> raw = results.get("a").get(c);
            for (Contender contender : r.contenders()) {
                List<LoadRunner.Result> rs = results.get(contender.id()).get(c);
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | (%s) %s | %,.0f | %.3f | %.0f | %.0f | %s | %.0f | %.0f | %d |%n",
                        c,
                        contender.id(),
                        contender.label(),
                        median(rs, LoadRunner.Result::throughput),
                        ratio(rs, raw, LoadRunner.Result::throughput),
                        median(rs, x -> x.percentileMicros(0.5)),
                        median(rs, x -> x.percentileMicros(0.99)),
                        contender.id().equals("a") ? "–" : String.format(Locale.ROOT, "%+.0f", difference(rs, raw)),
                        median(rs, LoadRunner.Result::clientCpuMicrosPerCall),
                        median(rs, LoadRunner.Result::stubCpuMicrosPerCall),
                        rs.stream().mapToLong(LoadRunner.Result::errors).sum()));
            }
        }
        md.append('\n');
        if (latency != 0) {
            return;
        }
        // The stub must not be what limits the floor: compare what each side spends per call.
        md.append("Stub check: at every concurrency the stub spent ");
        List<String> parts = new ArrayList<>();
        for (int c : concurrencies) {
            List<LoadRunner.Result> raw = results.get("a").get(c);
            parts.add(String.format(
                    Locale.ROOT,
                    "%.0f µs of CPU per call against (a)'s %.0f µs (c=%d)",
                    median(raw, LoadRunner.Result::stubCpuMicrosPerCall),
                    median(raw, LoadRunner.Result::clientCpuMicrosPerCall),
                    c));
        }
        md.append(String.join("; ", parts)).append(".\n\n");
        for (int c : concurrencies) {
            List<LoadRunner.Result> a = results.get("a").get(c);
            List<LoadRunner.Result> b = results.get("b").get(c);
            List<LoadRunner.Result> cc = results.get("c").get(c);
            List<LoadRunner.Result> d = results.get("d").get(c);
            double ba = ratio(b, a, LoadRunner.Result::throughput);
            targets.add(new Target("(b)/(a) throughput ≥ 0.9, concurrency " + c, fmt(ba), ba >= 0.9));
            if (c == 1) {
                double added = difference(b, a);
                targets.add(new Target(
                        "p50 added by (b) over (a) ≤ 100 µs, concurrency 1",
                        String.format(Locale.ROOT, "%+.0f µs", added),
                        added <= 100));
            }
            double cb = ratio(cc, b, LoadRunner.Result::throughput);
            targets.add(new Target("(c)/(b) throughput ≥ 0.95, concurrency " + c, fmt(cb), cb >= 0.95));
            double bd = ratio(b, d, LoadRunner.Result::throughput);
            targets.add(new Target("(b) ≥ (d) throughput, concurrency " + c, "(b)/(d) = " + fmt(bd), bd >= 1.0));
            // (a) has no retry: a rare stale pooled connection fails it (docs/WIRE.md#the-jdks-http-client);
            // the library must not fail.
            long errors = b.stream().mapToLong(LoadRunner.Result::errors).sum()
                    + cc.stream().mapToLong(LoadRunner.Result::errors).sum();
            if (errors > 0) {
                targets.add(new Target("no failed LLM Bridge call, concurrency " + c, errors + " failed", false));
            }
        }
    }

    private static void queued(
            StringBuilder md, QueuedLoad.Result q, BenchmarkSuite.Config config, List<Target> targets) {
        md.append(String.format(
                Locale.ROOT,
                "### Queued load: %,d chatAsync calls at once, bulkhead %d, %d ms stub%s%n%n",
                q.calls(),
                config.queuedBulkhead(),
                config.queuedLatencyMillis(),
                config.queuedChildHeap() != null ? " (fresh JVM, -Xmx" + config.queuedChildHeap() + ")" : ""));
        md.append("| completed | failed | seconds | live threads before | peak live threads (JVM, stub's included) |"
                + " threads started during the load | peak heap used (sampled) | live heap with every call queued |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(
                Locale.ROOT,
                "| %,d | %d | %.1f | %d | %d (stub: %d) | %d | %.0f MiB | %.0f MiB |%n%n",
                q.completed(),
                q.failed(),
                q.seconds(),
                q.threadsBefore(),
                q.peakThreads(),
                q.stubThreads(),
                q.threadsStarted(),
                mib(q.peakHeapBytes()),
                mib(q.liveHeapQueuedBytes())));
        md.append("Live threads at the end of the load, by pool: ")
                .append(q.threadsByPool().replace(",", ", "))
                .append("\n\n");
        targets.add(new Target(
                "queued load: every call completes", q.completed() + " of " + q.calls(), q.completed() == q.calls()));
        targets.add(new Target(
                "queued load: peak live threads ≤ 40", Integer.toString(q.peakThreads()), q.peakThreads() <= 40));
        targets.add(new Target(
                "queued load: peak heap ≤ 256 MiB",
                String.format(Locale.ROOT, "%.0f MiB", mib(q.peakHeapBytes())),
                mib(q.peakHeapBytes()) <= 256));
    }

    private static void tracing(StringBuilder md, TracingWriterBenchmark.Result t, List<Target> targets) {
        md.append(String.format(
                Locale.ROOT,
                "### Tracing writer (request JSON %,d bytes + response JSON %,d bytes per" + " trace)%n%n",
                t.requestJsonBytes(),
                t.responseJsonBytes()));
        md.append("| measurement | rounds | median |\n|---|---|---|\n");
        md.append(String.format(
                Locale.ROOT,
                "| traces committed per second | %s | %,.0f |%n",
                list(t.tracesPerSecond(), "%,.0f"),
                Stats.median(array(t.tracesPerSecond()))));
        List<Double> added = new ArrayList<>();
        for (int i = 0; i < t.tracedMicros().size(); i++) {
            added.add(t.tracedMicros().get(i) - t.untracedMicros().get(i));
        }
        md.append(String.format(
                Locale.ROOT,
                "| caller-thread time added by the decorator, µs (traced p99 %s) | %s | %.2f |%n%n",
                list(t.tracedP99Micros(), "%.2f"),
                list(added, "%.2f"),
                Stats.median(array(added))));
        double median = Stats.median(array(t.tracesPerSecond()));
        targets.add(new Target(
                "tracing writer ≥ 50,000 traces/s", String.format(Locale.ROOT, "%,.0f/s", median), median >= 50_000));
    }

    private static void jmh(StringBuilder md, Map<String, double[]> jmh) {
        if (jmh.isEmpty()) {
            return;
        }
        md.append(
                "### JMH: CPU per call outside the network (µs/op, lower is better)\n\n| benchmark | µs/op | ± |\n|---|---|---|\n");
        jmh.forEach((name, score) -> md.append(String.format(
                Locale.ROOT,
                "| %s | %.2f | %s |%n",
                name,
                score[0],
                Double.isNaN(score[1]) ? "–" : String.format(Locale.ROOT, "%.2f", score[1]))));
        md.append('\n');
    }

    /** Median over rounds of a value. */
    static double median(List<LoadRunner.Result> rs, ToDoubleFunction<LoadRunner.Result> value) {
        return Stats.median(rs.stream().mapToDouble(value).toArray());
    }

    /** Median over rounds of the ratio of two contenders measured in the same round. */
    static double ratio(
            List<LoadRunner.Result> of, List<LoadRunner.Result> to, ToDoubleFunction<LoadRunner.Result> value) {
        double[] ratios = new double[Math.min(of.size(), to.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = value.applyAsDouble(of.get(i)) / value.applyAsDouble(to.get(i));
        }
        return Stats.median(ratios);
    }

    /** Median over rounds of the p50 difference of two contenders measured in the same round, µs. */
    static double difference(List<LoadRunner.Result> of, List<LoadRunner.Result> to) {
        double[] d = new double[Math.min(of.size(), to.size())];
        for (int i = 0; i < d.length; i++) {
            d[i] = of.get(i).percentileMicros(0.5) - to.get(i).percentileMicros(0.5);
        }
        return Stats.median(d);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String list(List<Double> values, String format) {
        return String.join(
                " / ",
                values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList());
    }

    private static String fmt(double ratio) {
        return String.format(Locale.ROOT, "%.3f", ratio);
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
