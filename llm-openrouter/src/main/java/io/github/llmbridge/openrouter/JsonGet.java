package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.errors.ErrorResponses;
import io.github.llmbridge.core.errors.TransportFailures;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.transport.CallContext;
import io.github.llmbridge.core.transport.HeadersOfInterest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One authenticated {@code GET} of a JSON document from OpenRouter's API, with the chat calls'
 * error mapping: a non-2xx reply, an I/O failure, a body that is not a JSON object or is larger
 * than the cap all become an {@link LlmException}.
 */
final class JsonGet {

    /** The largest document read; {@code GET /models} is about a megabyte. */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final HttpClient http;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final List<String> secrets;
    private final ProxySetup proxies;

    JsonGet(
            HttpClient http,
            URI baseUrl,
            Map<String, String> headers,
            Duration timeout,
            List<String> secrets,
            ProxySetup proxies) {
        this.proxies = proxies;
        this.http = http;
        this.baseUrl = Secrets.withoutTrailingSlashes(baseUrl.toString());
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.secrets = List.copyOf(secrets);
    }

    /**
     * Returns the JSON object at {@code base + pathAndQuery}, blocking until it arrives.
     *
     * @throws LlmException the mapped failure; category cancelled if the thread is interrupted
     */
    JsonNode get(String pathAndQuery) {
        URI uri = URI.create(baseUrl + pathAndQuery);
        CallContext ctx = new CallContext(OpenRouterChatClient.BACKEND, "", uri, secrets, proxies);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", LibraryVersion.USER_AGENT);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(request::setHeader);
        proxies.proxyAuthorization(uri).ifPresent(value -> request.setHeader("Proxy-Authorization", value));
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            Map<String, String> kept = HeadersOfInterest.select(response.headers(), secrets);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw invalid(
                        ctx, response.statusCode(), kept, "the reply is larger than " + MAX_BODY_BYTES + " bytes");
            }
            int status = response.statusCode();
            if (status < 200 || status >= 300) {
                throw ErrorResponses.fromHttpError(status, kept, body, ctx);
            }
            return parse(ctx, status, kept, body);
        } catch (IOException e) {
            throw TransportFailures.fromIOException(e, ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.builder(ErrorCategory.CANCELLED, "interrupted while waiting for " + where(ctx))
                    .backend(ctx.backend())
                    .attemptCount(1)
                    .build();
        }
    }

    private static JsonNode parse(CallContext ctx, int status, Map<String, String> headers, byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            // reported below, with the start of the body
        }
        throw invalid(ctx, status, headers, "the reply is not a JSON object: " + excerpt(body, ctx));
    }

    /** Scrubs the whole body before cutting it, so half a key cannot slip through. */
    private static String excerpt(byte[] body, CallContext ctx) {
        String text = Secrets.scrub(new String(body, StandardCharsets.UTF_8), ctx.secrets())
                .replaceAll("\\s+", " ")
                .strip();
        if (text.isEmpty()) {
            return "(empty)";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static LlmException invalid(CallContext ctx, int status, Map<String, String> headers, String what) {
        String message = "HTTP " + status + " from " + where(ctx) + ", but " + what;
        return LlmException.builder(ErrorCategory.INVALID_RESPONSE, message)
                .httpStatus(status)
                .backend(ctx.backend())
                .headers(headers)
                .attemptCount(1)
                .build();
    }

    private static String where(CallContext ctx) {
        return ctx.backend() + " " + Secrets.displayUrl(ctx.uri().toString());
    }
}
