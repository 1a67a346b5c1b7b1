package io.github.llmbridge.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for rLLM's model gateway with its own toy worker, on loopback, for the
 * rollout example: the routes and shapes of {@code rllm-model-gateway} 0.1.0 that the example
 * uses ({@code POST /sessions}, {@code POST /sessions/<id>/v1/chat/completions}, {@code GET
 * /sessions/<id>/traces}, {@code POST /admin/flush}, {@code GET /health}, {@code GET
 * /health/workers}). Like the real gateway it records each call's token ids and log probabilities
 * and strips the ids from the agent's reply.
 *
 * <p>The worker is a script, not a model: asked with tools and no tool result yet, it calls the
 * first tool with {@code {"city": "Paris"}}; otherwise it answers with what the last tool said.
 * Its "tokenizer" maps each UTF-8 byte of a text to one token id.
 */
final class GatewaySimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHAT = Pattern.compile("^/sessions/([^/]+)/v1/chat/completions$");
    private static final Pattern TRACES = Pattern.compile("^/sessions/([^/]+)/traces$");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, List<ObjectNode>> traces = new ConcurrentHashMap<>();

    private GatewaySimulator(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Starts the simulator on a free loopback port. */
    static GatewaySimulator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gateway-simulator");
            t.setDaemon(true);
            return t;
        });
        GatewaySimulator sim = new GatewaySimulator(server, pool);
        server.createContext("/", sim::handle);
        server.setExecutor(pool);
        server.start();
        return sim;
    }

    /** Returns the gateway's root URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // The path as the gateway sees it: decoded (Starlette decodes before routing).
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher chat = CHAT.matcher(path);
            Matcher read = TRACES.matcher(path);
            if (method.equals("GET") && path.equals("/health")) {
                send(exchange, 200, JSON.createObjectNode().put("status", "ok"));
            } else if (method.equals("GET") && path.equals("/health/workers")) {
                ObjectNode worker = JSON.createObjectNode()
                        .put("worker_id", "0")
                        .put("url", "in-process")
                        .put("api_path", "/v1")
                        .put("healthy", true)
                        .put("active_requests", 0);
                ObjectNode body = JSON.createObjectNode().put("healthy", 1).put("total", 1);
                body.putArray("workers").add(worker);
                send(exchange, 200, body);
            } else if (method.equals("POST") && path.equals("/sessions")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String id = body.path("session_id").asText(UUID.randomUUID().toString());
                traces.putIfAbsent(id, new ArrayList<>());
                send(
                        exchange,
                        200,
                        JSON.createObjectNode().put("session_id", id).put("url", "/sessions/" + id + "/v1"));
            } else if (method.equals("POST") && chat.matches()) {
                send(exchange, 200, chat(chat.group(1), (ObjectNode) JSON.readTree(exchange.getRequestBody())));
            } else if (method.equals("GET") && read.matches()) {
                ArrayNode list = JSON.createArrayNode();
                List<ObjectNode> recorded = traces.getOrDefault(read.group(1), List.of());
                synchronized (recorded) {
                    recorded.forEach(list::add);
                }
                send(exchange, 200, list);
            } else if (method.equals("POST") && path.equals("/admin/flush")) {
                send(exchange, 200, JSON.createObjectNode().put("status", "flushed"));
            } else {
                send(exchange, 404, JSON.createObjectNode().put("detail", "Not Found"));
            }
        }
    }

    /** Answers as the worker, records the trace as the gateway does, strips the ids from the reply. */
    private ObjectNode chat(String session, ObjectNode request) {
        JsonNode messages = request.path("messages");
        String toolResult = null;
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("tool")) {
                toolResult = m.path("content").asText();
            }
        }
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        String completion;
        String finish;
        JsonNode tools = request.path("tools");
        if (tools.isArray() && !tools.isEmpty() && toolResult == null) {
            completion = "{\"city\": \"Paris\"}";
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", "call_" + UUID.randomUUID().toString().substring(0, 8))
                    .put("type", "function");
            call.putObject("function")
                    .put("name", tools.get(0).path("function").path("name").asText())
                    .put("arguments", completion);
            finish = "tool_calls";
        } else {
            completion = toolResult == null ? "I have no tool result." : "The weather service says: " + toolResult;
            message.put("content", completion);
            finish = "stop";
        }
        int[] promptIds = tokens(messages.toString());
        int[] completionIds = tokens(completion);
        ObjectNode reply = JSON.createObjectNode()
                .put("id", "chatcmpl-" + UUID.randomUUID())
                .put("object", "chat.completion")
                .put("model", request.path("model").asText());
        ObjectNode choice = reply.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finish);
        reply.putObject("usage")
                .put("prompt_tokens", promptIds.length)
                .put("completion_tokens", completionIds.length)
                .put("total_tokens", promptIds.length + completionIds.length);

        ObjectNode trace = JSON.createObjectNode()
                .put("trace_id", UUID.randomUUID().toString())
                .put("session_id", session)
                .put("model", request.path("model").asText());
        trace.set("messages", messages);
        ids(trace.putArray("prompt_token_ids"), promptIds);
        trace.set("response_message", message);
        ids(trace.putArray("completion_token_ids"), completionIds);
        ArrayNode logprobs = trace.putArray("logprobs");
        for (int i = 0; i < completionIds.length; i++) {
            logprobs.add(-0.05 * (1 + i % 7));
        }
        trace.put("finish_reason", finish).put("latency_ms", 1.0).put("timestamp", System.currentTimeMillis() / 1000.0);
        trace.putObject("metadata");
        trace.set("raw_request", request);
        trace.set("raw_response", reply.deepCopy());
        List<ObjectNode> recorded = traces.computeIfAbsent(session, s -> new ArrayList<>());
        synchronized (recorded) {
            recorded.add(trace);
        }
        return reply; // like the gateway: no prompt_token_ids or token_ids for the agent
    }

    private static int[] tokens(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    private static void ids(ArrayNode array, int[] ids) {
        for (int id : ids) {
            array.add(id);
        }
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
