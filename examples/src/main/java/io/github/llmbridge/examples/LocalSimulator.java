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
 * short, realistic delay with a deterministic reply: a judge prompt (one that asks for a
 * {@code "score"}) gets {@code {"score": n}} derived from the text being judged, anything else a
 * short sentence. Usage numbers are word counts, so totals add up.
 */
public final class LocalSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final Duration latency;
    private final AtomicLong requests = new AtomicLong();

    private LocalSimulator(Duration latency) throws IOException {
        // Without TCP_NODELAY the JDK's server waits out Nagle + delayed ACK (~40 ms) on replies.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.latency = latency;
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
        return new LocalSimulator(latency);
    }

    /** Returns the root URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
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
            pause();
            send(exchange, 200, JSON.writeValueAsString(reply(request)));
        }
    }

    private ObjectNode reply(JsonNode request) {
        StringBuilder prompt = new StringBuilder();
        request.path("messages").forEach(m -> prompt.append(m.path("content").asText()).append('\n'));
        String text = prompt.toString();
        String content = text.contains("\"score\"")
                ? "{\"score\": " + Math.floorMod(lastMessage(request).hashCode(), 11) + "}"
                : "This is the local simulator's answer. Set USE_OPENROUTER_DIRECT=true and OPENROUTER_API_KEY to ask a real model.";
        long promptTokens = words(text);
        long completionTokens = words(content);
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-sim-" + requests.get())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", request.path("model").asText("simulated-model"));
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return body;
    }

    private static String lastMessage(JsonNode request) {
        JsonNode messages = request.path("messages");
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText();
    }

    private static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private void pause() {
        try {
            Thread.sleep(latency.toMillis());
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
