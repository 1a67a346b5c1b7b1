package io.github.llmbridge.benchmarks;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.litellm.LiteLlmVariables;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queued load: {@code calls} {@code chatAsync} calls submitted at once to LLM Bridge with a
 * bulkhead of {@code bulkhead}, against a stub that answers after {@code latencyMillis}. A sampler
 * thread records the JVM's live threads and used heap every 5 ms; after the last submission a
 * full GC shows what the queued calls retain. The suite runs it in a fresh JVM (so the thread
 * counts are not polluted by earlier measurements); the smoke test runs it in-process.
 */
final class QueuedLoad {

    /** What the run saw; {@code peakThreads} counts every thread of the JVM, the stub's included. */
    record Result(
            int calls,
            long completed,
            long failed,
            double seconds,
            int threadsBefore,
            int peakThreads,
            int stubThreads,
            long threadsStarted,
            long peakHeapBytes,
            long liveHeapQueuedBytes,
            long maxHeapBytes,
            String threadsByPool) {

        String encode() {
            return "RESULT " + calls + " " + completed + " " + failed + " " + seconds + " " + threadsBefore + " "
                    + peakThreads + " " + stubThreads + " " + threadsStarted + " " + peakHeapBytes + " "
                    + liveHeapQueuedBytes + " " + maxHeapBytes + " " + threadsByPool;
        }

        static Result decode(String line) {
            String[] f = line.substring("RESULT ".length()).trim().split(" ", -1);
            return new Result(
                    Integer.parseInt(f[0]),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Double.parseDouble(f[3]),
                    Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]),
                    Integer.parseInt(f[6]),
                    Long.parseLong(f[7]),
                    Long.parseLong(f[8]),
                    Long.parseLong(f[9]),
                    Long.parseLong(f[10]),
                    f[11]);
        }
    }

    private QueuedLoad() {}

    /** Entry point of the child JVM: {@code <calls> <bulkhead> <latencyMillis>}; prints one RESULT line. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Result r = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        System.out.println(r.encode());
    }

    /** Runs the load in a fresh JVM with the given heap limit and returns what it saw. */
    static Result runInChildJvm(int calls, int bulkhead, long latencyMillis, String maxHeap) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                QueuedLoad.class.getName(),
                Integer.toString(calls),
                Integer.toString(bulkhead),
                Long.toString(latencyMillis)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
            throw new IllegalStateException(
                    "queued-load JVM failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + "):\n" + output);
        }
        return Result.decode(result);
    }

    static Result run(int calls, int bulkhead, long latencyMillis) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (StubServer stub = StubServer.start(latencyMillis);
                ChatClient client = ChatClients.fromEnv(Map.of(
                        CoreVariables.LLM_BACKEND.name(),
                        "litellm",
                        LiteLlmVariables.LITELLM_PROXY_URL.name(),
                        stub.baseUrl().toString(),
                        LiteLlmVariables.LITELLM_API_KEY.name(),
                        Payloads.API_KEY,
                        LiteLlmVariables.LITELLM_MAX_CONCURRENT_CALLS.name(),
                        Integer.toString(bulkhead)))) {
            ChatRequest request = Payloads.bridgeRequest();
            client.chat(request); // connections and classes, so the peak is the load's, not start-up's
            System.gc();
            int before = threads.getThreadCount();
            long startedBefore = threads.getTotalStartedThreadCount();
            threads.resetPeakThreadCount();
            AtomicLong peakHeap = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
            Thread sampler = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            peakHeap.accumulateAndGet(
                                    memory.getHeapMemoryUsage().getUsed(), Math::max);
                            try {
                                Thread.sleep(5);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "bench-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();

            long start = System.nanoTime();
            List<CompletableFuture<ChatResponse>> futures = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                futures.add(client.chatAsync(request));
            }
            // What the queued calls retain, with garbage collected (most are still waiting now).
            System.gc();
            long liveQueued = memory.getHeapMemoryUsage().getUsed();
            long completed = 0;
            long failed = 0;
            for (CompletableFuture<ChatResponse> f : futures) {
                try {
                    ChatResponse r = f.get(5, TimeUnit.MINUTES);
                    if (r.content().isEmpty()) {
                        failed++;
                    } else {
                        completed++;
                    }
                } catch (Exception e) {
                    failed++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String pools = threadsByPool(); // idle pool threads retire after a minute: all still here
            sampler.interrupt();
            sampler.join();
            // The sampler itself is one of the threads counted; it is the harness's, not the library's.
            return new Result(
                    calls,
                    completed,
                    failed,
                    seconds,
                    before,
                    threads.getPeakThreadCount() - 1,
                    stub.threadCount(),
                    threads.getTotalStartedThreadCount() - startedBefore - 1,
                    peakHeap.get(),
                    liveQueued,
                    memory.getHeapMemoryUsage().getMax(),
                    pools);
        }
    }

    /** Live threads grouped by name with the numbers taken out, e.g. {@code HttpClient-N-Worker-N=12}. */
    private static String threadsByPool() {
        java.util.Map<String, Integer> pools = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            pools.merge(t.getName().replaceAll("\\d+", "N").replace(' ', '_'), 1, Integer::sum);
        }
        return String.join(
                ",",
                pools.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    }
}
