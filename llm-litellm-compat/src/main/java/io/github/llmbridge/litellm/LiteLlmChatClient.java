package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Settings;
import io.github.llmbridge.core.http.BackendBuilder;
import io.github.llmbridge.core.http.HeaderValues;
import io.github.llmbridge.core.http.OpenAiHttpTransport;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a LiteLLM proxy (a stock one, or the one rLLM runs for training). The default backend of
 * {@code ChatClients.fromEnv()}, or built in code:
 *
 * <pre>{@code
 * try (ChatClient client = LiteLlmChatClient.builder().proxyUrl("http://localhost:4000").build()) {
 *     client.chat(ChatRequest.builder().model("gpt-4o-mini").user("Hi").build());
 * }
 * }</pre>
 *
 * <p>The proxy URL is accepted with or without a trailing {@code /v1}; calls go to
 * {@code <proxy>/v1/chat/completions}. The key is optional (a proxy without auth needs none).
 * A request's {@code metadata} is sent as the body's {@code metadata} object, which LiteLLM
 * keeps in its logs and passes to its callbacks. The reported cost comes from the
 * {@code x-litellm-response-cost} header.
 */
public final class LiteLlmChatClient implements ChatClient {

    /** The backend name. */
    public static final String BACKEND = "litellm";
    /** Where a LiteLLM proxy listens by default. */
    public static final String DEFAULT_PROXY_URL = "http://localhost:4000";
    /** Default number of concurrent calls: a local proxy fans out to many deployments. */
    public static final int DEFAULT_MAX_CONCURRENCY = 256;

    private final URI proxyRoot;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final boolean hasKey;
    private final OpenAiHttpTransport transport;

    private LiteLlmChatClient(Builder b, OpenAiHttpTransport transport) {
        this.proxyRoot = URI.create(proxyRoot(b.proxyUrl));
        this.endpoint = URI.create(proxyRoot + "/v1/chat/completions");
        this.hasKey = b.apiKey != null;
        this.headers = hasKey ? Map.of("Authorization", "Bearer " + b.apiKey) : Map.of();
        this.transport = transport;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a client from settings: {@code LITELLM_PROXY_URL}, {@code LITELLM_API_KEY} (else
     * {@code OPENAI_API_KEY}), {@code LITELLM_MAX_CONCURRENT_CALLS}, {@code LLM_TIMEOUT_SECONDS}
     * (else {@code LITELLM_DEFAULT_TIMEOUT}) and {@code LLM_MAX_RESPONSE_BYTES}.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static LiteLlmChatClient fromSettings(Settings settings) {
        Optional<Settings.Setting> key = settings.first("LITELLM_API_KEY", "OPENAI_API_KEY");
        Builder b = builder()
                .proxyUrl(settings.httpUrl(DEFAULT_PROXY_URL, "LITELLM_PROXY_URL").toString())
                .apiKey(key.map(Settings.Setting::value).orElse(null));
        key.ifPresent(k -> b.apiKeySource = k.name());
        return b.applySettings(settings).build();
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return Futures.map(transport.sendChat(endpoint, headers, request, body -> addMetadata(body, request)),
                LiteLlmChatClient::withCost);
    }

    /**
     * LiteLLM keeps the body's {@code metadata} in its logs and hands it to its callbacks. An
     * {@code extraBody("metadata", {...})} object is merged with the request's metadata, its
     * keys winning; any other {@code extraBody} metadata value is sent as given.
     */
    private static void addMetadata(ObjectNode body, ChatRequest request) {
        if (request.metadata().isEmpty()) {
            return;
        }
        ObjectNode metadata = Json.MAPPER.valueToTree(request.metadata());
        JsonNode extra = body.get("metadata");
        if (extra == null || extra.isNull()) {
            body.set("metadata", metadata);
        } else if (extra.isObject()) {
            metadata.setAll((ObjectNode) extra);
            body.set("metadata", metadata);
        }
    }

    /** LiteLLM reports the cost in a header rather than in {@code usage}. */
    private static ChatResponse withCost(ChatResponse response) {
        if (response.cost().isPresent()) {
            return response;
        }
        return response.header("x-litellm-response-cost")
                .flatMap(LiteLlmChatClient::parseCost)
                .map(cost -> response.toBuilder().cost(cost).build())
                .orElse(response);
    }

    private static Optional<Double> parseCost(String value) {
        try {
            double cost = Double.parseDouble(value.strip());
            return Double.isFinite(cost) && cost >= 0 ? Optional.of(cost) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // LiteLLM sends "None" when it could not price the call
        }
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    /** Returns the proxy's root URL (without {@code /v1}). */
    public URI proxyUrl() {
        return proxyRoot;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Shows the proxy URL and whether a key is set; never the key. */
    @Override
    public String toString() {
        return "LiteLlmChatClient[proxyUrl=" + Secrets.displayUrl(proxyRoot.toString())
                + ", apiKey=" + (hasKey ? "set" : "none") + "]";
    }

    /** Strips a trailing slash and a trailing {@code /v1}, so both spellings of the URL work. */
    static String proxyRoot(URI proxyUrl) {
        String url = Secrets.withoutTrailingSlashes(proxyUrl.toString());
        if (url.endsWith("/v1")) {
            url = url.substring(0, url.length() - 3);
        }
        return url;
    }

    /** Builds a {@link LiteLlmChatClient}. */
    public static final class Builder extends BackendBuilder<Builder> {
        private URI proxyUrl = URI.create(DEFAULT_PROXY_URL);
        private String apiKey;
        private String apiKeySource = "apiKey(...)";

        private Builder() {
            super(BACKEND, "LITELLM_MAX_CONCURRENT_CALLS", DEFAULT_MAX_CONCURRENCY);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Sets the proxy URL, with or without {@code /v1}; default {@value LiteLlmChatClient#DEFAULT_PROXY_URL}. */
        public Builder proxyUrl(String proxyUrl) {
            this.proxyUrl = Settings.parseHttpUrl(proxyUrl, "proxyUrl");
            return this;
        }

        /** Sets the proxy key (master or virtual key); {@code null} sends no Authorization header. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
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
            return new LiteLlmChatClient(this, transport.secret(apiKey).build());
        }
    }
}
