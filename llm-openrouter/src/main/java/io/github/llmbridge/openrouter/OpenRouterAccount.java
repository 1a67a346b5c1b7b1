package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.HeaderValues;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.settings.Settings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Account checks against OpenRouter: the key's credit ({@code GET /key}), one generation's stats
 * ({@code GET /generation?id=}), and the model catalogue ({@code GET /models}) to check model ids
 * before a training run. For diagnostics such as a doctor; every method blocks its thread.
 *
 * <pre>{@code
 * OpenRouterAccount account = openRouterClient.account();          // same URL, key and proxy
 * KeyInfo key = account.key();
 * if (key.exhausted()) throw new IllegalStateException("OpenRouter key out of credit");
 * account.checkModels(List.of("openai/gpt-4o-mini")).forEach(m -> log.warn(m.describe()));
 * }</pre>
 *
 * <p>Failures are {@link LlmException}s mapped like chat calls' (401 authentication, 429 rate
 * limited, ...); the key never appears in them.
 */
public final class OpenRouterAccount {

    /** Time limit of one request unless set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How often {@link #generation(String)} asks before giving up on a 404, unless set. */
    public static final int DEFAULT_GENERATION_ATTEMPTS = 5;
    /** The wait after the first 404 of {@link #generation(String)}; it doubles after each further one. */
    public static final Duration DEFAULT_GENERATION_WAIT = Duration.ofMillis(500);

    private final Builder settings;
    private final JsonHttp http;
    private final String baseUrl;
    private final Map<String, String> headers;

    private OpenRouterAccount(Builder b, JsonHttp http) {
        this.settings = b.copy();
        this.http = http;
        this.baseUrl = Secrets.withoutTrailingSlashes(b.baseUrl.toString());
        this.headers = AttributionHeaders.of(b.apiKey, b.referer, b.title);
    }

    /** Starts a builder; an API key is required. Prefer {@link OpenRouterChatClient#account()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the account checks for the client {@code settings} configure, from the same
     * variables as {@link OpenRouterChatClient#fromSettings(Settings)}.
     *
     * @throws LlmException category configuration when the key is missing or a value is invalid
     */
    public static OpenRouterAccount fromSettings(Settings settings) {
        try (OpenRouterChatClient client = OpenRouterChatClient.fromSettings(settings)) {
            return client.account(); // the account keeps the HTTP client; closing only stops the chat pool
        }
    }

    /** Returns a builder holding these settings, to derive a variant (another timeout, say). */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * Returns what OpenRouter says about the key: limit, remaining credit, usage, free tier.
     *
     * @throws LlmException authentication for a bad key, or any mapped failure
     */
    public KeyInfo key() {
        return KeyInfo.from(get("/key"));
    }

    /**
     * Returns the stats of one generation. OpenRouter records a generation a few seconds after
     * the call, and answers 404 until then, so a 404 is asked again after a wait that starts at
     * {@link #DEFAULT_GENERATION_WAIT} and doubles, up to {@link #DEFAULT_GENERATION_ATTEMPTS}
     * times (both settable with {@link Builder#generationLookup(int, Duration)}).
     *
     * @param generationId the id, e.g. from {@link OpenRouterResponse#generationId()}
     * @throws LlmException bad request (retryable) when the generation is still unknown after the
     *                      last attempt, or any mapped failure
     */
    public GenerationStats generation(String generationId) {
        if (generationId == null || generationId.isBlank()) {
            throw new IllegalArgumentException("generationId is empty; take it from OpenRouterResponse.generationId()");
        }
        String path = "/generation?id=" + URLEncoder.encode(generationId.strip(), StandardCharsets.UTF_8);
        Duration wait = settings.generationWait;
        for (int attempt = 1; ; attempt++) {
            try {
                return GenerationStats.from(get(path));
            } catch (LlmException e) {
                boolean notYet = e.httpStatus().orElse(0) == 404;
                if (!notYet) {
                    throw e;
                }
                if (attempt >= settings.generationAttempts) {
                    throw notFound(generationId, attempt, e);
                }
            }
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
    }

    /**
     * Returns every model OpenRouter offers.
     *
     * @throws LlmException any mapped failure
     */
    public List<ModelInfo> models() {
        JsonNode data = get("/models").get("data");
        List<ModelInfo> models = new ArrayList<>();
        if (data != null && data.isArray()) {
            data.forEach(node -> models.add(ModelInfo.from(node)));
        }
        return List.copyOf(models);
    }

    /**
     * Fetches the catalogue once and returns the ids OpenRouter does not offer, each with the
     * closest known ids; an empty list means all are known. An id without its provider prefix is
     * reported too. Routing suffixes ({@code :nitro}, {@code :floor}, {@code :online}) are
     * accepted when the model without them is known.
     *
     * @throws LlmException when the catalogue cannot be fetched
     */
    public List<UnknownModel> checkModels(Collection<String> modelIds) {
        Set<String> known = new HashSet<>();
        models().forEach(m -> known.add(m.id()));
        List<UnknownModel> unknown = new ArrayList<>();
        for (String id : modelIds) {
            String problem = ModelIds.problem(id, "model id").orElse(null);
            if (problem == null
                    && !known.contains(id)
                    && !(id.indexOf(':') > 0 && known.contains(id.substring(0, id.indexOf(':'))))) {
                problem = "OpenRouter offers no model '" + id + "'";
            }
            if (problem != null) {
                unknown.add(new UnknownModel(
                        String.valueOf(id), problem, id == null ? List.of() : ModelSuggestions.closest(id, known, 3)));
            }
        }
        return List.copyOf(unknown);
    }

    /**
     * Returns the JSON object at {@code base + pathAndQuery}, blocking until it arrives.
     *
     * @throws LlmException the mapped failure (as a chat call's), invalid response when the reply
     *                      is not a JSON object
     */
    private JsonNode get(String pathAndQuery) {
        return http.get(URI.create(baseUrl + pathAndQuery), headers, settings.timeout)
                .jsonObject();
    }

    private LlmException notFound(String generationId, int attempts, LlmException last) {
        return LlmException.builder(
                        ErrorCategory.BAD_REQUEST,
                        "OpenRouter has no generation '" + generationId
                                + "' after " + attempts
                                + " tries: it records a generation a few seconds after the call,"
                                + " so try again later, and check the id (it looks like gen-...)")
                .cause(last)
                .httpStatus(404)
                .backend(OpenRouterChatClient.BACKEND)
                .headers(last.headers())
                .retryable(true)
                .attemptCount(attempts)
                .build();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LlmException.builder(
                            ErrorCategory.CANCELLED,
                            "interrupted while waiting to ask OpenRouter" + " for a generation again")
                    .backend(OpenRouterChatClient.BACKEND)
                    .build();
        }
    }

    /** Shows the base URL; never the key. */
    @Override
    public String toString() {
        return "OpenRouterAccount[baseUrl=" + Secrets.displayUrl(settings.baseUrl.toString()) + ", apiKey=set]";
    }

    /** Builds an {@link OpenRouterAccount}. */
    public static final class Builder {
        private String apiKey;
        private URI baseUrl = URI.create(OpenRouterChatClient.DEFAULT_BASE_URL);
        private String referer;
        private String title;
        private HttpClient httpClient;
        private OpenAiHttpTransport transport;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int generationAttempts = DEFAULT_GENERATION_ATTEMPTS;
        private Duration generationWait = DEFAULT_GENERATION_WAIT;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.apiKey = apiKey;
            b.baseUrl = baseUrl;
            b.referer = referer;
            b.title = title;
            b.httpClient = httpClient;
            b.transport = transport;
            b.timeout = timeout;
            b.generationAttempts = generationAttempts;
            b.generationWait = generationWait;
            return b;
        }

        /** Sets the OpenRouter API key (required). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Sets the API root; default {@value OpenRouterChatClient#DEFAULT_BASE_URL}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Settings.parseHttpUrl(String.valueOf(baseUrl), "baseUrl");
            return this;
        }

        /** Sets the API root; default {@value OpenRouterChatClient#DEFAULT_BASE_URL}. */
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

        /** Uses this {@link HttpClient} (proxy, TLS); by default one like the chat client's own. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            this.transport = null;
            return this;
        }

        /**
         * Makes the calls through the chat client's HTTP client and proxies (named in failures),
         * with its reply-size cap, as {@link OpenRouterChatClient#account()} does.
         */
        Builder transport(OpenAiHttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.httpClient = null;
            return this;
        }

        /** Sets the time limit of each request; default 30 s. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets how {@link OpenRouterAccount#generation(String)} waits for a generation OpenRouter has
         * not recorded yet: at most {@code attempts} requests, the first wait {@code firstWait},
         * doubling after each further 404.
         */
        public Builder generationLookup(int attempts, Duration firstWait) {
            if (attempts < 1) {
                throw new IllegalArgumentException("generation lookup attempts must be at least 1, was " + attempts);
            }
            if (firstWait == null || firstWait.isNegative()) {
                throw new IllegalArgumentException("generation lookup wait must not be negative, was " + firstWait);
            }
            this.generationAttempts = attempts;
            this.generationWait = firstWait;
            return this;
        }

        /**
         * Returns the account checks.
         *
         * @throws LlmException category configuration when no key was given, or the key, title or
         *                      referer cannot be sent in a header
         */
        public OpenRouterAccount build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        "OpenRouter account checks need an API key: set OPENROUTER_API_KEY or call apiKey(...)");
            }
            apiKey = apiKey.strip();
            HeaderValues.requireSendable(apiKey, "apiKey(...)", true);
            HeaderValues.requireSendable(referer, "referer(...)", false);
            HeaderValues.requireSendable(title, "title(...)", false);
            JsonHttp http;
            if (transport != null) {
                http = JsonHttp.of(transport).withSecrets(List.of(apiKey));
            } else {
                JsonHttp.Builder own = JsonHttp.builder(OpenRouterChatClient.BACKEND)
                        .errorDialect(OpenRouterErrorDialect.INSTANCE)
                        .secrets(List.of(apiKey));
                http = (httpClient != null ? own.httpClient(httpClient) : own).build();
            }
            return new OpenRouterAccount(this, http);
        }
    }
}
