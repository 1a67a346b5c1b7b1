package io.github.llmbridge.litellm;

import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_API_KEY;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_KEY_HEADER;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_METADATA_MODE;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_NUM_RETRIES;
import static io.github.llmbridge.litellm.LiteLlmVariables.LITELLM_PROXY_URL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.internal.AttemptIds;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.BackendTransports;
import io.github.llmbridge.core.internal.transport.HeaderValues;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.resilience.BackendDefaults;
import io.github.llmbridge.core.settings.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a LiteLLM server, which LiteLLM calls its proxy (a stock one, or the one rLLM runs for
 * training). In this module's names it is the <em>server</em>; "proxy" is kept for the HTTP forward
 * proxy the calls may pass through. The default backend of
 * {@code ChatClients.fromEnv()}, or built in code:
 *
 * <pre>{@code
 * try (ChatClient client = LiteLlmChatClient.builder().serverUrl("http://localhost:4000").build()) {
 *     client.chat(ChatRequest.builder().model("gpt-4o-mini").user("Hi").build());
 * }
 * }</pre>
 *
 * <p>The server URL is accepted with or without a trailing {@code /v1}; calls go to
 * {@code <server>/v1/chat/completions}. The key is optional (a server without auth needs none) and
 * goes in {@code Authorization} or {@code x-litellm-api-key} ({@link LiteLlmKeyHeader}).
 *
 * <p>The {@link LlmSession} current on the thread that calls {@code chat}/{@code chatAsync} and
 * the request's {@code metadata} are forwarded as {@link LiteLlmMetadataMode} says: in the body
 * (default), in the URL the way rLLM's proxy reads them, or not at all. The request's
 * {@link ChatRequest#tags() tags} go into the body's {@code tags}. Proxy-side retries, fallbacks
 * and timeout are {@link LiteLlmOptions}. {@link LiteLlmResponse} reads LiteLLM's reply headers;
 * the reported cost comes from {@code x-litellm-response-cost}. Health checks and the admin
 * endpoints are on {@link LiteLlmServer}.
 *
 * <p>Fields LiteLLM moves into {@code provider_specific_fields} when it rebuilds an upstream reply
 * are read from there: a vLLM deployment's per-choice {@code token_ids}, a {@code refusal}, and
 * {@code reasoning_details}, so {@link io.github.llmbridge.core.Choice#tokenIds()} and
 * {@link io.github.llmbridge.core.Choice#refusal()} work through the proxy as they do directly.
 * Request fields LiteLLM does not know (such as {@code return_token_ids}) are passed through to
 * the deployment; chat-completions fields a deployment does not support fail with a 400 unless
 * the server drops them ({@code drop_params}).
 */
public final class LiteLlmChatClient implements ChatClient {

    private static final Logger log = LoggerFactory.getLogger(LiteLlmChatClient.class);

    /** The backend name. */
    public static final String BACKEND = "litellm";
    /** Where a LiteLLM server listens by default. */
    public static final String DEFAULT_SERVER_URL = "http://localhost:4000";
    /** Default number of concurrent calls: a local LiteLLM server fans out to many deployments. */
    public static final int DEFAULT_MAX_CONCURRENCY = 256;

    private static final String CHAT_PATH = "/v1/chat/completions";

    private final URI serverRoot;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final boolean hasKey;
    private final String apiKey;
    private final String apiKeySource;
    private final String serverUrlSource;
    private final LiteLlmKeyHeader keyHeader;
    private final LiteLlmMetadataMode metadataMode;
    private final LiteLlmOptions defaultOptions;
    private final OpenAiHttpTransport transport;
    private final AtomicBoolean warnedUntraced = new AtomicBoolean();

    private LiteLlmChatClient(Builder b, OpenAiHttpTransport transport) {
        this.serverRoot = URI.create(serverRoot(b.serverUrl));
        this.endpoint = URI.create(serverRoot + CHAT_PATH);
        this.hasKey = b.apiKey != null;
        this.apiKey = b.apiKey;
        this.apiKeySource = b.apiKeySource;
        this.serverUrlSource = b.serverUrlSource;
        this.keyHeader = b.keyHeader;
        this.headers = keyHeader.headersFor(b.apiKey);
        this.metadataMode = b.metadataMode;
        this.defaultOptions = b.defaultOptions;
        this.transport = transport;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a client from settings: {@code LITELLM_PROXY_URL}, {@code LITELLM_API_KEY} (else
     * {@code OPENAI_API_KEY}), {@code LITELLM_KEY_HEADER}, {@code LITELLM_METADATA_MODE},
     * {@code LITELLM_NUM_RETRIES}, {@code LITELLM_MAX_CONCURRENT_CALLS}, {@code LLM_TIMEOUT_SECONDS}
     * (else {@code LITELLM_DEFAULT_TIMEOUT}) and {@code LLM_MAX_RESPONSE_BYTES}.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static LiteLlmChatClient fromSettings(Settings settings) {
        Optional<Settings.Setting> key = settings.first(LITELLM_API_KEY);
        Builder b = builder()
                .serverUrl(
                        settings.httpUrl(DEFAULT_SERVER_URL, LITELLM_PROXY_URL).toString())
                .apiKey(key.map(Settings.Setting::value).orElse(null));
        key.ifPresent(k -> b.apiKeySource = k.name());
        b.serverUrlSource = LITELLM_PROXY_URL.name();
        return b.applySettings(settings).build();
    }

    /**
     * Sends the request. The current {@link LlmSession} is read here, on the calling thread, and
     * forwarded as the metadata mode says; the request's {@code fallbackModels} are not sent (this
     * client's resilience layer tries them; proxy-side fallbacks are {@link LiteLlmOptions}).
     */
    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return call(request, null);
    }

    /**
     * Streams the reply from LiteLLM's {@code /v1/chat/completions} with {@code "stream": true};
     * the body, metadata, headers and the assembled reply's cost are as for {@link #chatAsync}. A
     * failure after the stream began arrives as LiteLLM's last event, {@code data: {"error": ...}},
     * and is classified as the same error would be without streaming.
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return call(request, Objects.requireNonNull(onChunk, "onChunk"));
    }

    private CompletableFuture<ChatResponse> call(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        LlmSession session = metadataMode == LiteLlmMetadataMode.NONE
                ? null
                : LlmSession.current().orElse(null);
        Map<String, Object> metadata = metadataMode == LiteLlmMetadataMode.NONE
                ? Map.of()
                : CallMetadata.assemble(session, request.metadata());
        if (metadataMode == LiteLlmMetadataMode.RLLM && !metadata.containsKey(CallMetadata.SESSION_UIDS)) {
            warnUntracedOnce();
        }
        URI uri;
        try {
            uri = metadataMode == LiteLlmMetadataMode.RLLM && !metadata.isEmpty()
                    ? URI.create(serverRoot + "/meta/" + RllmMetadataSlug.encode(metadata) + CHAT_PATH)
                    : endpoint;
        } catch (IllegalArgumentException e) {
            return Futures.failed(LlmException.builder(
                            ErrorCategory.BAD_REQUEST,
                            "cannot encode the call's metadata for rLLM's proxy URL: " + e.getMessage())
                    .backend(BACKEND)
                    .model(request.model())
                    .attemptCount(0)
                    .build());
        }
        // LiteLLM takes a client's x-litellm-call-id as the call's id in its logs and spend records, so an
        // attempt that gets no answer can still be found there: the resilience layer records the id it offered.
        String callId = AttemptIds.take();
        Map<String, String> callHeaders = new LinkedHashMap<>(headers);
        callHeaders.put(LiteLlmResponse.CALL_ID, callId);
        Consumer<ObjectNode> fields =
                body -> LiteLlmBody.addFields(body, metadataMode, metadata, session, request.tags(), defaultOptions);
        return Futures.map(
                onChunk == null
                        ? transport.sendChat(uri, callHeaders, request, fields)
                        : transport.streamChat(uri, callHeaders, request, fields, onChunk),
                response -> withCost(ProviderSpecificFields.lift(withCallId(response, callId))),
                failure -> withCallId(failure, callId));
    }

    /** The call id this client sent, on a reply that does not echo it (LiteLLM does). */
    private static ChatResponse withCallId(ChatResponse response, String callId) {
        if (response.headers().containsKey(LiteLlmResponse.CALL_ID)) {
            return response;
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put(LiteLlmResponse.CALL_ID, callId);
        return response.toBuilder().headers(headers).build();
    }

    /** The call id this client sent, on a failure without a reply (or one that does not carry it). */
    private static LlmException withCallId(LlmException failure, String callId) {
        if (failure.headers().containsKey(LiteLlmResponse.CALL_ID)) {
            return failure;
        }
        Map<String, String> headers = new LinkedHashMap<>(failure.headers());
        headers.put(LiteLlmResponse.CALL_ID, callId);
        return failure.toBuilder().headers(headers).build();
    }

    /**
     * rLLM's tracer drops a call without {@code session_uids} silently ("missing session_uids" at
     * debug level), so a trainer would lose those traces without a word: say it once, loudly.
     */
    private void warnUntracedOnce() {
        if (warnedUntraced.compareAndSet(false, true)) {
            log.warn("LITELLM_METADATA_MODE=rllm: a call was made outside any LlmSession, so it carries no session_uids"
                    + " and rLLM's proxy tracer DROPS ITS TRACE silently; this and every later call outside a"
                    + " session will be missing from the trace store. Open an LlmSession around calls that must"
                    + " be traced. (Logged once.)");
        }
    }

    /** LiteLLM reports the cost in a header rather than in {@code usage}. */
    private static ChatResponse withCost(ChatResponse response) {
        if (response.cost().isPresent()) {
            return response;
        }
        OptionalDouble cost = LiteLlmResponse.of(response).responseCost();
        return cost.isPresent() ? response.toBuilder().cost(cost.getAsDouble()).build() : response;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    /** Returns the LiteLLM server's root URL (without {@code /v1}). */
    public URI serverUrl() {
        return serverRoot;
    }

    /**
     * Returns health checks ({@link LiteLlmServer#liveliness()}, {@link LiteLlmServer#readiness()},
     * {@link LiteLlmServer#health()}) for this client's LiteLLM server, with its key and key header and
     * through the same HTTP proxy as its calls. No admin token: build a {@link LiteLlmServer}
     * for {@code flushTracer}.
     */
    public LiteLlmServer server() {
        return serverBuilder().build();
    }

    /** Returns a builder for {@link #server()}: this client's server, key, key header and HTTP client. */
    LiteLlmServer.Builder serverBuilder() {
        return LiteLlmServer.builder()
                .serverUrl(serverRoot.toString())
                .apiKey(apiKey)
                .keyHeader(keyHeader)
                .transport(transport);
    }

    /**
     * Also answers {@code unwrap(CheckTarget.class)}, for the connection check: where calls go,
     * through which HTTP proxy, the LiteLLM server's own health checks, and how to phrase fixes;
     * and {@code unwrap(BackendDefaults.class)}: a bulkhead of {@value #DEFAULT_MAX_CONCURRENCY}
     * calls, since a local LiteLLM server fans out to many deployments.
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == CheckTarget.class) {
            return Optional.of(type.cast(new LiteLlmCheckTarget(
                    this,
                    serverRoot,
                    transport.proxySetup(),
                    serverUrlSource,
                    hasKey ? apiKeySource : "LITELLM_API_KEY (not set)")));
        }
        if (type == BackendDefaults.class) {
            return Optional.of(type.cast(new BackendDefaults(DEFAULT_MAX_CONCURRENCY)));
        }
        return ChatClient.super.unwrap(type);
    }

    /** Returns where the client puts a call's session and metadata. */
    public LiteLlmMetadataMode metadataMode() {
        return metadataMode;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Shows the server URL, whether a key is set and the non-default modes; never the key. */
    @Override
    public String toString() {
        return "LiteLlmChatClient[serverUrl=" + Secrets.displayUrl(serverRoot.toString())
                + ", apiKey=" + (hasKey ? "set" : "none")
                + (keyHeader == LiteLlmKeyHeader.AUTHORIZATION ? "" : ", keyHeader=x-litellm-api-key")
                + (metadataMode == LiteLlmMetadataMode.BODY
                        ? ""
                        : ", metadataMode=" + metadataMode.name().toLowerCase(Locale.ROOT))
                + "]";
    }

    /** Strips a trailing slash and a trailing {@code /v1}, so both spellings of the URL work. */
    static String serverRoot(URI serverUrl) {
        String url = Secrets.withoutTrailingSlashes(serverUrl.toString());
        if (url.endsWith("/v1")) {
            url = url.substring(0, url.length() - 3);
        }
        return url;
    }

    static int nonNegativeInt(String value, String variable) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the variable's name
        }
        throw new LlmException(
                ErrorCategory.CONFIGURATION, variable + " must be 0 or a positive integer, was '" + value + "'");
    }

    /** Builds a {@link LiteLlmChatClient}. */
    public static final class Builder extends BackendBuilder<Builder> {
        private URI serverUrl = URI.create(DEFAULT_SERVER_URL);
        private String apiKey;
        private String apiKeySource = "apiKey(...)";
        private String serverUrlSource = "serverUrl(...)";
        private LiteLlmKeyHeader keyHeader = LiteLlmKeyHeader.AUTHORIZATION;
        private LiteLlmMetadataMode metadataMode = LiteLlmMetadataMode.BODY;
        private LiteLlmOptions defaultOptions = LiteLlmOptions.none();

        private Builder() {
            super(BACKEND, DEFAULT_MAX_CONCURRENCY);
            BackendTransports.of(this).errorDialect(LiteLlmErrorDialect.INSTANCE);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Applies the settings every backend shares (see {@link BackendBuilder#applySettings}) and
         * LiteLLM's own: {@code LITELLM_KEY_HEADER}, {@code LITELLM_METADATA_MODE} and
         * {@code LITELLM_NUM_RETRIES} (the server's retries for calls that do not set them). The
         * server URL and key are not read here: set them in code, or use {@link #fromSettings}.
         *
         * @throws LlmException category configuration naming a variable with a bad value
         */
        @Override
        public Builder applySettings(Settings settings) {
            super.applySettings(settings);
            settings.get(LITELLM_KEY_HEADER)
                    .ifPresent(v -> keyHeader(LiteLlmKeyHeader.parse(v, LITELLM_KEY_HEADER.name())));
            settings.get(LITELLM_METADATA_MODE)
                    .ifPresent(v -> metadataMode(LiteLlmMetadataMode.parse(v, LITELLM_METADATA_MODE.name())));
            settings.get(LITELLM_NUM_RETRIES)
                    .ifPresent(v -> defaultOptions(defaultOptions.toBuilder()
                            .numRetries(nonNegativeInt(v, LITELLM_NUM_RETRIES.name()))
                            .build()));
            return this;
        }

        /** Sets the LiteLLM server's URL, with or without {@code /v1}; default {@value LiteLlmChatClient#DEFAULT_SERVER_URL}. */
        public Builder serverUrl(String serverUrl) {
            this.serverUrl = Settings.parseHttpUrl(serverUrl, "serverUrl");
            return this;
        }

        /** Sets the server's key (master or virtual key); {@code null} sends no key header. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
            return this;
        }

        /** Sets the header that carries the key; default {@link LiteLlmKeyHeader#AUTHORIZATION}. */
        public Builder keyHeader(LiteLlmKeyHeader keyHeader) {
            this.keyHeader = Objects.requireNonNull(keyHeader, "keyHeader");
            return this;
        }

        /** Sets where a call's session and metadata go; default {@link LiteLlmMetadataMode#BODY}. */
        public Builder metadataMode(LiteLlmMetadataMode metadataMode) {
            this.metadataMode = Objects.requireNonNull(metadataMode, "metadataMode");
            return this;
        }

        /**
         * Sets server-side options sent with every call that does not set them itself (e.g.
         * {@code numRetries(0)} so only this client retries); default none.
         */
        public Builder defaultOptions(LiteLlmOptions defaultOptions) {
            this.defaultOptions = Objects.requireNonNull(defaultOptions, "defaultOptions");
            return this;
        }

        /**
         * Returns the client.
         *
         * @throws LlmException category configuration when the key holds a character that cannot
         *                      be sent in a header
         */
        public LiteLlmChatClient build() {
            HeaderValues.requireSendable(apiKey, apiKeySource, true);
            BackendTransports.of(this).secret(apiKey);
            return new LiteLlmChatClient(this, BackendTransports.build(this, serverUrl));
        }
    }
}
