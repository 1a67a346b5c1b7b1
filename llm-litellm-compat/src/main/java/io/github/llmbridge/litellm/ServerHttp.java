package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.errors.ErrorResponses;
import io.github.llmbridge.core.errors.TransportFailures;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.transport.CallContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The small blocking HTTP exchanges of {@link LiteLlmServer} (health checks, admin calls): not the
 * chat hot path, so a plain {@code HttpClient.send()} with a time limit. Failures to reach the
 * proxy become {@link LlmException}s that name the proxy; configured secrets are scrubbed from
 * everything the proxy echoes.
 */
final class ServerHttp {

    /** How much of a reply a message quotes. */
    private static final int QUOTED_CHARS = 300;

    private final HttpClient http;
    private final URI root;
    private final List<String> secrets;
    private final ProxySetup proxies;

    ServerHttp(HttpClient http, URI root, List<String> secrets, ProxySetup proxies) {
        this.http = http;
        this.root = root;
        this.secrets = List.copyOf(secrets);
        this.proxies = proxies;
    }

    /** A reply: status and body. */
    record Reply(int status, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Returns the body as JSON, or {@code null} when it is not JSON. */
        JsonNode json() {
            try {
                return body.length == 0 ? null : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    Reply get(String path, Map<String, String> headers, Duration timeout) {
        return exchange(request(path, headers, timeout).GET(), "GET " + path, timeout);
    }

    Reply post(String path, Map<String, String> headers, String jsonBody, Duration timeout) {
        HttpRequest.Builder request = request(path, headers, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        return exchange(request, "POST " + path, timeout);
    }

    URI uri(String path) {
        return URI.create(root + path);
    }

    /** Returns {@code host:port} of the proxy, for messages. */
    String hostAndPort() {
        return HostAndPort.of(root);
    }

    /** Returns what a reply says, for a message: the {@code detail} or {@code error.message}, else its start. */
    String describe(Reply reply) {
        JsonNode json = reply.json();
        String text = null;
        if (json != null && json.isObject()) {
            JsonNode detail = json.get("detail");
            JsonNode error = json.get("error");
            if (detail != null && !detail.isNull()) {
                text = detail.isTextual() ? detail.asText() : detail.toString();
            } else if (error != null && error.isObject() && error.hasNonNull("message")) {
                text = error.get("message").asText();
            } else if (error != null && error.isTextual()) {
                text = error.asText();
            }
        }
        if (text == null) {
            text = reply.body().length == 0
                    ? "empty body"
                    : new String(reply.body(), StandardCharsets.UTF_8)
                            .replaceAll("\\s+", " ")
                            .strip();
        }
        return quote(text);
    }

    /** Returns text fit for a message: secrets scrubbed first, then cut. */
    String quote(String text) {
        String scrubbed = Secrets.scrub(text, secrets);
        return scrubbed.length() <= QUOTED_CHARS ? scrubbed : scrubbed.substring(0, QUOTED_CHARS) + "...";
    }

    List<String> secrets() {
        return secrets;
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", LibraryVersion.USER_AGENT);
        headers.forEach(b::setHeader);
        proxies.proxyAuthorization(uri(path)).ifPresent(value -> b.setHeader("Proxy-Authorization", value));
        return b;
    }

    private Reply exchange(HttpRequest.Builder request, String what, Duration timeout) {
        HttpRequest built = request.build();
        try {
            HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 407) { // the HTTP proxy in between answered, not the LiteLLM proxy
                throw ErrorResponses.fromHttpError(407, Map.of(), response.body(), context(built.uri()));
            }
            return new Reply(response.statusCode(), response.body() == null ? new byte[0] : response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ErrorCategory.CANCELLED, what + " to the LiteLLM proxy was interrupted", e);
        } catch (IOException e) {
            CallContext ctx = context(built.uri());
            if (ctx.proxyRoute().isPresent()
                    && !(e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException))) {
                // Through an HTTP proxy, a refused connection is the HTTP proxy's: name it.
                throw TransportFailures.fromIOException(e, ctx).toBuilder()
                        .attemptCount(0)
                        .build();
            }
            throw directFailure(e, what, timeout);
        } catch (IllegalArgumentException e) { // a header value the JDK refuses (it may quote the value)
            throw failure(
                    ErrorCategory.CONFIGURATION,
                    "cannot build " + what + " to the LiteLLM proxy: " + e.getMessage(),
                    null);
        }
    }

    private LlmException directFailure(IOException e, String what, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return failure(
                    ErrorCategory.CONNECTION,
                    "could not connect to the LiteLLM proxy at " + hostAndPort() + " for " + what
                            + " in time: is it running, and is LITELLM_PROXY_URL right?",
                    e);
        }
        if (e instanceof HttpTimeoutException) {
            return failure(
                            ErrorCategory.TIMEOUT,
                            "no reply from the LiteLLM proxy at " + hostAndPort() + " to " + what + " within "
                                    + seconds(timeout),
                            e)
                    .toBuilder()
                    .attemptCount(1)
                    .build();
        }
        if (e instanceof ConnectException) {
            return failure(
                    ErrorCategory.CONNECTION,
                    "could not connect to the LiteLLM proxy at " + hostAndPort() + " for " + what + " ("
                            + rootMessage(e) + "): is it running, and is LITELLM_PROXY_URL right?",
                    e);
        }
        return failure(
                ErrorCategory.CONNECTION,
                what + " to the LiteLLM proxy at " + hostAndPort() + " failed: " + rootMessage(e),
                e);
    }

    private CallContext context(URI uri) {
        return new CallContext(LiteLlmChatClient.BACKEND, "", uri, secrets, proxies);
    }

    private LlmException failure(ErrorCategory category, String message, Throwable cause) {
        LlmException.Builder b = LlmException.builder(category, Secrets.scrub(message, secrets))
                .backend(LiteLlmChatClient.BACKEND)
                .attemptCount(0);
        return (cause == null ? b : b.cause(new IOException(Secrets.scrub(cause.toString(), secrets)))).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
