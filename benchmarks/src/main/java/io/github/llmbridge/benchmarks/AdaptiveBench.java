package io.github.llmbridge.benchmarks;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.resilience.ConcurrencyStats;
import io.github.llmbridge.core.resilience.ResilienceStats;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.litellm.LiteLlmVariables;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Adaptive concurrency against a provider with a hidden capacity ({@link CapacityStub}): a batch
 * of judge calls submitted at once through {@code ChatClients.fromEnv} (LiteLLM backend, the
 * resilience layer with its defaults: 5 attempts, Retry-After honoured, the retry budget),
 * comparing fixed bulkheads (too low, around the capacity, too high) with the adaptive limit,
 * which is never told the capacity. Then two JVMs share one stub, each with its own adaptive
 * limit, and the stub's counts say what share each got.
 *
 * <pre>
 * mvn -q -B package -pl benchmarks -am -DskipTests
 * java -cp benchmarks/target/llm-bridge-benchmarks.jar io.github.llmbridge.benchmarks.AdaptiveBench [--calls N] [--out FILE]
 * </pre>
 */
public final class AdaptiveBench {

    /** What one batch saw. */
    record Run(
            String label,
            int ceiling,
            boolean adaptive,
            int calls,
            long succeeded,
            long failed,
            double seconds,
            long requests,
            long refused,
            long p50Millis,
            long p99Millis,
            int finalLimit,
            long decreases) {

        double goodput() {
            return succeeded / seconds;
        }

        double refusedShare() {
            return requests == 0 ? 0 : (double) refused / requests;
        }
    }

    /** One capacity setting to measure. */
    record Scenario(String title, CapacityStub.Mode mode, int capacity, boolean rateHeaders, List<Integer> fixed) {}

    /** What a client JVM of the shared-stub run reports. */
    record ClientResult(int client, long startMillis, long endMillis, long succeeded, long failed, int finalLimit) {
        String encode() {
            return "RESULT " + client + " " + startMillis + " " + endMillis + " " + succeeded + " " + failed + " "
                    + finalLimit;
        }

        static ClientResult decode(String line) {
            String[] f = line.substring("RESULT ".length()).trim().split(" ", -1);
            return new ClientResult(
                    Integer.parseInt(f[0]),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    Integer.parseInt(f[5]));
        }
    }

    static final long LATENCY_MILLIS = 100;
    static final int CEILING = 256;

    private AdaptiveBench() {}

    /** {@code [--calls N] [--out FILE]}, or {@code client <id> <url> <calls> <startEpochMillis>} in a child JVM. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.length > 0 && args[0].equals("client")) {
            System.out.println(
                    client(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]))
                            .encode());
            return;
        }
        int calls = 2000;
        String out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--out" -> out = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String report = report(calls, System.err);
        System.out.println(report);
        if (out != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(out), report);
        }
    }

    static List<Scenario> scenarios() {
        return List.of(
                new Scenario(
                        "Capacity: 32 calls at once (429 with Retry-After: 1 beyond)",
                        CapacityStub.Mode.CONCURRENCY,
                        32,
                        false,
                        List.of(8, 24, 32, 48, CEILING)),
                new Scenario(
                        "Capacity: 300 requests a second (token bucket), with x-ratelimit-* headers",
                        CapacityStub.Mode.RATE,
                        300,
                        true,
                        List.of(8, 24, 30, 40, CEILING)),
                new Scenario(
                        "Capacity: 300 requests a second (token bucket), no rate-limit headers",
                        CapacityStub.Mode.RATE,
                        300,
                        false,
                        List.of(8, 24, 30, 40, CEILING)));
    }

    /** Runs every scenario and the shared-stub runs and returns the Markdown report. */
    static String report(int calls, PrintStream progress) throws Exception {
        StringBuilder md = new StringBuilder();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long started = System.nanoTime();
        md.append("### Adaptive concurrency\n\n");
        List<String> targets = new ArrayList<>();
        for (Scenario s : scenarios()) {
            List<Run> first = new ArrayList<>();
            List<Run> second = new ArrayList<>();
            for (int fixed : s.fixed()) {
                List<Run> both = batches(s, "fixed " + fixed, fixed, false, calls, progress);
                first.add(both.get(0));
                second.add(both.get(1));
            }
            List<Run> both = batches(s, "adaptive", CEILING, true, calls, progress);
            first.add(both.get(0));
            second.add(both.get(1));
            md.append(table(s, first, calls, "first batch of a new client"));
            md.append(table(s, second, calls, "second batch of the same client"));
            targets.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s |",
                    s.title(),
                    versusBest(first),
                    versusBest(second),
                    meetsTarget(second) ? "met" : "**not met**"));
        }
        md.append(sharedStub(calls, progress));
        md.append(
                "\nTargets: adaptive reaches ≥ 0.90 of the goodput of the best fixed bulkhead chosen in hindsight (the"
                        + " best of those that lost no call), with ≤ 5 % of attempts refused:\n\n");
        md.append("| scenario | adaptive, first batch | adaptive, second batch | target (second batch) |\n"
                + "|---|---|---|---|\n");
        targets.forEach(t -> md.append(t).append('\n'));
        md.append(String.format(
                Locale.ROOT,
                "\nMachine: %d cores, %s %s, load average %.2f at start, %.2f at end; %s; took %d s.%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                LocalDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES) + " UTC",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
        return md.toString();
    }

    /**
     * The best fixed bulkhead in hindsight: the highest goodput among those that lost no call (one
     * that fails most of its calls fast is not a setting anyone would choose).
     */
    private static Run bestFixed(List<Run> runs) {
        return runs.stream()
                .filter(r -> !r.adaptive() && r.failed() == 0)
                .max((a, b) -> Double.compare(a.goodput(), b.goodput()))
                .orElseThrow();
    }

    private static String versusBest(List<Run> runs) {
        Run best = bestFixed(runs);
        Run adaptive = runs.get(runs.size() - 1);
        return String.format(
                Locale.ROOT,
                "%.2f of the best fixed (%s), %.1f %% refused",
                adaptive.goodput() / best.goodput(),
                best.label(),
                adaptive.refusedShare() * 100);
    }

    private static boolean meetsTarget(List<Run> runs) {
        Run adaptive = runs.get(runs.size() - 1);
        return adaptive.goodput() / bestFixed(runs).goodput() >= 0.9 && adaptive.refusedShare() <= 0.05;
    }

    /**
     * Two batches on one client: the first from a new client (a cold JVM's classes, the transport's
     * threads, an adaptive limit that starts from scratch), the second as the next step of a
     * training loop finds it.
     */
    static List<Run> batches(Scenario s, String label, int ceiling, boolean adaptive, int calls, PrintStream progress)
            throws Exception {
        try (CapacityStub stub = new CapacityStub(s.mode(), s.capacity(), LATENCY_MILLIS, s.rateHeaders());
                ChatClient client = ChatClients.fromEnv(env(stub.baseUrl().toString(), ceiling, adaptive))) {
            client.chat(request(0)); // connection and classes
            Run first = batch(s, label, adaptive, calls, progress, stub, client);
            Thread.sleep(200); // the refused permits' cool-downs end (every call, its retries included, is done)
            return List.of(first, batch(s, label, adaptive, calls, progress, stub, client));
        }
    }

    /** One batch: {@code calls} judge calls submitted at once, then waited for. */
    static Run batch(
            Scenario s,
            String label,
            boolean adaptive,
            int calls,
            PrintStream progress,
            CapacityStub stub,
            ChatClient client)
            throws Exception {
        stub.resetCounts();
        if (s.mode() == CapacityStub.Mode.RATE) {
            Thread.sleep(200); // a full token bucket for the batch
        }
        long start = System.nanoTime();
        long[] latencies = new long[calls];
        List<CompletableFuture<ChatResponse>> futures = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            int k = i;
            long submitted = System.nanoTime();
            futures.add(
                    client.chatAsync(request(0)).whenComplete((r, t) -> latencies[k] = System.nanoTime() - submitted));
        }
        long ok = 0;
        long failed = 0;
        for (CompletableFuture<ChatResponse> f : futures) {
            try {
                f.get(10, TimeUnit.MINUTES);
                ok++;
            } catch (Exception e) {
                failed++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        ResilienceStats stats =
                client.unwrap(ResilientChatClient.class).orElseThrow().stats();
        ConcurrencyStats limit = stats.concurrency(Payloads.MODEL).orElseThrow();
        Run run = new Run(
                label,
                limit.ceiling(),
                adaptive,
                calls,
                ok,
                failed,
                seconds,
                stub.requests(),
                stub.refused(),
                TimeUnit.NANOSECONDS.toMillis(sorted[sorted.length / 2]),
                TimeUnit.NANOSECONDS.toMillis(sorted[(int) Math.ceil(sorted.length * 0.99) - 1]),
                limit.limit(),
                limit.decreases());
        progress.printf(
                Locale.ROOT,
                "%s / %s: %d ok, %d failed in %.1f s, %d of %d attempts refused, final limit %d%n",
                s.title(),
                label,
                ok,
                failed,
                seconds,
                run.refused(),
                run.requests(),
                run.finalLimit());
        return run;
    }

    private static String table(Scenario s, List<Run> runs, int calls, String which) {
        StringBuilder md = new StringBuilder();
        md.append("#### ").append(s.title()).append(", ").append(which).append("\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%,d judge calls submitted at once; the stub answers in %d ms ±20 %%.%n%n",
                calls,
                LATENCY_MILLIS));
        md.append("| client | goodput (calls/s) | attempts refused | attempts per call | failed calls | p50 / p99 call"
                + " latency | total time | limit at the end |\n|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.1f %% | %.2f | %d | %.1f / %.1f s | %.1f s | %s |%n",
                    r.label(),
                    r.goodput(),
                    r.refusedShare() * 100,
                    (double) r.requests() / r.calls(),
                    r.failed(),
                    r.p50Millis() / 1000.0,
                    r.p99Millis() / 1000.0,
                    r.seconds(),
                    r.adaptive() ? r.finalLimit() + " (" + r.decreases() + " decreases)" : "fixed"));
        }
        return md.append('\n').toString();
    }

    /**
     * Two client JVMs with adaptive limits against one stub of capacity 32: started together, then
     * one started 3 s after the other. The share is counted by the stub, over the time both run.
     */
    static String sharedStub(int calls, PrintStream progress) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("#### Two JVMs sharing one provider (capacity 32 calls at once)\n\n");
        md.append("Each JVM has its own adaptive limit (ceiling ")
                .append(CEILING)
                .append(") and is told nothing of the"
                        + " other; the stub counts each one's successes while both run.\n\n");
        md.append("| start | calls (A / B) | window | A's share | B's share | limits at the end (A / B) |\n"
                + "|---|---|---|---|---|---|\n");
        // Twice the batch each, so the window both run in holds several swings of the two limits.
        int callsB = 2 * calls;
        for (long stagger : new long[] {0, 3000}) {
            int callsA = stagger == 0 ? callsB : callsB + calls / 2;
            try (CapacityStub stub = new CapacityStub(CapacityStub.Mode.CONCURRENCY, 32, LATENCY_MILLIS, false)) {
                long startA = System.currentTimeMillis() + 4000; // time for both JVMs to start
                long startB = startA + stagger;
                Process a = launch(1, stub, callsA, startA);
                Process b = launch(2, stub, callsB, startB);
                ClientResult ra = awaitResult(a);
                ClientResult rb = awaitResult(b);
                long from = Math.max(ra.startMillis(), rb.startMillis()) + 1000; // after the later one's slow start
                long to = Math.min(ra.endMillis(), rb.endMillis());
                long sa = stub.successesBetween(1, from, to);
                long sb = stub.successesBetween(2, from, to);
                double total = Math.max(1, sa + sb);
                progress.printf(
                        Locale.ROOT,
                        "shared stub, stagger %d ms: A %d, B %d in %.1f s (A %d ok %d failed, B %d ok %d failed)%n",
                        stagger,
                        sa,
                        sb,
                        (to - from) / 1000.0,
                        ra.succeeded(),
                        ra.failed(),
                        rb.succeeded(),
                        rb.failed());
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %,d / %,d | %.1f s | %.0f %% | %.0f %% | %d / %d |%n",
                        stagger == 0 ? "together" : "B " + stagger / 1000 + " s after A",
                        callsA,
                        callsB,
                        (to - from) / 1000.0,
                        100 * sa / total,
                        100 * sb / total,
                        ra.finalLimit(),
                        rb.finalLimit()));
            }
        }
        return md.append('\n').toString();
    }

    private static Process launch(int id, CapacityStub stub, int calls, long startMillis) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AdaptiveBench.class.getName(),
                        "client",
                        Integer.toString(id),
                        stub.baseUrl().toString(),
                        Integer.toString(calls),
                        Long.toString(startMillis))
                .redirectErrorStream(true)
                .start();
    }

    private static ClientResult awaitResult(Process p) throws Exception {
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
            throw new IllegalStateException("client JVM failed:\n" + output);
        }
        return ClientResult.decode(result);
    }

    /** A child JVM: waits for its start time, submits its calls at once, reports. */
    static ClientResult client(int id, String url, int calls, long startMillis) throws Exception {
        try (ChatClient client = ChatClients.fromEnv(env(url, CEILING, true))) {
            client.chat(request(99)); // connection and classes, counted as nobody's
            long wait = startMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long start = System.currentTimeMillis();
            List<CompletableFuture<ChatResponse>> futures = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                futures.add(client.chatAsync(request(id)));
            }
            long ok = 0;
            long failed = 0;
            for (CompletableFuture<ChatResponse> f : futures) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                    ok++;
                } catch (Exception e) {
                    failed++;
                }
            }
            int limit = client.unwrap(ResilientChatClient.class)
                    .orElseThrow()
                    .stats()
                    .concurrency(Payloads.MODEL)
                    .orElseThrow()
                    .limit();
            return new ClientResult(id, start, System.currentTimeMillis(), ok, failed, limit);
        }
    }

    private static Map<String, String> env(String url, int ceiling, boolean adaptive) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(CoreVariables.LLM_BACKEND.name(), "litellm");
        env.put(LiteLlmVariables.LITELLM_PROXY_URL.name(), url);
        env.put(LiteLlmVariables.LITELLM_API_KEY.name(), Payloads.API_KEY);
        env.put(LiteLlmVariables.LITELLM_MAX_CONCURRENT_CALLS.name(), Integer.toString(ceiling));
        env.put(CoreVariables.LLM_ADAPTIVE_CONCURRENCY.name(), Boolean.toString(adaptive));
        return env;
    }

    /** The judge call, its user message marked with the client's id for the stub's counts. */
    private static ChatRequest request(int client) {
        return ChatRequest.builder()
                .model(Payloads.MODEL)
                .system(Payloads.SYSTEM)
                .user("client-" + client + ": " + Payloads.USER)
                .temperature(Payloads.TEMPERATURE)
                .maxTokens(Payloads.MAX_TOKENS)
                .build();
    }
}
