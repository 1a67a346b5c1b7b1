package io.github.llmbridge.benchmarks;

import java.util.Locale;

/**
 * One contender at one concurrency for a while, for profiling a row of the table in isolation:
 * {@code java -XX:StartFlightRecording=filename=b.jfr -cp benchmarks/target/llm-bridge-benchmarks.jar
 * io.github.llmbridge.benchmarks.SingleRun b 16 20} (contender id, concurrency, seconds, and optionally
 * the stub latency in ms).
 */
public final class SingleRun {

    private SingleRun() {}

    /** Runs it and prints throughput, latency and CPU per call. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String id = args[0];
        int concurrency = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long latency = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Contender contender = BenchmarkSuite.contenders().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contender " + id));
        try (StubServer stub = StubServer.start(latency);
                Contender.Driver driver = contender.open(stub.baseUrl(), concurrency)) {
            LoadRunner.Result r = LoadRunner.run(driver, concurrency, stub, 2_000, seconds * 1000);
            System.out.printf(
                    Locale.ROOT,
                    "(%s) %s, concurrency %d: %,.0f calls/s, p50 %.0f µs, p99 %.0f µs,"
                            + " client CPU %.0f µs/call, stub CPU %.0f µs/call, %d errors%n",
                    id,
                    contender.label(),
                    concurrency,
                    r.throughput(),
                    r.percentileMicros(0.5),
                    r.percentileMicros(0.99),
                    r.clientCpuMicrosPerCall(),
                    r.stubCpuMicrosPerCall(),
                    r.errors());
        }
    }
}
