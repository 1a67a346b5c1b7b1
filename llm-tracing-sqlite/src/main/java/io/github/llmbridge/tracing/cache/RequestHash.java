package io.github.llmbridge.tracing.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.tracing.internal.StoredMedia;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The hash that identifies a request to the cache and to replay: two requests with the same hash
 * ask the model the same question. It is the same in every JVM and every release that writes
 * canonical form {@value #VERSION}, because it is computed from a documented canonical form, never
 * from Java's {@code hashCode} or a map's iteration order.
 *
 * <p>Canonical form {@code v1}:
 *
 * <ol>
 *   <li>the request body LLM Bridge sends, as the trace's {@code request_json} stores it: model,
 *       messages, tools, tool choice, response format, sampling parameters and every other field
 *       the wire carries (so the request's metadata, tags, session, timeouts and keys, which are not
 *       in the body, do not count);
 *   <li>inline media (base64 images, audio, files) replaced by its digest,
 *       {@code data:<type>;sha256=<hex>;bytes=<n>}, and credential query parameters of media URLs
 *       redacted, exactly as traces store them (so a trace written with full media matches too);
 *   <li>the keys {@code stream} and {@code stream_options} removed (a streamed call asks the same
 *       question);
 *   <li>written as JSON without whitespace, object keys sorted by their UTF-16 code units, arrays in
 *       order, strings escaped as Jackson escapes them, numbers as their decimal value without
 *       exponent or trailing zeros ({@code 0.0} and {@code 0} are both {@code 0}, {@code 1e-9} is
 *       {@code 0.000000001});
 *   <li>the hash is the lower-case hex SHA-256 of the UTF-8 bytes of
 *       {@code "llm-bridge-request-v1\n"} followed by that JSON.
 * </ol>
 *
 * <pre>{@code
 * String hash = RequestHash.of(ChatRequest.builder().model("m").user("2+2?").temperature(0.0).build());
 * }</pre>
 */
public final class RequestHash {

    /** The canonical form's version, part of every hash. */
    public static final String VERSION = "v1";

    private static final String PREFIX = "llm-bridge-request-" + VERSION + "\n";
    private static final StoredMedia DIGESTS = new StoredMedia(false);

    private RequestHash() {}

    /** Returns the hash of a request (64 lower-case hex digits). */
    public static String of(ChatRequest request) {
        return ofBody(ChatRequestJson.write(request));
    }

    /**
     * Returns the hash of a stored request body, a trace's {@code request_json}.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static String ofRequestJson(String requestJson) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(requestJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request_json is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(body instanceof ObjectNode object)) {
            throw new IllegalArgumentException("request_json is not a JSON object");
        }
        return ofBody(object);
    }

    /** Returns the canonical form of a body (consumes it: the body is rewritten in place). */
    static String canonical(ObjectNode body) {
        DIGESTS.request(body);
        body.remove(List.of("stream", "stream_options"));
        StringBuilder out = new StringBuilder(256);
        write(body, out);
        return out.toString();
    }

    private static String ofBody(ObjectNode body) {
        byte[] bytes = (PREFIX + canonical(body)).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                keys.add(it.next().getKey());
            }
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                out.append(i == 0 ? "" : ",");
                string(keys.get(i), out);
                out.append(':');
                write(node.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            BigDecimal value = node.isBigDecimal() ? node.decimalValue() : BigDecimal.valueOf(node.doubleValue());
            out.append(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else {
            out.append("null"); // null, and nothing else a request body can hold
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append(TextNode.valueOf(s).toString());
    }
}
