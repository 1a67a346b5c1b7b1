package io.github.llmbridge.rllm;

import static io.github.llmbridge.rllm.RllmVariables.RLLM_GATEWAY_URL;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import io.github.llmbridge.core.settings.Settings;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's side of rLLM's model gateway: create sessions, hand their URLs to agents, flush,
 * and read back what each session's calls recorded, token ids and log probabilities included. A
 * Java trainer needs no Python glue:
 *
 * <pre>{@code
 * RllmGateway gateway = RllmGateway.fromEnv();               // RLLM_GATEWAY_URL
 * gateway.waitUntilReady(Duration.ofSeconds(60));
 * GatewaySession s = gateway.createSession(NewSession.builder().metadata(Map.of("step", 3)).build());
 * // ... the agent calls s.url() ...
 * List<GatewayTrace> traces = gateway.traces(s.id(), expectedCalls, Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Calls block the calling thread (they are not on the chat path) and fail with
 * {@link LlmException}s, categorised as chat calls' are: an error status mapped by status and body,
 * no reply in time {@code TIMEOUT}, an unreachable gateway {@code CONNECTION}.
 */
public final class RllmGateway {

    private static final Logger log = LoggerFactory.getLogger(RllmGateway.class);

    /** Time limit of a call unless set. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final TypeReference<Map<String, Object>> STRING_MAP = new TypeReference<>() {};
    private static final long FIRST_POLL_MILLIS = 50;
    private static final long MAX_POLL_MILLIS = 1_000;
    private static final long MIN_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final URI root;
    private final JsonHttp http;
    private final Duration requestTimeout;
    private final String urlSource;
    private volatile RllmGeneration generation;

    private RllmGateway(URI root, JsonHttp http, Duration requestTimeout, String urlSource) {
        this.root = root;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.urlSource = urlSource;
    }

    /** The trainer's side of the gateway a chat client calls, through that client's HTTP client. */
    static RllmGateway over(URI root, JsonHttp http, String urlSource) {
        return new RllmGateway(root, http, DEFAULT_REQUEST_TIMEOUT, urlSource);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the gateway the environment configures; see {@link #fromSettings(Settings)}.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static RllmGateway fromEnv() {
        return fromSettings(Settings.fromEnvironment());
    }

    /**
     * Returns the gateway {@code RLLM_GATEWAY_URL} names (its root; a session URL's root), reached
     * through the HTTP proxy variables as chat calls are.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static RllmGateway fromSettings(Settings settings) {
        Builder b = builder()
                .gatewayUrl(settings.httpUrl(RllmChatClient.DEFAULT_GATEWAY_URL, RLLM_GATEWAY_URL)
                        .toString());
        b.urlSource = RLLM_GATEWAY_URL.name();
        b.proxySetup = ProxySetup.fromSettings(settings);
        return b.build();
    }

    /** Creates a session with an id the gateway chooses and no metadata; see {@link #createSession(NewSession)}. */
    public GatewaySession createSession() {
        return createSession(NewSession.builder().build());
    }

    /**
     * Creates a session ({@code POST /sessions}). Creating an id that exists replaces its metadata.
     *
     * @throws LlmException category configuration when the gateway is 0.1.0 and sampling parameters
     *                      are given (it would silently ignore them) or the id contains {@code /} (it
     *                      could not route the session's calls); otherwise as the class comment says
     */
    public GatewaySession createSession(NewSession spec) {
        Objects.requireNonNull(spec, "spec");
        ObjectNode body = Json.MAPPER.createObjectNode();
        spec.id().ifPresent(id -> {
            if (id.contains("/") && generation() == RllmGeneration.MODEL_GATEWAY_0_1_0) {
                // 0.1.0 matches the session in a path with /sessions/([^/]+)/v1: the session could be
                // created, but no call could ever reach it.
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        "session id '" + id + "' contains '/', which rllm-model-gateway 0.1.0 (at " + where()
                                + ") cannot route: its calls would all get 404. Use an id without '/'");
            }
            body.put("session_id", id);
        });
        if (!spec.metadata().isEmpty()) {
            body.set("metadata", Json.MAPPER.valueToTree(spec.metadata()));
        }
        if (!spec.samplingParams().isEmpty()) {
            if (generation() == RllmGeneration.MODEL_GATEWAY_0_1_0) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        "the gateway at " + where() + " is rllm-model-gateway 0.1.0, which ignores a session's"
                                + " sampling_params (they came after 0.1.0): the session would sample with the"
                                + " agent's own values. Run a newer gateway (rLLM's main branch), or set the"
                                + " parameters on the agent's requests");
            }
            body.set(
                    "sampling_params",
                    Json.MAPPER.valueToTree(spec.samplingParams().fields()));
        }
        JsonNode reply =
                http.post(uri("/sessions"), Map.of(), body, requestTimeout).jsonObject();
        String id = Json.text(reply, "session_id");
        if (id == null || id.isEmpty()) {
            throw new LlmException(
                    ErrorCategory.INVALID_RESPONSE,
                    "POST /sessions on the gateway at " + where() + " answered without a session_id: "
                            + Secrets.scrub(reply.toString(), http.secrets()));
        }
        return new GatewaySession(id, sessionUrl(id), spec.metadata());
    }

    /** Returns the OpenAI base URL an agent uses for a session: {@code <gateway>/sessions/<id>/v1}. */
    public URI sessionUrl(String sessionId) {
        return URI.create(root + "/sessions/" + GatewayUrl.encode(requireId(sessionId)) + "/v1");
    }

    /**
     * Returns a session's metadata and trace count ({@code GET /sessions/<id>}).
     *
     * @throws LlmException as the class comment says; an unknown session is the gateway's 404
     */
    public SessionInfo session(String sessionId) {
        JsonNode reply = http.get(uri("/sessions/" + GatewayUrl.encode(requireId(sessionId))), Map.of(), requestTimeout)
                .jsonObject();
        JsonNode metadata = Json.object(reply, "metadata");
        return new SessionInfo(
                Json.text(reply, "session_id"),
                (int) Json.count(reply, "trace_count"),
                metadata == null ? Map.of() : Json.MAPPER.convertValue(metadata, STRING_MAP));
    }

    /**
     * Returns what a session's calls recorded, oldest first ({@code GET /sessions/<id>/traces}). Call
     * {@link #flush(Duration)} first, or use {@link #traces(String, int, Duration)}: a trace written
     * a moment after the call returned may be missing otherwise.
     */
    public List<GatewayTrace> traces(String sessionId) {
        JsonHttp.Reply reply = http.get(
                uri("/sessions/" + GatewayUrl.encode(requireId(sessionId)) + "/traces"), Map.of(), requestTimeout);
        if (!reply.ok()) {
            throw reply.error();
        }
        JsonNode list = reply.json()
                .filter(JsonNode::isArray)
                .orElseThrow(() -> new LlmException(
                        ErrorCategory.INVALID_RESPONSE,
                        "GET /sessions/<id>/traces on the gateway at " + where() + " answered without a JSON list: "
                                + reply.excerpt(200)));
        List<GatewayTrace> traces = new ArrayList<>(list.size());
        list.forEach(t -> traces.add(GatewayTrace.of(t)));
        return traces;
    }

    /**
     * Flushes, then reads a session's traces until at least {@code expected} are there: what a
     * trainer needs to keep a step's traces aligned with its calls. A 0.1.0 gateway's flush returns
     * before trace writes in flight are done, so this polls until they are.
     *
     * @throws LlmException category timeout, saying how many traces were there, when fewer than
     *                      {@code expected} are recorded in time
     */
    public List<GatewayTrace> traces(String sessionId, int expected, Duration timeout) {
        long deadline = System.nanoTime() + positive(timeout, "timeout").toNanos();
        flush(timeout);
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            List<GatewayTrace> traces = traces(sessionId);
            long remaining = deadline - System.nanoTime();
            if (traces.size() >= expected) {
                return traces;
            }
            if (remaining <= 0) {
                throw LlmException.builder(
                                ErrorCategory.TIMEOUT,
                                "session " + sessionId + " on the gateway at " + where() + " has " + traces.size()
                                        + " traces after " + describe(timeout) + ", not the " + expected
                                        + " expected: calls that failed before reaching a worker are not recorded,"
                                        + " nor calls outside the session")
                        .backend(RllmChatClient.BACKEND)
                        .attemptCount(0)
                        .build();
            }
            sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(pause)));
            pause = Math.min(MAX_POLL_MILLIS, pause * 2);
        }
    }

    /**
     * Asks the gateway to write what it has recorded ({@code POST /admin/flush}), so a step's traces
     * are complete before they are read. Gateways newer than 0.1.0 wait for trace writes in flight;
     * 0.1.0's flush returns at once, see {@link #traces(String, int, Duration)}.
     *
     * @param timeout how long to wait for the gateway's answer
     * @return {@code true} when flushed; {@code false} when the gateway did not answer in time
     *         (logged as a warning): some traces may not be written yet
     * @throws LlmException when the gateway answered with an error or cannot be reached
     */
    public boolean flush(Duration timeout) {
        try {
            JsonNode reply = http.post(
                            uri("/admin/flush"), Map.of(), Json.MAPPER.createObjectNode(), positive(timeout, "timeout"))
                    .jsonObject();
            return "flushed".equals(Json.text(reply, "status"));
        } catch (LlmException e) {
            if (e.category() != ErrorCategory.TIMEOUT) {
                throw e;
            }
            log.warn(
                    "the gateway at {} did not flush within {}; some traces may not be written yet",
                    where(),
                    describe(timeout));
            return false;
        }
    }

    /**
     * Registers an inference worker ({@code POST /admin/workers}); the gateway starts checking its
     * {@code <url>/health} and routes sessions to it.
     *
     * @param url       the worker's OpenAI base URL, e.g. {@code http://localhost:8000/v1} (the path is
     *                  split off as the worker's API path)
     * @param modelName the model it serves, or {@code null}
     * @return the worker as the gateway registered it
     */
    public GatewayWorker addWorker(String url, String modelName) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("url", Objects.requireNonNull(url, "url"));
        if (modelName != null) {
            body.put("model_name", modelName);
        }
        JsonNode reply =
                http.post(uri("/admin/workers"), Map.of(), body, requestTimeout).jsonObject();
        return new GatewayWorker(
                text(reply, "worker_id"),
                text(reply, "url"),
                text(reply, "api_path"),
                modelName == null ? "" : modelName,
                true,
                0);
    }

    /** Returns the workers and whether the gateway finds each healthy ({@code GET /health/workers}). */
    public List<GatewayWorker> workers() {
        JsonNode reply =
                http.get(uri("/health/workers"), Map.of(), requestTimeout).jsonObject();
        List<GatewayWorker> workers = new ArrayList<>();
        JsonNode list = reply.get("workers");
        if (list != null && list.isArray()) {
            list.forEach(w -> workers.add(GatewayWorker.of(w)));
        }
        return workers;
    }

    /**
     * Asks {@code GET /health} whether the gateway is up.
     *
     * @return {@code true} when it answered 2xx; {@code false} when it answered otherwise or could not be reached
     */
    public boolean health() {
        return probeHealth(requestTimeout) == null;
    }

    /**
     * Returns which rLLM server generation answers at the URL (probing only {@code GET} routes),
     * remembered after the first answer that is not {@link RllmGeneration#UNKNOWN}.
     */
    public RllmGeneration generation() {
        RllmGeneration known = generation;
        if (known != null) {
            return known;
        }
        RllmGeneration found = GenerationProbe.probe(http, root, requestTimeout);
        if (found != RllmGeneration.UNKNOWN) {
            generation = found;
        }
        return found;
    }

    /**
     * Polls {@code GET /health} until the gateway is up, waiting 50 ms between checks at first and
     * up to 1 s later; for trainers that start the gateway themselves.
     *
     * @throws LlmException category timeout, saying what the last check saw, when the gateway is not
     *                      up in time; cancelled when the thread is interrupted
     */
    public void waitUntilReady(Duration timeout) {
        long deadline = System.nanoTime() + positive(timeout, "timeout").toNanos();
        long pause = FIRST_POLL_MILLIS;
        String lastSeen = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (lastSeen != null && remaining < MIN_PROBE_NANOS) {
                throw notUpInTime(timeout, lastSeen);
            }
            lastSeen = probeHealth(
                    Duration.ofNanos(Math.max(MIN_PROBE_NANOS, Math.min(remaining, requestTimeout.toNanos()))));
            if (lastSeen == null) {
                return;
            }
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw notUpInTime(timeout, lastSeen);
            }
            sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(pause)));
            pause = Math.min(MAX_POLL_MILLIS, pause * 2);
        }
    }

    private LlmException notUpInTime(Duration timeout, String lastSeen) {
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        "rLLM's model gateway at " + where() + " was not up after " + describe(timeout)
                                + " (last check of GET /health: " + lastSeen
                                + "); start it (rllm-model-gateway --port 9090 --worker http://localhost:8000/v1) or"
                                + " check " + urlSource)
                .backend(RllmChatClient.BACKEND)
                .attemptCount(0)
                .build();
    }

    /** Returns {@code null} when up, else what the check saw. */
    private String probeHealth(Duration timeout) {
        try {
            JsonHttp.Reply reply = http.get(uri("/health"), Map.of(), timeout);
            if (reply.ok()) {
                return null;
            }
            return "HTTP " + reply.status() + ": " + reply.excerpt(200)
                    + (reply.status() == 404 || reply.status() == 401
                            ? " (a LiteLLM proxy answers so: for rLLM's old LiteLLM proxy use LLM_BACKEND=litellm)"
                            : "");
        } catch (LlmException e) {
            if (e.category() == ErrorCategory.CANCELLED) {
                throw e;
            }
            log.debug("gateway health check failed: {}", e.getMessage());
            return e.getMessage();
        }
    }

    private void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.builder(
                            ErrorCategory.CANCELLED, "interrupted while waiting for the gateway at " + where())
                    .backend(RllmChatClient.BACKEND)
                    .attemptCount(0)
                    .build();
        }
    }

    private URI uri(String path) {
        return URI.create(root + path);
    }

    private String where() {
        return HostAndPort.of(root);
    }

    private static String requireId(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("a session id must not be blank");
        }
        return sessionId;
    }

    private static String text(JsonNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** The calls this client makes, for the connection check's probe. */
    JsonHttp http() {
        return http;
    }

    /** Returns the gateway's root URL. */
    public URI gatewayUrl() {
        return root;
    }

    /** Shows the gateway's URL. */
    @Override
    public String toString() {
        return "RllmGateway[" + Secrets.displayUrl(root.toString()) + "]";
    }

    /**
     * A session as {@code GET /sessions/<id>} reports it.
     *
     * @param id         the session id
     * @param traceCount how many traces it has
     * @param metadata   the metadata it was created with
     */
    public record SessionInfo(String id, int traceCount, Map<String, Object> metadata) {}

    /** Builds an {@link RllmGateway}. */
    public static final class Builder {
        private String gatewayUrl = RllmChatClient.DEFAULT_GATEWAY_URL;
        private String urlSource = "gatewayUrl(...)";
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ProxySetup proxySetup;
        private ProxySelector proxySelector;
        private HttpClient httpClient;

        private Builder() {}

        /** Sets the gateway's root (a session URL's root is taken); default {@value RllmChatClient#DEFAULT_GATEWAY_URL}. */
        public Builder gatewayUrl(String gatewayUrl) {
            this.gatewayUrl = Objects.requireNonNull(gatewayUrl, "gatewayUrl");
            return this;
        }

        /** Sets the time limit of each call; default 30 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Sets the connect timeout; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Routes calls through this selector instead of the proxy variables. */
        public Builder proxySelector(ProxySelector proxySelector) {
            this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector");
            return this;
        }

        /** Uses this HTTP client (its proxies and timeouts) instead of building one. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Returns the gateway client.
         *
         * @throws LlmException category configuration when the URL is not an http(s) URL
         */
        public RllmGateway build() {
            GatewayUrl url = GatewayUrl.parse(Settings.parseHttpUrl(gatewayUrl, urlSource), urlSource);
            ProxySetup proxies = httpClient != null
                    ? ProxySetup.of(httpClient)
                    : proxySelector != null
                            ? ProxySetup.of(proxySelector)
                            : proxySetup != null ? proxySetup : ProxySetup.fromSettings(Settings.fromEnvironment());
            JsonHttp.Builder b = JsonHttp.builder(RllmChatClient.BACKEND)
                    .errorDialect(RllmErrorDialect.INSTANCE)
                    .proxySetup(proxies)
                    .connectTimeout(connectTimeout);
            JsonHttp http = (httpClient != null ? b.httpClient(httpClient) : b).build();
            return new RllmGateway(url.root(), http, requestTimeout, urlSource);
        }
    }
}
