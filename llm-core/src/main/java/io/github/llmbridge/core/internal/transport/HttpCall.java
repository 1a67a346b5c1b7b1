package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.RequestHeaders;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One chat-completion POST as a backend prepared it for {@link OpenAiHttpTransport}.
 *
 * @param uri     the full endpoint, e.g. {@code https://api.example.com/v1/chat/completions}
 * @param headers request headers the backend adds (authorization, attribution); never logged
 * @param body    the JSON body
 * @param model   the requested model, for error messages
 * @param timeout the time limit for this exchange, or {@code null} for the transport's default
 */
public record HttpCall(URI uri, Map<String, String> headers, ObjectNode body, String model, Duration timeout) {

    /** Validates and copies the parts. */
    public HttpCall {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        model = model == null ? "" : model;
    }

    /**
     * Returns the call for a request: its model, its own timeout if it has one, and the headers
     * the backend set, beside those a layer added to the request ({@link RequestHeaders}, e.g.
     * {@code traceparent}); the backend's win a clash of names, in any case.
     */
    public static HttpCall of(URI uri, Map<String, String> headers, ObjectNode body, ChatRequest request) {
        Map<String, String> layers = RequestHeaders.of(request);
        Map<String, String> all = headers;
        if (!layers.isEmpty()) {
            all = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            all.putAll(layers);
            all.putAll(headers);
        }
        return new HttpCall(uri, all, body, request.model(), request.timeout().orElse(null));
    }

    /** Shows the endpoint and model; header values may be secrets and are never shown. */
    @Override
    public String toString() {
        return "HttpCall[POST " + Secrets.displayUrl(uri.toString()) + ", model=" + model + ", headers="
                + headers.keySet() + "]";
    }
}
