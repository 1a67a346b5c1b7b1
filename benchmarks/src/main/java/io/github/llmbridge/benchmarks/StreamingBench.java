package io.github.llmbridge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.litellm.LiteLlmVariables;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * CPU per streamed chunk and per streamed call, for three readers of the same server-sent event
 * stream from an in-process stub: (a) the raw JDK client ({@code send} with
 * {@code BodyHandlers.ofLines()}, each {@code data:} line parsed with Jackson), (b) LLM Bridge's
 * {@code ChatClient.stream} through the {@code fromEnv} stack (LiteLLM backend, resilience with its
 * stream timers), (d) the OpenAI Java SDK's {@code createStreaming}. Each reader makes calls one
 * after another on {@code concurrency} threads for a fixed window; CPU is the process's CPU time
 * minus the stub's threads', so it is what a client pays, not wall time. The contenders take
 * turns per round, and the tables show medians over rounds.
 *
 * <pre>{@code
 * java -cp benchmarks/target/llm-bridge-benchmarks.jar io.github.llmbridge.benchmarks.StreamingBench [rounds] [seconds]
 * }</pre>
 */
public final class StreamingBench {

    /** Content chunks per streamed reply (plus a role chunk, a finish chunk and a usage chunk). */
    static final int CONTENT_CHUNKS = 200;

    /** (a) raw JDK, (b) LLM Bridge stream(), (d) OpenAI SDK, (b') LLM Bridge streamAsync. */
    private static final int CONTENDERS = 4;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StreamingBench() {}

    /** One contender's measurement in one round. */
    record Result(String contender, long calls, long chunks, long errors, double seconds, long clientCpuNanos) {
        double cpuMicrosPerCall() {
            return calls == 0 ? Double.NaN : clientCpuNanos / 1e3 / calls;
        }

        double cpuNanosPerChunk() {
            return chunks == 0 ? Double.NaN : (double) clientCpuNanos / chunks;
        }

        double callsPerSecond() {
            return calls / seconds;
        }
    }

    /** A reader of the stream: makes one streamed call and returns how many content chunks it read. */
    interface Reader extends AutoCloseable {
        int call() throws Exception;

        @Override
        void close();
    }

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        run(rounds, Duration.ofMillis((long) (seconds * 1000)), new int[] {1, 8}, System.out);
    }

    /** Runs {@code rounds} rounds of each contender at each concurrency and prints the medians. */
    static List<Result> run(int rounds, Duration window, int[] concurrencies, PrintStream out) throws Exception {
        return run(rounds, window, concurrencies, 300, out);
    }

    /** Like {@link #run(int, Duration, int[], PrintStream)} with this many warm-up calls per contender and round. */
    static List<Result> run(int rounds, Duration window, int[] concurrencies, int warmUpCalls, PrintStream out)
            throws Exception {
        List<Result> all = new ArrayList<>();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (SseStub stub = SseStub.start()) {
            out.printf(
                    Locale.ROOT,
                    "Machine: %d cores, %s %s, %s %s; load average %.2f at start; %d content chunks per call%n%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.vm.version"),
                    System.getProperty("os.name"),
                    System.getProperty("os.arch"),
                    load,
                    CONTENT_CHUNKS);
            for (int concurrency : concurrencies) {
                List<List<Result>> perContender =
                        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < CONTENDERS; k++) {
                        int which = (k + round) % CONTENDERS; // rotate the order per round
                        Result r = measure(which, stub, concurrency, window, warmUpCalls);
                        perContender.get(which).add(r);
                        all.add(r);
                    }
                }
                out.printf(
                        Locale.ROOT,
                        "Concurrency %d (median of %d rounds of %.1f s)%n%n",
                        concurrency,
                        rounds,
                        window.toMillis() / 1000.0);
                out.println("| contender | calls/s | client CPU µs/call | client CPU ns/chunk | errors |");
                out.println("|---|---:|---:|---:|---:|");
                for (List<Result> rs : perContender) {
                    out.printf(
                            Locale.ROOT,
                            "| %s | %.0f | %.1f | %.0f | %d |%n",
                            rs.get(0).contender(),
                            median(rs.stream()
                                    .mapToDouble(Result::callsPerSecond)
                                    .toArray()),
                            median(rs.stream()
                                    .mapToDouble(Result::cpuMicrosPerCall)
                                    .toArray()),
                            median(rs.stream()
                                    .mapToDouble(Result::cpuNanosPerChunk)
                                    .toArray()),
                            rs.stream().mapToLong(Result::errors).sum());
                }
                double[] ratioRaw = new double[rounds];
                double[] ratioSdk = new double[rounds];
                double[] asyncRaw = new double[rounds];
                double[] asyncSdk = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    double bridge = perContender.get(1).get(i).cpuMicrosPerCall();
                    double async = perContender.get(3).get(i).cpuMicrosPerCall();
                    double raw = perContender.get(0).get(i).cpuMicrosPerCall();
                    double sdk = perContender.get(2).get(i).cpuMicrosPerCall();
                    ratioRaw[i] = bridge / raw;
                    ratioSdk[i] = bridge / sdk;
                    asyncRaw[i] = async / raw;
                    asyncSdk[i] = async / sdk;
                }
                out.printf(
                        Locale.ROOT,
                        "%nLLM Bridge stream() CPU per call / raw JDK: %.2f; / OpenAI SDK: %.2f. streamAsync: %.2f; %.2f"
                                + " (medians of per-round ratios)%n%n",
                        median(ratioRaw),
                        median(ratioSdk),
                        median(asyncRaw),
                        median(asyncSdk));
            }
            out.printf(
                    Locale.ROOT,
                    "Load average at end: %.2f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        return all;
    }

    private static Result measure(int which, SseStub stub, int concurrency, Duration window, int warmUpCalls)
            throws Exception {
        Supplier<Reader> factory = switch (which) {
            case 0 -> () -> rawJdk(stub.baseUrl());
            case 1 -> () -> bridge(stub.baseUrl(), concurrency, false);
            case 2 -> () -> openAiSdk(stub.baseUrl(), concurrency);
            default -> () -> bridge(stub.baseUrl(), concurrency, true);
        };
        String name = switch (which) {
            case 0 -> "(a) raw JDK, ofLines + Jackson";
            case 1 -> "(b) LLM Bridge stream()";
            case 2 -> "(d) OpenAI Java SDK createStreaming";
            default -> "(b') LLM Bridge streamAsync(handler)";
        };
        try (Reader reader = factory.get()) {
            for (int i = 0; i < warmUpCalls; i++) {
                reader.call(); // warm-up: JIT, connections
            }
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong calls = new AtomicLong();
            AtomicLong chunks = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long cpu0 = processCpuNanos();
            long stub0 = stub.cpuNanos();
            long start = System.nanoTime();
            for (int t = 0; t < concurrency; t++) {
                pool.execute(() -> {
                    while (running.get()) {
                        try {
                            chunks.addAndGet(reader.call());
                            calls.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
            }
            Thread.sleep(window.toMillis());
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            long end = System.nanoTime();
            long clientCpu = (processCpuNanos() - cpu0) - (stub.cpuNanos() - stub0);
            return new Result(name, calls.get(), chunks.get(), errors.get(), (end - start) / 1e9, clientCpu);
        }
    }

    // ---- the contenders ----

    static Reader rawJdk(URI base) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2, daemon("raw-io")))
                .build();
        byte[] body;
        try {
            com.fasterxml.jackson.databind.node.ObjectNode b = Payloads.rawBody(MAPPER);
            b.put("stream", true);
            b.putObject("stream_options").put("include_usage", true);
            body = MAPPER.writeValueAsBytes(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Payloads.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return new Reader() {
            @Override
            public int call() throws Exception {
                HttpResponse<java.util.stream.Stream<String>> response =
                        http.send(request, HttpResponse.BodyHandlers.ofLines());
                StringBuilder text = new StringBuilder();
                int[] n = {0};
                try (java.util.stream.Stream<String> lines = response.body()) {
                    lines.forEach(line -> {
                        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                            return;
                        }
                        try {
                            JsonNode event = MAPPER.readTree(line.substring(6));
                            JsonNode choices = event.get("choices");
                            if (choices != null && !choices.isEmpty()) {
                                JsonNode content = choices.get(0).path("delta").get("content");
                                if (content != null
                                        && content.isTextual()
                                        && !content.asText().isEmpty()) {
                                    text.append(content.asText());
                                    n[0]++;
                                }
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
                check(text.length());
                return n[0];
            }

            @Override
            public void close() {}
        };
    }

    static Reader bridge(URI base, int concurrency, boolean async) {
        ChatClient client = ChatClients.fromEnv(Map.of(
                CoreVariables.LLM_BACKEND.name(),
                "litellm",
                LiteLlmVariables.LITELLM_PROXY_URL.name(),
                base.toString(),
                LiteLlmVariables.LITELLM_API_KEY.name(),
                Payloads.API_KEY,
                LiteLlmVariables.LITELLM_MAX_CONCURRENT_CALLS.name(),
                Integer.toString(Math.max(concurrency, 1)),
                CoreVariables.LLM_ADAPTIVE_CONCURRENCY.name(),
                "false"));
        ChatRequest request = Payloads.bridgeRequest();
        return new Reader() {
            @Override
            public int call() {
                if (async) {
                    StringBuilder text = new StringBuilder();
                    int[] n = {0};
                    client.streamAsync(request, chunk -> {
                                String c = chunk.content();
                                if (!c.isEmpty()) {
                                    text.append(c);
                                    n[0]++;
                                }
                            })
                            .join();
                    check(text.length());
                    return n[0];
                }
                StringBuilder text = new StringBuilder();
                int n = 0;
                try (ChatStream stream = client.stream(request)) {
                    for (ChatChunk chunk : stream) {
                        String c = chunk.content();
                        if (!c.isEmpty()) {
                            text.append(c);
                            n++;
                        }
                    }
                }
                check(text.length());
                return n;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    static Reader openAiSdk(URI base, int concurrency) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(base.resolve("/v1").toString())
                .apiKey(Payloads.API_KEY)
                .maxIdleConnections(Math.max(5, concurrency))
                .keepAliveDuration(Duration.ofMinutes(5))
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(Payloads.MODEL)
                .addSystemMessage(Payloads.SYSTEM)
                .addUserMessage(Payloads.USER)
                .temperature(Payloads.TEMPERATURE)
                .maxTokens(Payloads.MAX_TOKENS)
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        return new Reader() {
            @Override
            public int call() {
                StringBuilder text = new StringBuilder();
                int[] n = {0};
                try (StreamResponse<ChatCompletionChunk> stream =
                        client.chat().completions().createStreaming(params)) {
                    stream.stream().forEach(chunk -> {
                        if (!chunk.choices().isEmpty()) {
                            chunk.choices().get(0).delta().content().ifPresent(c -> {
                                if (!c.isEmpty()) {
                                    text.append(c);
                                    n[0]++;
                                }
                            });
                        }
                    });
                }
                check(text.length());
                return n[0];
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static void check(int length) {
        if (length != SseStub.CONTENT_LENGTH) {
            throw new IllegalStateException("read " + length + " characters, expected " + SseStub.CONTENT_LENGTH);
        }
    }

    // ---- measuring ----

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0
                ? Double.NaN
                : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The SSE stub: every POST gets the same prepared event stream, written at once in one
     * chunked body: a role chunk, {@link #CONTENT_CHUNKS} content chunks of a few characters, a
     * finish chunk, a usage chunk and {@code [DONE]}, each chunk shaped as OpenAI sends it.
     */
    static final class SseStub implements AutoCloseable {
        static final String PIECE = "tok ";
        static final int CONTENT_LENGTH = PIECE.length() * CONTENT_CHUNKS;
        private static final byte[] BODY = body();

        private final HttpServer server;
        private final ExecutorService handlers;
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        private SseStub() throws IOException {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
            handlers = Executors.newFixedThreadPool(cores, task -> {
                Thread t = new Thread(task, "sse-stub-" + threads.size());
                t.setDaemon(true);
                threads.add(t);
                return t;
            });
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.createContext("/", this::handle);
            server.setExecutor(handlers);
            java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
            server.start();
            Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("HTTP-Dispatcher") && !before.contains(t))
                    .forEach(threads::add);
        }

        static SseStub start() throws IOException {
            return new SseStub();
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        long cpuNanos() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long total = 0;
            for (Thread t : threads) {
                long cpu = mx.getThreadCpuTime(t.getId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
            return total;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        }

        private static byte[] body() {
            String head = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
                    + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[";
            StringBuilder b = new StringBuilder();
            b.append("data: ")
                    .append(head)
                    .append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                            + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
            for (int i = 0; i < CONTENT_CHUNKS; i++) {
                b.append("data: ")
                        .append(head)
                        .append("{\"index\":0,\"delta\":{\"content\":\"")
                        .append(PIECE)
                        .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
            }
            b.append("data: ")
                    .append(head)
                    .append("{\"index\":0,\"delta\":{},\"logprobs\":null,"
                            + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
            b.append("data: ")
                    .append(head)
                    .append("],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":")
                    .append(CONTENT_CHUNKS)
                    .append(",\"total_tokens\":")
                    .append(120 + CONTENT_CHUNKS)
                    .append(",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":"
                            + "{\"reasoning_tokens\":0}}}\n\n");
            b.append("data: [DONE]\n\n");
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
