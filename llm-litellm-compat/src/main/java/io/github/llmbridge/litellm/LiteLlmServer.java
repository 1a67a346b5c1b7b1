package io.github.llmbridge.litellm;

import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_ADMIN_TOKEN;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_API_KEY;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_KEY_HEADER;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_PROXY_URL;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.HeaderValues;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.settings.Settings;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks and admin calls of a LiteLLM proxy, for trainers that start the proxy themselves
 * and flush its tracer at the end of each training step:
 *
 * <pre>{@code
 * LiteLlmServer proxy = LiteLlmServer.fromEnv();   // LITELLM_PROXY_URL, LITELLM_ADMIN_TOKEN, ...
 * proxy.waitUntilReady(Duration.ofSeconds(60));
 * // ... a training step's judge calls ...
 * if (!proxy.flushTracer(Duration.ofSeconds(30))) log.warn("some traces may not be written yet");
 * }</pre>
 *
 * <p>Calls block the calling thread (they are not on the chat path). The admin token and the key
 * are secrets: they never appear in messages, logs or {@link #toString()}.
 */
public final class LiteLlmServer {

    private static final Logger log = LoggerFactory.getLogger(LiteLlmServer.class);

    /** Time limit of liveliness and readiness checks unless set. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Time limit of {@link #health()}: the proxy makes a real call to every deployment. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(120);

    /**
     * The admin flush path of rLLM's proxy (rLLM v0.2.1 to v0.3.0-pre). No rLLM version has a
     * {@code /admin/tracer/flush}, so no other spelling is tried.
     */
    private static final String FLUSH_PATH = "/admin/flush-tracer";
    /** The proxy answers a flush only after it finished or gave up: allow that much longer. */
    private static final Duration FLUSH_REPLY_MARGIN = Duration.ofSeconds(10);

    /** What to check when the server cannot be reached at all. */
    private static final String NOT_REACHABLE_FIX =
            "is it running (litellm --config config.yaml --port 4000), and is LITELLM_PROXY_URL right?";
    /** How much of a reply a message quotes. */
    private static final int QUOTED_CHARS = 300;

    private static final long FIRST_POLL_MILLIS = 100;
    private static final long MAX_POLL_MILLIS = 1_000;
    /** The shortest liveliness check worth making: a loopback round trip fits easily. */
    private static final long MIN_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final URI root;
    private final Map<String, String> keyHeaders;
    private final String adminToken;
    private final String adminTokenSource;
    private final Duration requestTimeout;
    private final JsonHttp http;

    private LiteLlmServer(Builder b) {
        this.root = URI.create(LiteLlmChatClient.serverRoot(b.serverUrl));
        this.keyHeaders = b.keyHeader.headersFor(b.apiKey);
        this.adminToken = b.adminToken;
        this.adminTokenSource = b.adminTokenSource;
        this.requestTimeout = b.requestTimeout;
        List<String> secrets = new ArrayList<>();
        if (b.apiKey != null) {
            secrets.add(b.apiKey);
        }
        if (b.adminToken != null) {
            secrets.add(b.adminToken);
        }
        if (b.transport != null) {
            this.http = JsonHttp.of(b.transport).withSecrets(secrets);
        } else {
            JsonHttp.Builder own = JsonHttp.builder(LiteLlmChatClient.BACKEND)
                    .errorDialect(LiteLlmErrorDialect.INSTANCE)
                    .proxySetup(b.effectiveProxySetup())
                    .connectTimeout(b.connectTimeout)
                    .secrets(secrets);
            this.http = (b.httpClient != null ? own.httpClient(b.httpClient) : own).build();
        }
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the proxy the environment configures; see {@link #fromSettings(Settings)}.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static LiteLlmServer fromEnv() {
        return fromSettings(Settings.fromEnvironment());
    }

    /**
     * Returns the proxy the settings configure: {@code LITELLM_PROXY_URL}, {@code LITELLM_API_KEY}
     * (else {@code OPENAI_API_KEY}) and {@code LITELLM_KEY_HEADER} for {@link #health()},
     * {@code LITELLM_ADMIN_TOKEN} for {@link #flushTracer(Duration)}, and the HTTP proxy variables
     * ({@code HTTPS_PROXY}, {@code NO_PROXY}, ..., as for the chat client).
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static LiteLlmServer fromSettings(Settings settings) {
        Optional<Settings.Setting> key = settings.first(LITELLM_API_KEY);
        Builder b = builder()
                .serverUrl(settings.httpUrl(LiteLlmChatClient.DEFAULT_SERVER_URL, LITELLM_PROXY_URL)
                        .toString())
                .apiKey(key.map(Settings.Setting::value).orElse(null))
                .adminToken(settings.get(LITELLM_ADMIN_TOKEN).orElse(null));
        key.ifPresent(k -> b.apiKeySource = k.name());
        b.adminTokenSource = LITELLM_ADMIN_TOKEN.name();
        b.settingsProxy = ProxySetup.fromSettings(settings);
        settings.get(LITELLM_KEY_HEADER)
                .ifPresent(v -> b.keyHeader(LiteLlmKeyHeader.parse(v, LITELLM_KEY_HEADER.name())));
        return b.build();
    }

    /**
     * Asks {@code GET /health/liveliness} (no key needed) whether the proxy process is up.
     *
     * @return {@code true} when it answered 2xx; {@code false} when it answered otherwise or could
     *         not be reached
     */
    public boolean liveliness() {
        return probeLiveliness(requestTimeout) == null;
    }

    /**
     * Asks {@code GET /health/readiness} (no key needed) whether the proxy is ready to serve: its
     * database and cache connected. Never throws for an unreachable or unhealthy proxy: the
     * result says why it is not ready.
     */
    public ServerReadiness readiness() {
        JsonHttp.Reply reply;
        try {
            reply = get("/health/readiness", Map.of(), requestTimeout);
        } catch (LlmException e) {
            return new ServerReadiness(false, 0, "", "", "", e.getMessage());
        }
        JsonNode json = reply.json().orElse(null);
        String status = text(json, "status");
        boolean ready = reply.ok() && !status.toLowerCase(Locale.ROOT).contains("unhealthy");
        return new ServerReadiness(
                ready,
                reply.status(),
                status,
                text(json, "db"),
                text(json, "litellm_version"),
                ready ? "" : "HTTP " + reply.status() + ": " + describe(reply));
    }

    /**
     * Asks {@code GET /health} (needs a valid key) to call every deployment once; see
     * {@link #health(Duration)}. Time limit {@link #DEFAULT_HEALTH_TIMEOUT}.
     */
    public ServerHealth health() {
        return health(DEFAULT_HEALTH_TIMEOUT);
    }

    /**
     * Asks {@code GET /health} (needs a valid key) to call every deployment once, and returns which
     * answered. This costs one small real call per deployment.
     *
     * @param timeout how long to wait for the whole check
     * @throws LlmException category authentication when the key is missing or rejected (any other
     *                      error status mapped as a chat call's); connection or timeout when the
     *                      proxy cannot be reached in time; invalid response when the reply is not
     *                      a JSON object or larger than the size cap
     */
    public ServerHealth health(Duration timeout) {
        JsonNode json = get("/health", keyHeaders, positive(timeout, "timeout")).jsonObject();
        return new ServerHealth(endpoints(json.get("healthy_endpoints")), endpoints(json.get("unhealthy_endpoints")));
    }

    /**
     * Asks rLLM's proxy (rLLM v0.2.1 to v0.3.0-pre) to write every trace it has queued
     * ({@code POST /admin/flush-tracer}) with {@code {"timeout": seconds}}, sending
     * {@code Authorization: Bearer <LITELLM_ADMIN_TOKEN>} when a token is set. Call it at the end of
     * a training step, before reading the step's traces.
     *
     * @param timeout how long the proxy may take to flush; the call waits a little longer for its answer
     * @return {@code true} when flushed; {@code false} when the proxy's flush timed out (HTTP 408):
     *         some traces may not be written yet
     * @throws LlmException category authentication when the admin token is missing or wrong (401);
     *                      configuration when the proxy has no tracer configured (503) or no flush
     *                      endpoint (404: a stock LiteLLM proxy, or rLLM's model gateway, whose
     *                      flush is {@code POST /admin/flush}); server error for other failures; connection or timeout
     *                      when the proxy cannot be reached in time
     */
    public boolean flushTracer(Duration timeout) {
        positive(timeout, "timeout");
        Map<String, String> headers = adminToken == null ? Map.of() : Map.of("Authorization", "Bearer " + adminToken);
        JsonNode body = Json.MAPPER.createObjectNode().put("timeout", timeout.toNanos() / 1e9);
        Duration replyTimeout = timeout.plus(FLUSH_REPLY_MARGIN);
        JsonHttp.Reply reply = reachable(() -> http.post(uri(FLUSH_PATH), headers, body, replyTimeout));
        if (reply.status() != 404) {
            return flushResult(reply, FLUSH_PATH, timeout);
        }
        throw LlmException.builder(
                        ErrorCategory.CONFIGURATION,
                        "the server at " + hostAndPort() + " has no tracer flush endpoint (POST " + FLUSH_PATH
                                + " answered HTTP 404: " + describe(reply)
                                + "); flushing needs rLLM's LiteLLM proxy (python -m rllm.sdk.proxy.litellm_server,"
                                + " rLLM v0.2.1 to v0.3.0-pre only). For rLLM's current model gateway use the rllm"
                                + " backend's RllmGateway.flush (POST /admin/flush)")
                .httpStatus(404)
                .backend(LiteLlmChatClient.BACKEND)
                .attemptCount(1)
                .build();
    }

    private boolean flushResult(JsonHttp.Reply reply, String path, Duration timeout) {
        int status = reply.status();
        if (reply.ok()) {
            log.debug("LiteLLM proxy at {} flushed its tracer", hostAndPort());
            return true;
        }
        String what = "POST " + path + " on the LiteLLM proxy at " + hostAndPort() + " answered HTTP " + status;
        return switch (status) {
            case 408 -> {
                log.warn(
                        "{}: the tracer flush did not finish within {}; some traces may not be written yet",
                        what,
                        seconds(timeout));
                yield false;
            }
            case 401, 403 ->
                throw adminError(
                        ErrorCategory.AUTHENTICATION,
                        status,
                        what + " (" + describe(reply)
                                + "): "
                                + (adminToken == null
                                        ? "the proxy requires an admin token; set " + LITELLM_ADMIN_TOKEN.name()
                                                + " to the value of its --admin-token"
                                        : "the admin token from " + adminTokenSource
                                                + " was rejected; it must equal the proxy's --admin-token"));
            case 503 ->
                throw adminError(
                        ErrorCategory.CONFIGURATION,
                        status,
                        what + ": the proxy has no tracer configured,"
                                + " so there is nothing to flush (start rLLM's proxy with --db-path to record traces): "
                                + describe(reply));
            default ->
                throw adminError(
                        status >= 500 ? ErrorCategory.SERVER_ERROR : ErrorCategory.BAD_REQUEST,
                        status,
                        what + ": " + describe(reply));
        };
    }

    private LlmException adminError(ErrorCategory category, int status, String message) {
        return LlmException.builder(category, Secrets.scrub(message, http.secrets()))
                .httpStatus(status)
                .backend(LiteLlmChatClient.BACKEND)
                .attemptCount(1)
                .build();
    }

    /**
     * Polls {@link #liveliness()} until the proxy is up, waiting 100 ms between checks at first
     * and up to 1 s later; for trainers that start the proxy themselves.
     *
     * @param timeout how long to wait in all
     * @throws LlmException category timeout, saying what the last check saw, when the proxy is not
     *                      alive in time; cancelled when the thread is interrupted
     */
    public void waitUntilReady(Duration timeout) {
        long deadline = System.nanoTime() + positive(timeout, "timeout").toNanos();
        long pause = FIRST_POLL_MILLIS;
        String lastSeen = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (lastSeen != null && remaining < MIN_PROBE_NANOS) {
                throw notAliveInTime(timeout, lastSeen); // a check this short would only report its own timeout
            }
            Duration probe = Duration.ofNanos(Math.max(MIN_PROBE_NANOS, Math.min(remaining, requestTimeout.toNanos())));
            lastSeen = probeLiveliness(probe);
            if (lastSeen == null) {
                return;
            }
            if (lastSeen.startsWith("HTTP 404") && isModelGateway(probe)) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        "the server at " + hostAndPort() + " is rLLM's model gateway, not a LiteLLM proxy (it has no"
                                + " GET /health/liveliness; GET /health answered {\"status\": \"ok\"}): use the rllm"
                                + " backend (LLM_BACKEND=rllm, RLLM_GATEWAY_URL) and its RllmGateway.waitUntilReady");
            }
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw notAliveInTime(timeout, lastSeen);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(pause)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LlmException.builder(
                                ErrorCategory.CANCELLED,
                                "interrupted while waiting for the LiteLLM proxy at " + hostAndPort())
                        .backend(LiteLlmChatClient.BACKEND)
                        .attemptCount(0)
                        .build();
            }
            pause = Math.min(MAX_POLL_MILLIS, pause * 2);
        }
    }

    private LlmException notAliveInTime(Duration timeout, String lastSeen) {
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        "the LiteLLM proxy at " + hostAndPort()
                                + " was not alive after " + seconds(timeout) + " (last check: " + lastSeen
                                + "); start it (e.g. litellm --config config.yaml --port 4000) or check LITELLM_PROXY_URL")
                .backend(LiteLlmChatClient.BACKEND)
                .attemptCount(0)
                .build();
    }

    /**
     * Returns whether {@code GET /health} answers as rLLM's model gateway does ({@code {"status": "ok"}}
     * without a key; a LiteLLM proxy's {@code /health} needs one). See docs/WIRE.md.
     */
    boolean isModelGateway(Duration timeout) {
        try {
            JsonHttp.Reply reply = get("/health", Map.of(), timeout);
            return reply.ok() && "ok".equals(text(reply.json().orElse(null), "status"));
        } catch (LlmException e) {
            if (e.category() == ErrorCategory.CANCELLED) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Returns whether the server has rLLM's {@code POST}-only {@code /admin/flush-tracer}: a
     * {@code GET} there answers 405 on rLLM's proxy and 404 on a stock LiteLLM proxy.
     */
    boolean hasRllmTracer(Duration timeout) {
        try {
            return get(FLUSH_PATH, Map.of(), timeout).status() == 405;
        } catch (LlmException e) {
            if (e.category() == ErrorCategory.CANCELLED) {
                throw e;
            }
            return false;
        }
    }

    /** Returns {@code null} when alive, else what the check saw. */
    private String probeLiveliness(Duration timeout) {
        try {
            JsonHttp.Reply reply = get("/health/liveliness", Map.of(), timeout);
            return reply.ok() ? null : "HTTP " + reply.status() + ": " + describe(reply);
        } catch (LlmException e) {
            if (e.category() == ErrorCategory.CANCELLED) {
                throw e;
            }
            log.debug("LiteLLM proxy liveliness check failed: {}", e.getMessage());
            return e.getMessage();
        }
    }

    private List<ServerHealth.Endpoint> endpoints(JsonNode array) {
        List<ServerHealth.Endpoint> endpoints = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode e : array) {
                endpoints.add(
                        new ServerHealth.Endpoint(text(e, "model"), text(e, "api_base"), quote(text(e, "error"))));
            }
        }
        return endpoints;
    }

    private JsonHttp.Reply get(String path, Map<String, String> headers, Duration timeout) {
        return reachable(() -> http.get(uri(path), headers, timeout));
    }

    /**
     * Makes a call, adding to a failure to reach the server directly what a trainer that starts
     * the proxy itself most often has to fix. Through an HTTP proxy the failure names that proxy
     * instead, and stays as it is.
     */
    private JsonHttp.Reply reachable(Supplier<JsonHttp.Reply> call) {
        try {
            return call.get();
        } catch (LlmException e) {
            if (e.category() != ErrorCategory.CONNECTION
                    || !http.proxySetup().route(root).isDirect()) {
                throw e;
            }
            throw e.toBuilder()
                    .message(e.getMessage() + " - " + NOT_REACHABLE_FIX)
                    .build();
        }
    }

    private URI uri(String path) {
        return URI.create(root + path);
    }

    /** Returns {@code host:port} of the server, for messages. */
    private String hostAndPort() {
        return HostAndPort.of(root);
    }

    /** Returns what a reply says, for a message: the {@code detail} or {@code error.message}, else its start. */
    private String describe(JsonHttp.Reply reply) {
        JsonNode json = reply.json().orElse(null);
        if (json != null && json.isObject()) {
            JsonNode detail = json.get("detail");
            JsonNode error = json.get("error");
            if (detail != null && !detail.isNull()) {
                return quote(detail.isTextual() ? detail.asText() : detail.toString());
            } else if (error != null && error.isObject() && error.hasNonNull("message")) {
                return quote(error.get("message").asText());
            } else if (error != null && error.isTextual()) {
                return quote(error.asText());
            }
        }
        String start = reply.excerpt(QUOTED_CHARS);
        return start.isEmpty() ? "empty body" : start;
    }

    /** Returns text fit for a message: secrets scrubbed first, then cut. */
    private String quote(String text) {
        String scrubbed = Secrets.scrub(text, http.secrets());
        return scrubbed.length() <= QUOTED_CHARS ? scrubbed : scrubbed.substring(0, QUOTED_CHARS) + "...";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String text(JsonNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** Returns the proxy's root URL (without {@code /v1}). */
    public URI serverUrl() {
        return root;
    }

    /** Shows the proxy URL and whether a key and an admin token are set; never their values. */
    @Override
    public String toString() {
        return "LiteLlmServer[serverUrl=" + Secrets.displayUrl(root.toString()) + ", apiKey="
                + (keyHeaders.isEmpty() ? "none" : "set") + ", adminToken=" + (adminToken == null ? "none" : "set")
                + "]";
    }

    /** Builds a {@link LiteLlmServer}. */
    public static final class Builder {
        private URI serverUrl = URI.create(LiteLlmChatClient.DEFAULT_SERVER_URL);
        private String apiKey;
        private String apiKeySource = "apiKey(...)";
        private LiteLlmKeyHeader keyHeader = LiteLlmKeyHeader.AUTHORIZATION;
        private String adminToken;
        private String adminTokenSource = "adminToken(...)";
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private HttpClient httpClient;
        private ProxySelector proxySelector;
        private String proxyUser;
        private String proxyPassword;
        private ProxySetup settingsProxy = ProxySetup.jdkDefault();
        private OpenAiHttpTransport transport;

        private Builder() {}

        /**
         * Makes the checks through the chat client's HTTP client and proxies, so they take the same
         * route as its calls; a later {@link #proxySelector}, {@link #proxyCredentials} or
         * {@link #httpClient} replaces it.
         */
        Builder transport(OpenAiHttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Routes the checks through the proxies this selector picks, whatever the proxy variables say. */
        public Builder proxySelector(ProxySelector proxySelector) {
            this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector");
            this.transport = null;
            return this;
        }

        /** Answers the HTTP proxy's {@code 407} challenge with these credentials. */
        public Builder proxyCredentials(String username, String password) {
            this.proxyUser = Objects.requireNonNull(username, "username");
            this.proxyPassword = Objects.requireNonNull(password, "password");
            this.transport = null;
            return this;
        }

        private ProxySetup effectiveProxySetup() {
            if (httpClient != null) {
                return ProxySetup.of(httpClient);
            }
            ProxySetup setup = proxySelector != null ? ProxySetup.of(proxySelector) : settingsProxy;
            return proxyUser != null ? setup.withCredentials(proxyUser, proxyPassword) : setup;
        }

        /** Sets the proxy URL, with or without {@code /v1}; default {@value LiteLlmChatClient#DEFAULT_SERVER_URL}. */
        public Builder serverUrl(String serverUrl) {
            this.serverUrl = Settings.parseHttpUrl(serverUrl, "serverUrl");
            return this;
        }

        /** Sets the proxy key {@link #health()} sends; {@code null} sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = blankToNull(apiKey);
            return this;
        }

        /** Sets the header that carries the key; default {@link LiteLlmKeyHeader#AUTHORIZATION}. */
        public Builder keyHeader(LiteLlmKeyHeader keyHeader) {
            this.keyHeader = Objects.requireNonNull(keyHeader, "keyHeader");
            return this;
        }

        /** Sets the admin token {@link #flushTracer(Duration)} sends; {@code null} sends none. */
        public Builder adminToken(String adminToken) {
            this.adminToken = blankToNull(adminToken);
            return this;
        }

        /** Sets the time limit of liveliness and readiness checks; default 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the TCP connect timeout; default 5 s. Ignored when {@link #httpClient} is given, and
         * for the server of a chat client ({@link LiteLlmChatClient#server()}), which uses the chat
         * client's HTTP client.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Uses a ready-made {@link HttpClient} (a proxy selector, TLS settings). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            this.transport = null;
            return this;
        }

        /**
         * Returns the proxy client.
         *
         * @throws LlmException category configuration when the key or the admin token holds a
         *                      character that cannot be sent in a header
         */
        public LiteLlmServer build() {
            HeaderValues.requireSendable(apiKey, apiKeySource, true);
            HeaderValues.requireSendable(adminToken, adminTokenSource, true);
            return new LiteLlmServer(this);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
