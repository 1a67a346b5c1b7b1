package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.EnvProxySelector;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.ExchangePool;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.Http2Limit;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.errors.CallContext;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.ErrorResponses;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The OpenAI-compatible chat-completions exchange every backend shares: POST a JSON body, enforce
 * a time limit and a size limit, parse the reply, and turn every failure into an
 * {@link LlmException}.
 *
 * <p><b>Threads.</b> Each exchange runs as a blocking {@code HttpClient.send()} on the
 * transport's own bounded pool ({@code maxConcurrency} daemon threads, created lazily, idle ones
 * retire after a minute), not as {@code sendAsync}: on machines with two or fewer cores the JDK's
 * {@code sendAsync} starts a new thread for every call (see docs/ARCHITECTURE.md#threading-model).
 * The caller never blocks; calls beyond {@code maxConcurrency} wait in the pool's queue. Replies
 * are completed on these threads, so dependent stages without an executor run there: keep them
 * short, or pass your own executor ({@code thenApplyAsync(fn, executor)}). A blocking
 * {@code chat()} inside such a stage is safe: the pool lends itself an extra thread while it waits.
 *
 * <p><b>Cancellation and time limits.</b> Cancelling the returned future, or the time limit
 * passing, interrupts the exchange, which makes the JDK abort the HTTP request.
 *
 * <p><b>Protocol.</b> HTTP/2 for https endpoints (falling back to HTTP/1.1 when the server does
 * not offer it); plain HTTP/1.1 for http endpoints such as a gateway on the local network. Above
 * {@value #MAX_HTTP2_CONCURRENCY} concurrent calls https uses HTTP/1.1 too: the JDK puts all
 * HTTP/2 calls to a host on one connection and fails the calls beyond the server's stream limit
 * (commonly 100) with "too many concurrent streams" instead of queuing them (JDK-8225647).
 * Redirects are not followed: a redirected POST is a configuration problem to report, not to
 * paper over.
 *
 * <p><b>Proxies.</b> {@link Builder#applySettings} applies the proxy variables
 * ({@code HTTPS_PROXY}, {@code NO_PROXY}, ..., see {@link EnvProxySelector}); an explicit
 * {@link Builder#proxySelector} wins over them. The client keeps its connect timeout and
 * no-redirect policy either way; {@link #proxySetup()} says what it uses.
 */
public final class OpenAiHttpTransport implements AutoCloseable {

    /** Default cap on a reply body: 16 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
    /** Default time limit of one exchange when the call has none of its own. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    /** Default TCP (and proxy) connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Added to the JDK's own response timeout, which backs up the library's timer: if the timer
     * cannot fire, the JDK still ends the exchange a little later.
     */
    private static final Duration BACKSTOP = Duration.ofSeconds(5);
    /** Longer time limits are cut to this. */
    private static final Duration MAX_TIME_LIMIT = Duration.ofDays(30);

    /** Above this many concurrent calls, https uses HTTP/1.1 (see the class comment). */
    public static final int MAX_HTTP2_CONCURRENCY = Http2Limit.MAX_CONCURRENCY;

    private final String backend;
    private final ErrorDialect errorDialect;
    private final HttpClient http;
    private final ExchangePool exchanges;
    private final long maxResponseBytes;
    private final Duration defaultTimeout;
    private final List<String> secrets;
    private final CappedBodyHandler bodyHandler;
    private final boolean http2Allowed;
    private final ProxySetup proxySetup;

    private OpenAiHttpTransport(Builder b) {
        this.backend = b.backend;
        this.errorDialect = b.errorDialect;
        this.maxResponseBytes = b.maxResponseBytes;
        this.defaultTimeout = b.defaultTimeout;
        this.secrets = List.copyOf(b.secrets);
        this.bodyHandler = new CappedBodyHandler(maxResponseBytes);
        this.http2Allowed = b.maxConcurrency <= MAX_HTTP2_CONCURRENCY;
        this.proxySetup = b.effectiveProxySetup();
        this.http = b.httpClient != null
                ? b.httpClient
                : newClientBuilder(proxySetup, b.connectTimeout)
                        .version(HttpClient.Version.HTTP_2)
                        .executor(ioExecutor(backend))
                        .build();
        this.exchanges = new ExchangePool(backend + "-http", b.maxConcurrency);
    }

    /**
     * Starts the JDK client every backend call goes through: this connect timeout, redirects never
     * followed (a redirect means the URL is wrong, and would carry the key elsewhere), and these
     * proxies with their credentials.
     */
    static HttpClient.Builder newClientBuilder(ProxySetup proxies, Duration connectTimeout) {
        return proxies.configure(
                HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER));
    }

    /**
     * The executor of the JDK client's own non-blocking work (reading replies, completing the
     * exchange that {@code send()} waits for). Without one the JDK uses an unbounded cached pool
     * that grows to about twice the calls in flight (measured: 22 threads for 10 concurrent calls),
     * each thread woken in turn; a few threads that stay warm do the same work. Nothing blocks on
     * it: {@code send()} blocks the transport's own pool, and replies complete there.
     */
    private static java.util.concurrent.ExecutorService ioExecutor(String backend) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ThreadPoolExecutor executor = new java.util.concurrent.ThreadPoolExecutor(
                threads,
                threads,
                60,
                java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(),
                new io.github.llmbridge.core.internal.DaemonThreads(backend + "-http-io"));
        executor.allowCoreThreadTimeOut(true); // no close() on JDK 17's HttpClient: idle threads must go
        return executor;
    }

    /** Starts a builder; {@link Builder#backend(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the request as chat-completions JSON, lets the backend add its fields, and
     * {@linkplain #send(HttpCall) sends} it. A body that cannot be written fails the future with
     * category bad request before anything reaches the wire.
     *
     * @param uri       the endpoint
     * @param headers   the backend's headers (authorization, attribution)
     * @param request   the request
     * @param addFields adds backend-specific fields to the standard body
     */
    public CompletableFuture<ChatResponse> sendChat(
            URI uri, Map<String, String> headers, ChatRequest request, Consumer<ObjectNode> addFields) {
        ObjectNode body;
        try {
            body = ChatRequestJson.write(request);
            addFields.accept(body);
        } catch (IllegalArgumentException e) {
            return Futures.failed(cannotWrite(request, e));
        }
        if (body.path("stream").asBoolean(false)) {
            // extraBody("stream", true): the reply will be server-sent events, so read it as a stream
            // and assemble it, instead of failing (and retrying) on a body that is not one JSON object.
            askForUsage(body);
            return stream(HttpCall.of(uri, headers, body, request), chunk -> {});
        }
        return send(HttpCall.of(uri, headers, body, request));
    }

    /**
     * Starts the exchange and returns at once. The future completes with the parsed reply, or
     * exceptionally with an {@link LlmException}: the HTTP error mapped by {@link ErrorResponses},
     * an I/O failure (category connection), the time limit passing (timeout), an invalid or
     * oversized reply (invalid response), or cancellation.
     */
    public CompletableFuture<ChatResponse> send(HttpCall call) {
        CallContext ctx = callContext(call.model(), call.uri());
        byte[] body;
        HttpRequest.Builder request;
        try {
            body = writeBody(call);
            request = buildRequest(call, body);
        } catch (IllegalArgumentException e) {
            return Futures.failed(cannotBuild(call, e));
        }
        Duration limit = timeLimit(call);
        Exchange exchange = new Exchange(
                http, request.timeout(limit.plus(BACKSTOP)).build(), body, bodyHandler, ctx, limit, exchanges.size());
        exchange.startTimer();
        try {
            exchange.queued(exchanges.submit(exchange));
        } catch (RejectedExecutionException e) {
            exchange.result().completeExceptionally(closed(call));
        }
        return exchange.result();
    }

    /**
     * Like {@link #sendChat}, for a streamed reply: the body also asks for {@code "stream": true}
     * and {@code "stream_options": {"include_usage": true}} (so usage and cost arrive), each event
     * goes to {@code onChunk} as it arrives, on the exchange's pool thread, and the future
     * completes with the reply the events add up to. See {@link StreamExchange} for the endings
     * and failures.
     */
    public CompletableFuture<ChatResponse> streamChat(
            URI uri,
            Map<String, String> headers,
            ChatRequest request,
            Consumer<ObjectNode> addFields,
            Consumer<? super ChatChunk> onChunk) {
        ObjectNode body;
        try {
            body = ChatRequestJson.write(request);
            addFields.accept(body);
        } catch (IllegalArgumentException e) {
            return Futures.failed(cannotWrite(request, e));
        }
        body.put("stream", true);
        askForUsage(body);
        return stream(HttpCall.of(uri, headers, body, request), onChunk);
    }

    /** Adds {@code stream_options.include_usage: true} unless the body already says otherwise. */
    private static void askForUsage(ObjectNode body) {
        JsonNode options = body.get("stream_options");
        ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
        if (!streamOptions.has("include_usage")) {
            streamOptions.put("include_usage", true);
        }
    }

    /** Starts a streamed exchange for a prepared call whose body asks for a stream; see {@link #streamChat}. */
    public CompletableFuture<ChatResponse> stream(HttpCall call, Consumer<? super ChatChunk> onChunk) {
        CallContext ctx = callContext(call.model(), call.uri());
        HttpRequest.Builder request;
        try {
            request = buildRequest(call, writeBody(call)).setHeader("Accept", "text/event-stream");
        } catch (IllegalArgumentException e) {
            return Futures.failed(cannotBuild(call, e));
        }
        Duration limit = timeLimit(call);
        StreamExchange exchange = new StreamExchange(
                http, request.timeout(limit.plus(BACKSTOP)).build(), ctx, limit, maxResponseBytes, onChunk);
        exchange.startTimer();
        try {
            exchange.queued(exchanges.submit(exchange));
        } catch (RejectedExecutionException e) {
            exchange.result().completeExceptionally(closed(call));
        }
        return exchange.result();
    }

    /** The call's time limit: its own, else the client's, never more than the timer can hold. */
    private Duration timeLimit(HttpCall call) {
        Duration limit = call.timeout() != null ? call.timeout() : defaultTimeout;
        return limit.compareTo(MAX_TIME_LIMIT) > 0 ? MAX_TIME_LIMIT : limit; // "forever" must not overflow the timer
    }

    /** A request the JDK refused to build; its message may quote a header value (the key), so it is scrubbed. */
    private LlmException cannotBuild(HttpCall call, IllegalArgumentException e) {
        return LlmException.builder(
                        ErrorCategory.CONFIGURATION,
                        Secrets.scrub(
                                "cannot build a request to "
                                        + Secrets.displayUrl(call.uri().toString()) + ": " + e.getMessage(),
                                secrets))
                .backend(backend)
                .model(call.model())
                .attemptCount(0)
                .build();
    }

    private LlmException cannotWrite(ChatRequest request, IllegalArgumentException e) {
        return LlmException.builder(ErrorCategory.BAD_REQUEST, "cannot write the request as JSON: " + e.getMessage())
                .backend(backend)
                .model(request.model())
                .attemptCount(0)
                .build();
    }

    private LlmException closed(HttpCall call) {
        return LlmException.builder(ErrorCategory.CANCELLED, "the " + backend + " client is closed")
                .backend(backend)
                .model(call.model())
                .attemptCount(0)
                .build();
    }

    private static byte[] writeBody(HttpCall call) {
        try {
            return Json.MAPPER.writeValueAsBytes(call.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder buildRequest(HttpCall call, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", LibraryVersion.USER_AGENT);
        if (!http2Allowed || "http".equalsIgnoreCase(call.uri().getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-HTTP proxies
        }
        call.headers().forEach(builder::setHeader);
        proxySetup.proxyAuthorization(call.uri()).ifPresent(value -> builder.setHeader("Proxy-Authorization", value));
        return builder;
    }

    /** Returns the backend name this transport reports in errors and replies. */
    public String backend() {
        return backend;
    }

    /**
     * Returns what error messages need to know about a call of this backend to {@code uri}: the
     * backend, its secrets, proxies and {@link ErrorDialect}. A backend's other calls (account,
     * health) map their errors through {@link ErrorResponses} with it, as chat calls do.
     *
     * @param model the requested model, {@code ""} when not a chat call
     */
    public CallContext callContext(String model, URI uri) {
        return new CallContext(backend, model, uri, secrets, proxySetup, errorDialect);
    }

    /** Returns what this backend knows about its server's error replies. */
    public ErrorDialect errorDialect() {
        return errorDialect;
    }

    /**
     * Returns the JDK client exchanges go through; a backend's other calls (account, health) use
     * it too, through {@link JsonHttp#of}, so they get the same proxy, TLS and connect-timeout
     * settings.
     */
    public HttpClient httpClient() {
        return http;
    }

    /**
     * Returns the proxies the HTTP client uses (for a client given with {@link Builder#httpClient},
     * its own selector, without credentials).
     */
    public ProxySetup proxySetup() {
        return proxySetup;
    }

    /** Returns the secrets scrubbed from messages (the backend's key). */
    List<String> secrets() {
        return secrets;
    }

    /** Returns the reply-size cap in bytes. */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Returns the time limit used when a call has none. */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Stops accepting exchanges; those already started or queued still finish. Later calls fail
     * with category cancelled.
     */
    @Override
    public void close() {
        exchanges.shutdown();
    }

    @Override
    public String toString() {
        return "OpenAiHttpTransport[" + backend + ", concurrency=" + exchanges.size() + "]";
    }

    /** Builds an {@link OpenAiHttpTransport}. */
    public static final class Builder {
        private String backend;
        private ErrorDialect errorDialect = ErrorDialect.GENERIC;
        private int maxConcurrency = 16;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private final List<String> secrets = new ArrayList<>();
        private HttpClient httpClient;
        private ProxySelector proxySelector;
        private String proxyUser;
        private String proxyPassword;
        private ProxySetup settingsProxy = ProxySetup.jdkDefault();

        private Builder() {}

        /** Sets the backend name used in messages and replies (required). */
        public Builder backend(String backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Sets what the backend knows about its own error replies, refining the generic
         * OpenAI-format rules; default {@link ErrorDialect#GENERIC}.
         */
        public Builder errorDialect(ErrorDialect errorDialect) {
            this.errorDialect = Objects.requireNonNull(errorDialect, "errorDialect");
            return this;
        }

        /**
         * Applies the settings every backend shares: {@code LLM_TIMEOUT_SECONDS} (else
         * {@code LITELLM_DEFAULT_TIMEOUT}) as the default time limit, {@code LLM_MAX_RESPONSE_BYTES}
         * as the reply-size cap, the given variable as the concurrency, and the proxy variables
         * ({@link ProxySetup#fromSettings}; an explicit {@link #proxySelector} wins).
         *
         * @throws LlmException category configuration naming a variable with a bad value
         */
        public Builder applySettings(Settings settings, String concurrencyVariable, int defaultConcurrency) {
            settings.seconds(CoreVariables.LLM_TIMEOUT_SECONDS).ifPresent(this::defaultTimeout);
            maxResponseBytes(
                    settings.positiveInt(CoreVariables.LLM_MAX_RESPONSE_BYTES, (int) DEFAULT_MAX_RESPONSE_BYTES));
            settingsProxy = ProxySetup.fromSettings(settings);
            return maxConcurrency(settings.positiveInt(concurrencyVariable, defaultConcurrency));
        }

        /**
         * Routes calls through the proxies this selector picks (an {@link EnvProxySelector}, or
         * {@code HttpClient.Builder.NO_PROXY} for none), whatever the proxy variables say.
         */
        public Builder proxySelector(ProxySelector proxySelector) {
            this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector");
            return this;
        }

        /**
         * Answers proxy challenges ({@code 407}) with these credentials, for whichever proxy is
         * used; they win over credentials written in a proxy URL.
         */
        public Builder proxyCredentials(String username, String password) {
            this.proxyUser = Objects.requireNonNull(username, "username");
            this.proxyPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        ProxySetup effectiveProxySetup() {
            boolean explicit = proxySelector != null || proxyUser != null;
            if (httpClient != null) {
                if (explicit) {
                    throw new IllegalStateException("proxySelector/proxyCredentials cannot be combined with"
                            + " httpClient(...): configure the proxy on that HttpClient, or drop httpClient(...)");
                }
                return ProxySetup.of(httpClient);
            }
            ProxySetup setup = proxySelector != null ? ProxySetup.of(proxySelector) : settingsProxy;
            return proxyUser != null ? setup.withCredentials(proxyUser, proxyPassword) : setup;
        }

        /** Sets how many exchanges run at once (threads of the transport's pool); default 16. */
        public Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
            }
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** Sets the reply-size cap in bytes; default 16 MiB. */
        public Builder maxResponseBytes(long maxResponseBytes) {
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** Sets the time limit for calls without their own; default 600 s. */
        public Builder defaultTimeout(Duration defaultTimeout) {
            this.defaultTimeout = positive(defaultTimeout, "defaultTimeout");
            return this;
        }

        /** Sets the TCP (and proxy) connect timeout; default 10 s. Ignored when {@link #httpClient} is given. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Adds a secret (an API key) that must be scrubbed from messages and headers. */
        public Builder secret(String secret) {
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
            }
            return this;
        }

        /**
         * Uses a ready-made {@link HttpClient} (TLS settings) instead of the default one; the proxy
         * variables are then ignored, and {@link #proxySelector} may not be set.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Returns the transport. */
        public OpenAiHttpTransport build() {
            if (backend == null || backend.isBlank()) {
                throw new IllegalStateException("OpenAiHttpTransport needs a backend name");
            }
            return new OpenAiHttpTransport(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
