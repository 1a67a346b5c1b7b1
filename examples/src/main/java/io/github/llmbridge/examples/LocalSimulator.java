package io.github.llmbridge.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible chat-completions server on loopback, so the demo runs with no key and no
 * network. It answers {@code POST /v1/chat/completions} (and {@code /chat/completions}) after a
 * realistic, varying delay with a deterministic reply: a rubric-generation prompt (one that asks
 * for {@code "positive_rubrics"}) gets a rubric set, sometimes wrapped in prose and a code fence
 * as real models do; a judge prompt (one that asks for a {@code "score"}) gets
 * {@code {"score": n}} derived from the text being judged; anything else a short sentence.
 * Usage numbers are word counts, so totals add up.
 *
 * <p>A share of requests fails the way real gateways do: 429 with {@code Retry-After: 1}, 503,
 * or the connection closed without a reply. Faults and delays come from a seeded generator, so
 * a run injects the same sequence of faults.
 */
public final class LocalSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final Duration latency;
    private final double faultRate;
    private final java.util.Random random = new java.util.Random(20261122);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();

    private LocalSimulator(Duration latency, double faultRate) throws IOException {
        // Without TCP_NODELAY the JDK's server waits out Nagle + delayed ACK (~40 ms) on replies.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.latency = latency;
        this.faultRate = faultRate;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a simulator on a free loopback port.
     *
     * @param latency how long each reply takes
     */
    public static LocalSimulator start(Duration latency) throws IOException {
        return new LocalSimulator(latency, 0);
    }

    /**
     * Starts a simulator whose delays vary between half and twice {@code latency} and which fails
     * the given share of requests (0 to 1).
     */
    public static LocalSimulator start(Duration latency, double faultRate) throws IOException {
        if (!(faultRate >= 0 && faultRate < 1)) {
            throw new IllegalArgumentException("faultRate must be in [0, 1), was " + faultRate);
        }
        return new LocalSimulator(latency, faultRate);
    }

    /** Returns how many requests were answered with an injected fault. */
    public long faults() {
        return faults.get();
    }

    /** Returns the root URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort());
    }

    /** Returns how many chat requests were answered. */
    public long requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/chat/completions")) {
                send(exchange, 404, "{\"detail\":\"Not Found\"}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            requests.incrementAndGet();
            double dice;
            long delay;
            synchronized (random) {
                dice = random.nextDouble();
                delay = faultRate > 0
                        ? (long) (latency.toMillis() * (0.5 + 1.5 * random.nextDouble()))
                        : latency.toMillis();
            }
            pause(delay);
            if (dice < faultRate) {
                faults.incrementAndGet();
                int kind = (int) (dice / faultRate * 3);
                if (kind == 0) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached (simulated)\",\"code\":429}}");
                } else if (kind == 1) {
                    send(
                            exchange,
                            503,
                            "{\"error\":{\"message\":\"Service temporarily unavailable (simulated)\",\"code\":503}}");
                }
                // else: close the connection without a reply, as a dropped connection does
                return;
            }
            send(exchange, 200, JSON.writeValueAsString(reply(request)));
        }
    }

    private ObjectNode reply(JsonNode request) {
        StringBuilder prompt = new StringBuilder();
        request.path("messages")
                .forEach(m -> prompt.append(m.path("content").asText()).append('\n'));
        String text = prompt.toString();
        String content;
        if (text.contains("positive_rubrics")) {
            content = rubrics(lastMessage(request));
        } else if (text.contains("\"score\"")) {
            // Placeholder judgement: low for the negative rubric, middling to high otherwise.
            String judged = lastMessage(request);
            int score = judged.contains("Wrong fact")
                    ? Math.floorMod(judged.hashCode(), 4)
                    : 4 + Math.floorMod(judged.hashCode(), 7);
            content = "{\"score\": " + score + "}";
        } else {
            content = "This is the local simulator's answer. " + Demo.HOW_TO_ASK_A_REAL_MODEL;
        }
        long promptTokens = words(text);
        long completionTokens = words(content);
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-sim-" + requests.get())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", request.path("model").asText("simulated-model"));
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return body;
    }

    /** A deterministic rubric set for the question in the prompt, half the time wrapped in prose and a fence. */
    private static String rubrics(String prompt) {
        String question = prompt.lines().findFirst().orElse("").replaceFirst("^Question: ", "");
        ObjectNode set = JSON.createObjectNode().put("question", question);
        set.putArray("positive_rubrics")
                .add(JSON.createObjectNode()
                        .put("title", "Correct")
                        .put("description", "Gives the right answer to: " + question))
                .add(JSON.createObjectNode()
                        .put("title", "Direct")
                        .put("description", "Answers without padding or hedging"));
        set.putArray("negative_rubrics")
                .add(JSON.createObjectNode().put("title", "Wrong fact").put("description", "States something false"));
        String json = set.toPrettyString();
        return Math.floorMod(question.hashCode(), 2) == 0
                ? json
                : "Here are the rubrics for this question:\n\n```json\n" + json
                        + "\n```\nLet me know if you need more.";
    }

    private static String lastMessage(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.isEmpty()
                ? ""
                : messages.get(messages.size() - 1).path("content").asText();
    }

    private static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-request-id", "sim-" + System.nanoTime());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
