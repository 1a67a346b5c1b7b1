package io.github.llmbridge.openrouter;

import static io.github.llmbridge.openrouter.OpenRouterVariables.OPENROUTER_API_KEY;
import static io.github.llmbridge.openrouter.OpenRouterVariables.OPENROUTER_BASE_URL;
import static io.github.llmbridge.openrouter.OpenRouterVariables.OPENROUTER_REFERER;
import static io.github.llmbridge.openrouter.OpenRouterVariables.OPENROUTER_TITLE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.BackendTransports;
import io.github.llmbridge.core.internal.transport.HeaderValues;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.resilience.BackendDefaults;
import io.github.llmbridge.core.settings.Settings;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls OpenRouter's chat-completions API directly. Selected by {@code USE_OPENROUTER_DIRECT=true}
 * (or {@code LLM_BACKEND=openrouter}) through {@code ChatClients.fromEnv()}, or built in code:
 *
 * <pre>{@code
 * try (ChatClient client = OpenRouterChatClient.builder().apiKey(System.getenv("OPENROUTER_API_KEY")).build()) {
 *     client.chat(ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build());
 * }
 * }</pre>
 *
 * <p>Sends {@code Authorization: Bearer <key>}, and the attribution headers {@code HTTP-Referer},
 * {@code X-OpenRouter-Title} and its legacy name {@code X-Title} only when configured.
 *
 * <p><b>Model ids</b> must carry their provider ({@code openai/gpt-4o-mini}, variants such as
 * {@code ...:free} allowed): an id without one fails the call before anything is sent, category
 * {@code BAD_REQUEST}, with the prefixed id it probably meant.
 *
 * <p><b>Fallback models.</b> Through {@code ChatClients.fromEnv()} the resilience layer owns
 * {@link ChatRequest#fallbackModels()}: it tries each model with its own retries and sends every
 * attempt with the list emptied, so this client never sees it. Used bare (without that layer),
 * this client sends a request's fallback models natively as OpenRouter's
 * {@code "models": [model, fallback...]}, so OpenRouter falls back within the one call, and fallback
 * never happens twice. A {@code models} field the caller set explicitly
 * ({@link OpenRouterOptions.Builder#models(String...)} or {@code extraBody}) wins over the request's
 * fallback models.
 *
 * <p>Typed views: {@link OpenRouterResponse#of(ChatResponse)} for OpenRouter's reply fields,
 * {@link OpenRouterError#of(LlmException)} for its error metadata, and {@link #account()} for the
 * key's credit and a generation's stats.
 */
public final class OpenRouterChatClient implements ChatClient {

    private static final Logger log = LoggerFactory.getLogger(OpenRouterChatClient.class);

    /** The backend name. */
    public static final String BACKEND = "openrouter";
    /** OpenRouter's API root. */
    public static final String DEFAULT_BASE_URL = "https://openrouter.ai/api/v1";
    /** Default number of concurrent calls (the seed's {@code OPENROUTER_MAX_CONCURRENT_CALLS}). */
    public static final int DEFAULT_MAX_CONCURRENCY = 10;

    private final URI baseUrl;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final OpenAiHttpTransport transport;
    private final String apiKey;
    private final String referer;
    private final String title;
    private final OpenRouterOptions defaultOptions;
    private final String apiKeySource;
    private final String baseUrlSource;

    private OpenRouterChatClient(Builder b, OpenAiHttpTransport transport) {
        this.apiKeySource = b.apiKeySource;
        this.baseUrlSource = b.baseUrlSource;
        this.baseUrl = b.baseUrl;
        this.apiKey = b.apiKey;
        this.referer = b.referer;
        this.title = b.title;
        this.defaultOptions = b.defaultOptions;
        this.endpoint = URI.create(Secrets.withoutTrailingSlashes(b.baseUrl.toString()) + "/chat/completions");
        this.headers = AttributionHeaders.of(b.apiKey, b.referer, b.title);
        this.transport = transport;
    }

    /** Starts a builder; an API key is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a client from settings: {@code OPENROUTER_API_KEY} (else {@code OPENAI_API_KEY}),
     * {@code OPENROUTER_BASE_URL} (else {@code OPENAI_API_BASE}), {@code OPENROUTER_REFERER},
     * {@code OPENROUTER_TITLE}, {@code OPENROUTER_MAX_CONCURRENT_CALLS}, {@code LLM_TIMEOUT_SECONDS}
     * (else {@code LITELLM_DEFAULT_TIMEOUT}) and {@code LLM_MAX_RESPONSE_BYTES}.
     *
     * @throws LlmException category configuration when the key is missing or a value is invalid
     */
    public static OpenRouterChatClient fromSettings(Settings settings) {
        Settings.Setting key = settings.require("OpenRouter needs an API key", OPENROUTER_API_KEY);
        Builder b = builder()
                .apiKey(key.value())
                .baseUrl(settings.httpUrl(DEFAULT_BASE_URL, OPENROUTER_BASE_URL))
                .referer(settings.get(OPENROUTER_REFERER).orElse(null))
                .title(settings.get(OPENROUTER_TITLE).orElse(null));
        b.apiKeySource = key.name();
        b.baseUrlSource =
                settings.first(OPENROUTER_BASE_URL).map(Settings.Setting::name).orElse(OPENROUTER_BASE_URL.name());
        b.refererSource = OPENROUTER_REFERER.name();
        b.titleSource = OPENROUTER_TITLE.name();
        warnIfBaseLooksLikeAProxy(settings);
        return b.applySettings(settings).build();
    }

    /**
     * The seed's setup often points {@code OPENAI_API_BASE} at the LiteLLM proxy; flipping
     * {@code USE_OPENROUTER_DIRECT} while it is still set would send OpenRouter calls (and the
     * OpenRouter key) to the proxy. Say so, without refusing: tests and gateways use other hosts.
     */
    private static void warnIfBaseLooksLikeAProxy(Settings settings) {
        settings.first(OPENROUTER_BASE_URL)
                .filter(base -> !base.name().equals(OPENROUTER_BASE_URL.name()))
                .filter(base -> !base.value().contains("openrouter.ai"))
                .ifPresent(base -> log.warn(
                        "OpenRouter base URL taken from {}={}, which is not openrouter.ai; set {} if that is not"
                                + " intended",
                        base.name(),
                        Secrets.displayUrl(base.value()),
                        OPENROUTER_BASE_URL.name()));
    }

    /**
     * Sends the request to OpenRouter. A bad model id does not throw: an id without its provider
     * prefix (the model, a fallback model sent natively, or an explicit {@code models} entry)
     * fails the returned future with category {@code BAD_REQUEST} and {@code attempts() == 0}, and
     * so does {@code n} above 1, which OpenRouter would answer with one choice. The reasoning
     * effort is sent as OpenRouter's {@code reasoning.effort} and {@code return_token_ids} is not
     * sent (OpenRouter returns no token ids).
     */
    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return call(request, null);
    }

    /**
     * Streams the reply with {@code "stream": true}; the body and headers are as for
     * {@link #chatAsync}. OpenRouter's {@code : OPENROUTER PROCESSING} keep-alive comments are
     * skipped (they do not count as chunks), and a failure after the stream began (an event with
     * a top-level {@code error} and finish reason {@code error}) is classified as the same error
     * would be without streaming, with the text that arrived as its partial content.
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return call(request, Objects.requireNonNull(onChunk, "onChunk"));
    }

    private CompletableFuture<ChatResponse> call(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Optional<String> problem =
                ModelRouting.problem(request, defaultOptions).or(() -> OpenRouterParameters.problem(request));
        if (problem.isPresent()) {
            return Futures.failed(LlmException.builder(ErrorCategory.BAD_REQUEST, problem.get())
                    .backend(BACKEND)
                    .model(request.model())
                    .retryable(false)
                    .attemptCount(0)
                    .build());
        }
        Consumer<ObjectNode> fields = body -> {
            OpenRouterParameters.adapt(body, request, defaultOptions);
            defaultOptions.addMissingTo(body);
            ModelRouting.addNativeFallbacks(body, request);
        };
        return onChunk == null
                ? transport.sendChat(endpoint, headers, request, fields)
                : transport.streamChat(endpoint, headers, request, fields, onChunk);
    }

    /**
     * Returns account checks ({@code GET /key}, {@code GET /generation}, {@code GET /models}) that
     * use this client's base URL, key, attribution headers and HTTP client (so the same proxy).
     */
    public OpenRouterAccount account() {
        return OpenRouterAccount.builder()
                .apiKey(apiKey)
                .baseUrl(baseUrl)
                .referer(referer)
                .title(title)
                .transport(transport)
                .build();
    }

    /**
     * Also answers {@code unwrap(CheckTarget.class)}, for the connection check: where calls go,
     * through which HTTP proxy, and how to phrase fixes for OpenRouter; and
     * {@code unwrap(BackendDefaults.class)}: a bulkhead of {@value #DEFAULT_MAX_CONCURRENCY} calls.
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == CheckTarget.class) {
            return Optional.of(type.cast(
                    new OpenRouterCheckTarget(this, baseUrl, transport.proxySetup(), baseUrlSource, apiKeySource)));
        }
        if (type == BackendDefaults.class) {
            return Optional.of(type.cast(new BackendDefaults(DEFAULT_MAX_CONCURRENCY)));
        }
        return ChatClient.super.unwrap(type);
    }

    /** Returns the options added to every request that does not set the same fields itself. */
    public OpenRouterOptions defaultOptions() {
        return defaultOptions;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    /** Returns the API root calls go to. */
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Shows the base URL and which optional headers are set; never the key. */
    @Override
    public String toString() {
        return "OpenRouterChatClient[baseUrl=" + Secrets.displayUrl(baseUrl.toString()) + ", apiKey=set"
                + (headers.containsKey("HTTP-Referer") ? ", referer=set" : "")
                + (headers.containsKey("X-Title") ? ", title=set" : "")
                + (defaultOptions.isEmpty()
                        ? ""
                        : ", defaultOptions=" + defaultOptions.bodyFields().keySet()) + "]";
    }

    /** Builds an {@link OpenRouterChatClient}. */
    public static final class Builder extends BackendBuilder<Builder> {
        private String apiKey;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private String referer;
        private String title;
        private String apiKeySource = "apiKey(...)";
        private String baseUrlSource = "baseUrl(...)";
        private String refererSource = "referer(...)";
        private String titleSource = "title(...)";
        private OpenRouterOptions defaultOptions = OpenRouterOptions.none();

        private Builder() {
            super(BACKEND, DEFAULT_MAX_CONCURRENCY);
            BackendTransports.of(this).errorDialect(OpenRouterErrorDialect.INSTANCE);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Sets the OpenRouter API key (required). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Sets the API root; default {@value #DEFAULT_BASE_URL}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Settings.parseHttpUrl(String.valueOf(baseUrl), "baseUrl");
            return this;
        }

        /** Sets the API root; default {@value #DEFAULT_BASE_URL}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Settings.parseHttpUrl(baseUrl, "baseUrl");
            return this;
        }

        /** Sets the {@code HTTP-Referer} attribution header ({@code null} sends none). */
        public Builder referer(String referer) {
            this.referer = referer;
            return this;
        }

        /** Sets the {@code X-OpenRouter-Title} / {@code X-Title} header ({@code null} sends none). */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * Sets routing options added to every request; a request's own {@code extraBody} field of
         * the same name ({@code provider}, {@code models}, ...) replaces the default one.
         */
        public Builder defaultOptions(OpenRouterOptions options) {
            this.defaultOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Returns the client.
         *
         * @throws LlmException category configuration when no API key was given, or the key, title
         *                      or referer holds a character that cannot be sent in a header
         */
        public OpenRouterChatClient build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        "OpenRouter needs an API key: set OPENROUTER_API_KEY or call apiKey(...)");
            }
            apiKey = apiKey.strip();
            HeaderValues.requireSendable(apiKey, apiKeySource, true);
            HeaderValues.requireSendable(referer, refererSource, false);
            HeaderValues.requireSendable(title, titleSource, false);
            BackendTransports.of(this).secret(apiKey);
            return new OpenRouterChatClient(this, BackendTransports.build(this, baseUrl));
        }
    }
}
