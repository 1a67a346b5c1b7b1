package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.errors.BodyExcerpt;
import io.github.llmbridge.core.internal.errors.CallContext;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.ErrorResponses;
import io.github.llmbridge.core.internal.errors.TransportFailures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls a backend makes beside chat completions (an account's credit, a model catalogue, a
 * server's health and admin endpoints): one {@code GET} or {@code POST} of JSON through the same
 * {@link HttpClient} and proxies as the backend's chat calls, with the reply capped in size,
 * secrets scrubbed from every message, and failures mapped by {@link ErrorResponses} and
 * {@link TransportFailures} as chat calls' are.
 *
 * <pre>{@code
 * JsonHttp http = JsonHttp.of(transport);                       // the chat client's client and proxies
 * JsonNode key = http.get(URI.create(base + "/key"), headers, Duration.ofSeconds(30)).jsonObject();
 * }</pre>
 *
 * <p><b>Replies.</b> A call returns the server's answer, whatever its status, so a health check
 * can read a 503 as "not ready"; {@link Reply#jsonObject()} turns anything but a 2xx JSON object
 * into the mapped {@link LlmException}. Two kinds of answer are never returned, because they are
 * about the route, not the server's answer to the request: a redirect (3xx, not followed: the URL
 * is wrong) and a {@code 407} (an HTTP proxy in between wants credentials). Both are thrown,
 * mapped by {@link ErrorResponses}.
 *
 * <p><b>Failures</b> are {@link LlmException}s: the time limit passing is category timeout naming
 * the limit; any other I/O failure is mapped by {@link TransportFailures} (connection, DNS, TLS,
 * the HTTP proxy that failed, a reply over the size cap as invalid response); a header value the
 * JDK refuses is configuration; an interrupt is cancelled. Configured secrets never appear in a
 * message.
 *
 * <p><b>Threads.</b> A call blocks its thread in {@code HttpClient.send()}. These calls are not
 * the chat hot path: they take no slot of the transport's pool and keep working after the chat
 * client is closed. HTTP/1.1 is used for plain-http URLs, as for chat calls (no h2c upgrade).
 */
public final class JsonHttp {

    private static final Logger log = LoggerFactory.getLogger(JsonHttp.class);
    /** How much of a body a DEBUG line shows. */
    private static final int LOGGED_BODY_CHARS = 2_000;
    /** How much of a body a message quotes. */
    private static final int QUOTED_BODY_CHARS = 200;

    private final String backend;
    private final HttpClient http;
    private final ProxySetup proxies;
    private final List<String> secrets;
    private final long maxResponseBytes;
    private final CappedBodyHandler bodyHandler;
    private final ErrorDialect errorDialect;

    private JsonHttp(
            String backend,
            HttpClient http,
            ProxySetup proxies,
            List<String> secrets,
            long maxResponseBytes,
            ErrorDialect errorDialect) {
        this.backend = backend;
        this.errorDialect = errorDialect;
        this.http = http;
        this.proxies = proxies;
        this.secrets = List.copyOf(secrets);
        this.maxResponseBytes = maxResponseBytes;
        this.bodyHandler = new CappedBodyHandler(maxResponseBytes);
    }

    /**
     * Returns the non-chat calls of a chat transport's backend: its name, {@link HttpClient},
     * proxies, secrets, reply-size cap and {@link ErrorDialect}.
     */
    public static JsonHttp of(OpenAiHttpTransport transport) {
        return new JsonHttp(
                transport.backend(),
                transport.httpClient(),
                transport.proxySetup(),
                transport.secrets(),
                transport.maxResponseBytes(),
                transport.errorDialect());
    }

    /**
     * Starts a builder for calls made without a chat transport (an account or server object built
     * on its own).
     *
     * @param backend the backend name used in messages and exceptions
     */
    public static Builder builder(String backend) {
        return new Builder(backend);
    }

    /** Returns these calls with more secrets to scrub (an admin token, another key). */
    public JsonHttp withSecrets(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        more.stream().filter(s -> s != null && !s.isEmpty() && !all.contains(s)).forEach(all::add);
        return new JsonHttp(backend, http, proxies, all, maxResponseBytes, errorDialect);
    }

    /**
     * Sends a {@code GET} and returns the reply.
     *
     * @param uri     where to
     * @param headers headers to send (authorization, attribution); values are never shown
     * @param timeout how long to wait for the reply
     * @throws LlmException a redirect or 407 (mapped by {@link ErrorResponses}), or a failure to
     *                      get a reply (see the class comment)
     */
    public Reply get(URI uri, Map<String, String> headers, Duration timeout) {
        return send("GET", uri, headers, null, timeout);
    }

    /**
     * Sends a {@code POST} of a JSON body and returns the reply.
     *
     * @param body the body, sent as {@code application/json}
     * @throws LlmException as {@link #get}
     */
    public Reply post(URI uri, Map<String, String> headers, JsonNode body, Duration timeout) {
        return send("POST", uri, headers, Objects.requireNonNull(body, "body"), timeout);
    }

    /** Returns the secrets scrubbed from messages. */
    public List<String> secrets() {
        return secrets;
    }

    /** Returns the proxies the HTTP client uses, as named in failures. */
    public ProxySetup proxySetup() {
        return proxies;
    }

    /** Returns the reply-size cap in bytes. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    private Reply send(String method, URI uri, Map<String, String> headers, JsonNode body, Duration timeout) {
        positive(timeout, "timeout");
        CallContext ctx = new CallContext(backend, "", uri, secrets, proxies, errorDialect);
        HttpRequest request;
        try {
            request = request(uri, headers, body, timeout);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes a refused header value, which may be the key: scrub it.
            throw LlmException.builder(
                            ErrorCategory.CONFIGURATION,
                            Secrets.scrub(
                                    "cannot build " + method + " " + Secrets.displayUrl(uri.toString()) + ": "
                                            + e.getMessage(),
                                    secrets))
                    .backend(backend)
                    .attemptCount(0)
                    .build();
        }
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, bodyHandler);
            Reply reply = new Reply(
                    method,
                    response.statusCode(),
                    HeadersOfInterest.select(response.headers(), secrets),
                    response.body() == null ? new byte[0] : response.body(),
                    ctx);
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {} {} answered HTTP {} in {} ms, body: {}",
                        backend,
                        method,
                        Secrets.displayUrl(uri.toString()),
                        reply.status(),
                        (System.nanoTime() - started) / 1_000_000,
                        reply.excerpt(LOGGED_BODY_CHARS));
            }
            if (reply.status() == 407 || (reply.status() >= 300 && reply.status() < 400)) {
                throw reply.error(); // about the route, not the server's answer: see the class comment
            }
            return reply;
        } catch (HttpTimeoutException e) {
            if (e instanceof HttpConnectTimeoutException) {
                throw TransportFailures.fromIOException(e, ctx);
            }
            throw noReplyInTime(method, ctx, timeout, e);
        } catch (IOException e) {
            throw TransportFailures.fromIOException(e, ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.builder(
                            ErrorCategory.CANCELLED,
                            "interrupted while waiting for " + backend + " to answer " + method + " "
                                    + Secrets.displayUrl(uri.toString()))
                    .backend(backend)
                    .attemptCount(1)
                    .build();
        }
    }

    private HttpRequest request(URI uri, Map<String, String> headers, JsonNode body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", LibraryVersion.USER_AGENT);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // as chat calls: no h2c upgrade dance with plain-HTTP proxies
        }
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        headers.forEach(b::setHeader);
        proxies.proxyAuthorization(uri).ifPresent(value -> b.setHeader("Proxy-Authorization", value));
        return b.build();
    }

    private static byte[] write(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static LlmException noReplyInTime(String method, CallContext ctx, Duration limit, IOException cause) {
        String via = ctx.proxyRoute()
                .map(p -> " through the HTTP proxy " + p.proxyUrl() + " (from " + p.reason() + ")")
                .orElse("");
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        Secrets.scrub(
                                "no reply from " + ctx.backend() + " at " + ctx.hostAndPort() + via + " to " + method
                                        + " " + ctx.uri().getRawPath() + " within " + Exchange.describe(limit)
                                        + " (the request's time limit)",
                                ctx.secrets()))
                .cause(cause)
                .backend(ctx.backend())
                .attemptCount(1)
                .build();
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** Shows the backend and proxies; never the secrets. */
    @Override
    public String toString() {
        return "JsonHttp[" + backend + ", " + proxies + "]";
    }

    /**
     * One reply: its status, the headers worth keeping ({@link HeadersOfInterest}, secrets
     * scrubbed) and its body as received (at most the size cap).
     */
    public static final class Reply {
        private final String method;
        private final int status;
        private final Map<String, String> headers;
        private final byte[] body;
        private final CallContext ctx;

        Reply(String method, int status, Map<String, String> headers, byte[] body, CallContext ctx) {
            this.method = method;
            this.status = status;
            this.headers = Map.copyOf(headers);
            this.body = body;
            this.ctx = ctx;
        }

        /** Returns the HTTP status. */
        public int status() {
            return status;
        }

        /** Returns whether the status is 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Returns the headers worth keeping, lower-case names, secrets scrubbed. */
        public Map<String, String> headers() {
            return headers;
        }

        /** Returns the body as received; read it, do not modify it. */
        public byte[] body() {
            return body;
        }

        /** Returns the URI the request went to. */
        public URI uri() {
            return ctx.uri();
        }

        /** Returns the body as JSON of any shape, or empty when it is empty or not JSON. */
        public Optional<JsonNode> json() {
            if (body.length == 0) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(Json.MAPPER.readTree(body));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /**
         * Returns the body as a JSON object.
         *
         * @throws LlmException {@link #error()} for a status other than 2xx; invalid response when
         *                      the body is not a JSON object (not retryable when it is an HTML
         *                      page: the URL is wrong)
         */
        public JsonNode jsonObject() {
            if (!ok()) {
                throw error();
            }
            JsonNode root = json().orElse(null);
            if (root != null && root.isObject()) {
                return root;
            }
            boolean html = ChatCompletionReader.looksLikeHtml(body);
            String what = html
                    ? "the reply is an HTML page, not a JSON object: is the URL right? "
                    : "the reply is not a JSON object: ";
            String quoted = excerpt(QUOTED_BODY_CHARS);
            String message = "HTTP " + status + " from " + ctx.backend() + " " + method + " "
                    + Secrets.displayUrl(ctx.uri().toString()) + ", but " + what
                    + (quoted.isEmpty() ? "(empty)" : quoted);
            throw LlmException.builder(ErrorCategory.INVALID_RESPONSE, Secrets.scrub(message, ctx.secrets()))
                    .httpStatus(status)
                    .backend(ctx.backend())
                    .headers(headers)
                    .retryable(!html)
                    .attemptCount(1)
                    .build();
        }

        /**
         * Returns the reply mapped to an {@link LlmException} by {@link ErrorResponses}, as a chat
         * call's error reply is: category from the status and the provider's error body,
         * {@code Retry-After}, headers and provider metadata kept, secrets scrubbed.
         */
        public LlmException error() {
            return ErrorResponses.fromHttpError(status, headers, body, ctx);
        }

        /**
         * Returns the start of the body for a message: secrets scrubbed, whitespace collapsed, at
         * most {@code maxChars} characters ({@code ""} when empty).
         */
        public String excerpt(int maxChars) {
            return BodyExcerpt.of(body, ctx, maxChars);
        }

        /** Shows the method, status and URL; never the body or header values. */
        @Override
        public String toString() {
            return "JsonHttp.Reply[" + method + " "
                    + Secrets.displayUrl(ctx.uri().toString()) + " -> " + status + "]";
        }
    }

    /** Builds a {@link JsonHttp} that does not share a chat transport. */
    public static final class Builder {
        private final String backend;
        private HttpClient httpClient;
        private ProxySetup proxies;
        private final List<String> secrets = new ArrayList<>();
        private long maxResponseBytes = OpenAiHttpTransport.DEFAULT_MAX_RESPONSE_BYTES;
        private Duration connectTimeout = OpenAiHttpTransport.DEFAULT_CONNECT_TIMEOUT;
        private ErrorDialect errorDialect = ErrorDialect.GENERIC;

        private Builder(String backend) {
            if (backend == null || backend.isBlank()) {
                throw new IllegalArgumentException("JsonHttp needs a backend name");
            }
            this.backend = backend;
        }

        /**
         * Uses this {@link HttpClient}; its own proxy selector is then the one named in failures
         * unless {@link #proxySetup} says more (credentials). Default: a client built like the chat
         * transport's (connect timeout, redirects not followed, {@link #proxySetup}'s proxies).
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Sets the proxies (and proxy credentials); default the JDK's own selector. */
        public Builder proxySetup(ProxySetup proxies) {
            this.proxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        /** Adds secrets (keys, tokens) to scrub from every message; {@code null}s are ignored. */
        public Builder secrets(Collection<String> secrets) {
            secrets.stream().filter(s -> s != null && !s.isEmpty()).forEach(this.secrets::add);
            return this;
        }

        /** Sets the reply-size cap in bytes; default {@link OpenAiHttpTransport#DEFAULT_MAX_RESPONSE_BYTES}. */
        public Builder maxResponseBytes(long maxResponseBytes) {
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** Sets the connect timeout of the default client; ignored when {@link #httpClient} is given. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Sets what the backend knows about its server's error replies; default the generic rules. */
        public Builder errorDialect(ErrorDialect errorDialect) {
            this.errorDialect = Objects.requireNonNull(errorDialect, "errorDialect");
            return this;
        }

        /** Returns the calls. */
        public JsonHttp build() {
            ProxySetup setup = proxies != null
                    ? proxies
                    : httpClient != null ? ProxySetup.of(httpClient) : ProxySetup.jdkDefault();
            HttpClient client = httpClient != null
                    ? httpClient
                    : OpenAiHttpTransport.newClientBuilder(setup, connectTimeout)
                            .build();
            return new JsonHttp(backend, client, setup, secrets, maxResponseBytes, errorDialect);
        }
    }
}
