package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.RequestHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An immutable chat-completion request. Build one with {@link #builder()}, derive variants with
 * {@link #toBuilder()}:
 *
 * <pre>{@code
 * ChatRequest judge = ChatRequest.builder()
 *     .model("openai/gpt-4o-mini")
 *     .system("You grade answers. Reply with {\"score\": 0..10}.")
 *     .user(answer)
 *     .temperature(0.0)
 *     .maxTokens(800)
 *     .build();
 * }</pre>
 *
 * <p>Beyond text: messages take {@link ContentPart}s (images, audio, files), the model can be
 * given {@link Tool}s, and a reply can carry log probabilities and token ids when asked:
 *
 * <pre>{@code
 * ChatRequest.builder()
 *     .model("openai/gpt-4o")
 *     .user(ContentPart.text("Rate this chart's readability, 1-10."), ContentPart.image(Path.of("chart.png")))
 *     .tools(Tool.function("lookup_guideline", "Fetch a style-guide rule by id", GuidelineId.class))
 *     .logprobs(true).topLogprobs(5)
 *     .build();
 * }</pre>
 *
 * <p>Fields left unset are not sent, so the provider's defaults apply. {@link Builder#build()}
 * checks the limits the chat-completions spec sets (at most 4 stop sequences, {@code top_logprobs}
 * 0–20, {@code n} 1–128, one of {@code max_tokens}/{@code max_completion_tokens}) and that every
 * {@code tool} message answers a tool call made earlier in the conversation. Anything a provider
 * supports that has no typed setter goes through {@link Builder#extraBody(String, Object)} and is
 * sent verbatim.
 */
public final class ChatRequest {

    /** Body fields the typed setters own; {@code extraBody} may not replace them. */
    private static final Set<String> RESERVED_BODY_FIELDS = Set.of("model", "messages");

    private final String model;
    private final List<ChatMessage> messages;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final List<String> stop;
    private final Long seed;
    private final ResponseFormat responseFormat;
    private final Double frequencyPenalty;
    private final Double presencePenalty;
    private final String user;
    private final Map<String, Object> metadata;
    private final Duration timeout;
    private final Map<String, JsonNode> extraBody;
    private final List<String> fallbackModels;
    private final List<String> tags;
    private final Integer n;
    private final Boolean logprobs;
    private final Integer topLogprobs;
    private final Integer maxCompletionTokens;
    private final List<Tool> tools;
    private final ToolChoice toolChoice;
    private final Boolean parallelToolCalls;
    private final ReasoningEffort reasoningEffort;
    private final String promptCacheKey;
    private final String serviceTier;
    private final List<String> modalities;
    private final Boolean returnTokenIds;
    /** Headers a layer of LLM Bridge adds (trace context); read and set only through the fenced {@code RequestHeaders}. */
    private final Map<String, String> layerHeaders;

    static {
        RequestHeaders.grantAccess(r -> r.layerHeaders, (r, headers) -> new ChatRequest(r, headers));
    }

    private ChatRequest(
            ChatRequest source,
            String model,
            Duration timeout,
            List<String> fallbackModels,
            Map<String, String> layerHeaders) {
        this.model = model;
        this.messages = source.messages;
        this.temperature = source.temperature;
        this.topP = source.topP;
        this.maxTokens = source.maxTokens;
        this.stop = source.stop;
        this.seed = source.seed;
        this.responseFormat = source.responseFormat;
        this.frequencyPenalty = source.frequencyPenalty;
        this.presencePenalty = source.presencePenalty;
        this.user = source.user;
        this.metadata = source.metadata;
        this.timeout = timeout;
        this.extraBody = source.extraBody;
        this.fallbackModels = fallbackModels;
        this.tags = source.tags;
        this.n = source.n;
        this.logprobs = source.logprobs;
        this.topLogprobs = source.topLogprobs;
        this.maxCompletionTokens = source.maxCompletionTokens;
        this.tools = source.tools;
        this.toolChoice = source.toolChoice;
        this.parallelToolCalls = source.parallelToolCalls;
        this.reasoningEffort = source.reasoningEffort;
        this.promptCacheKey = source.promptCacheKey;
        this.serviceTier = source.serviceTier;
        this.modalities = source.modalities;
        this.returnTokenIds = source.returnTokenIds;
        this.layerHeaders = layerHeaders;
    }

    /** A copy carrying other layer headers; see {@link RequestHeaders}. */
    private ChatRequest(ChatRequest source, Map<String, String> layerHeaders) {
        this(source, source.model, source.timeout, source.fallbackModels, layerHeaders);
    }

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.stop = List.copyOf(b.stop);
        this.seed = b.seed;
        this.responseFormat = b.responseFormat;
        this.frequencyPenalty = b.frequencyPenalty;
        this.presencePenalty = b.presencePenalty;
        this.user = b.user;
        this.metadata = Collections.unmodifiableMap(b.metadataCopy);
        this.timeout = b.timeout;
        this.extraBody = Collections.unmodifiableMap(b.extraBodyCopy);
        this.fallbackModels = List.copyOf(b.fallbackModels);
        this.tags = List.copyOf(b.tags);
        this.n = b.n;
        this.logprobs = b.logprobs;
        this.topLogprobs = b.topLogprobs;
        this.maxCompletionTokens = b.maxCompletionTokens;
        this.tools = List.copyOf(b.tools);
        this.toolChoice = b.toolChoice;
        this.parallelToolCalls = b.parallelToolCalls;
        this.reasoningEffort = b.reasoningEffort;
        this.promptCacheKey = b.promptCacheKey;
        this.serviceTier = b.serviceTier;
        this.modalities = List.copyOf(b.modalities);
        this.returnTokenIds = b.returnTokenIds;
        this.layerHeaders = b.layerHeaders;
    }

    /** Starts an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding every field of this request, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.stop.addAll(stop);
        b.seed = seed;
        b.responseFormat = responseFormat;
        b.frequencyPenalty = frequencyPenalty;
        b.presencePenalty = presencePenalty;
        b.user = user;
        b.metadata.putAll(metadata);
        b.timeout = timeout;
        b.extraBody.putAll(extraBody);
        b.fallbackModels.addAll(fallbackModels);
        b.tags.addAll(tags);
        b.n = n;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        b.maxCompletionTokens = maxCompletionTokens;
        b.tools.addAll(tools);
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.reasoningEffort = reasoningEffort;
        b.promptCacheKey = promptCacheKey;
        b.serviceTier = serviceTier;
        b.modalities.addAll(modalities);
        b.returnTokenIds = returnTokenIds;
        b.layerHeaders = layerHeaders;
        return b;
    }

    /**
     * Returns a copy for one HTTP attempt, as a resilience layer sends it: the given model and
     * time limit, and no fallback models (so the backend never falls back a second time). The
     * copy shares this request's immutable parts, so it is cheap.
     *
     * @throws IllegalArgumentException when the model is blank or the timeout is not positive
     */
    public ChatRequest forAttempt(String model, Duration timeout) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("attempt model must not be blank");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("attempt timeout must be positive, was " + timeout);
        }
        return new ChatRequest(this, model, timeout, List.of(), layerHeaders);
    }

    /** Returns the model id, e.g. {@code openai/gpt-4o-mini}. */
    public String model() {
        return model;
    }

    /** Returns the conversation, in order. */
    public List<ChatMessage> messages() {
        return messages;
    }

    /** Returns the sampling temperature, if set. */
    public OptionalDouble temperature() {
        return optional(temperature);
    }

    /** Returns the nucleus-sampling probability mass ({@code top_p}), if set. */
    public OptionalDouble topP() {
        return optional(topP);
    }

    /** Returns the cap on generated tokens ({@code max_tokens}), if set. */
    public OptionalInt maxTokens() {
        return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }

    /** Returns the stop sequences (empty when none). */
    public List<String> stop() {
        return stop;
    }

    /** Returns the sampling seed, if set. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /** Returns the requested response format, if set. */
    public Optional<ResponseFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** Returns the frequency penalty, if set. */
    public OptionalDouble frequencyPenalty() {
        return optional(frequencyPenalty);
    }

    /** Returns the presence penalty, if set. */
    public OptionalDouble presencePenalty() {
        return optional(presencePenalty);
    }

    /** Returns the end-user id sent as the body's {@code user} field, if set. */
    public Optional<String> endUser() {
        return Optional.ofNullable(user);
    }

    /**
     * Returns this call's metadata (insertion order). It describes the call for tracing and
     * gateways that accept it (a gateway backend forwards it); it is not a model parameter.
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Returns this call's own deadline, overriding the client's default, if set. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns provider-specific body fields, sent verbatim after the typed ones, as the JSON they
     * were turned into at build time. The nodes are the request's own: do not modify them.
     */
    public Map<String, JsonNode> extraBody() {
        return extraBody;
    }

    /**
     * Returns the models to try, in order, when {@link #model()} fails after its attempts with an
     * error another model might not have (not auth, not a bad request). The resilience layer
     * tries them, each with its own attempts, within the one deadline; it sends every attempt
     * with this list emptied, so a backend never falls back a second time.
     */
    public List<String> fallbackModels() {
        return fallbackModels;
    }

    /**
     * Returns this call's tags, labels for tracing and gateways (a gateway backend sends them in
     * the body, e.g. as {@code tags} for the gateway's spend tracking and tag routing); like
     * {@link #metadata()} they are not a model parameter.
     */
    public List<String> tags() {
        return tags;
    }

    /** Returns how many choices to generate ({@code n}), if set. */
    public OptionalInt n() {
        return optionalInt(n);
    }

    /**
     * Returns whether to return the generated tokens' log probabilities ({@code logprobs}), if
     * set. Asking for {@link #topLogprobs()} sends {@code logprobs: true} when this is unset.
     */
    public Optional<Boolean> logprobs() {
        return Optional.ofNullable(logprobs);
    }

    /** Returns how many most-likely alternatives to return per token ({@code top_logprobs}, 0–20), if set. */
    public OptionalInt topLogprobs() {
        return optionalInt(topLogprobs);
    }

    /**
     * Returns the cap on generated tokens, reasoning included ({@code max_completion_tokens}, which
     * reasoning models require instead of {@code max_tokens}), if set.
     */
    public OptionalInt maxCompletionTokens() {
        return optionalInt(maxCompletionTokens);
    }

    /** Returns the tools the model may call (empty when none). */
    public List<Tool> tools() {
        return tools;
    }

    /** Returns whether and which tool the model must call ({@code tool_choice}), if set. */
    public Optional<ToolChoice> toolChoice() {
        return Optional.ofNullable(toolChoice);
    }

    /** Returns whether the model may call several tools in one turn ({@code parallel_tool_calls}), if set. */
    public Optional<Boolean> parallelToolCalls() {
        return Optional.ofNullable(parallelToolCalls);
    }

    /** Returns how hard a reasoning model should think ({@code reasoning_effort}), if set. */
    public Optional<ReasoningEffort> reasoningEffort() {
        return Optional.ofNullable(reasoningEffort);
    }

    /** Returns the key that groups requests sharing a prompt prefix for caching ({@code prompt_cache_key}), if set. */
    public Optional<String> promptCacheKey() {
        return Optional.ofNullable(promptCacheKey);
    }

    /** Returns the processing tier ({@code service_tier}: {@code auto}, {@code default}, {@code flex}, {@code priority}, ...), if set. */
    public Optional<String> serviceTier() {
        return Optional.ofNullable(serviceTier);
    }

    /** Returns the output modalities ({@code modalities}, e.g. {@code text}, {@code audio}); empty when unset. */
    public List<String> modalities() {
        return modalities;
    }

    /**
     * Returns whether to ask the server for the prompt's and the choices' token ids
     * ({@code return_token_ids}, a vLLM extension also honoured by rLLM's gateway), if set. Servers
     * that do not know it ignore it or reject it; see {@link ChatResponse#promptTokenIds()}.
     */
    public Optional<Boolean> returnTokenIds() {
        return Optional.ofNullable(returnTokenIds);
    }

    /** Shows the shape of the request without the prompt text. */
    @Override
    public String toString() {
        return "ChatRequest[model=" + model + ", messages=" + messages.size()
                + (maxTokens == null ? "" : ", maxTokens=" + maxTokens)
                + (n == null ? "" : ", n=" + n)
                + (tools.isEmpty() ? "" : ", tools=" + tools.size())
                + (fallbackModels.isEmpty() ? "" : ", fallbackModels=" + fallbackModels)
                + (extraBody.isEmpty() ? "" : ", extraBody=" + extraBody.keySet()) + "]";
    }

    private static OptionalInt optionalInt(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Builds a {@link ChatRequest}; {@link #build()} validates it. */
    public static final class Builder {
        private String model;
        private final List<ChatMessage> messages = new ArrayList<>();
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private final List<String> stop = new ArrayList<>();
        private Long seed;
        private ResponseFormat responseFormat;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private String user;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private Duration timeout;
        private final Map<String, Object> extraBody = new LinkedHashMap<>();
        private final List<String> fallbackModels = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();
        private Integer n;
        private Boolean logprobs;
        private Integer topLogprobs;
        private Integer maxCompletionTokens;
        private final List<Tool> tools = new ArrayList<>();
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private ReasoningEffort reasoningEffort;
        private String promptCacheKey;
        private String serviceTier;
        private final List<String> modalities = new ArrayList<>();
        private Boolean returnTokenIds;
        private Map<String, String> layerHeaders = Map.of();
        private Map<String, Object> metadataCopy;
        private Map<String, JsonNode> extraBodyCopy;

        private Builder() {}

        /** Sets the model id as the backend names it, e.g. {@code openai/gpt-4o-mini}. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Appends a {@code system} message. */
        public Builder system(String content) {
            return message(ChatMessage.system(content));
        }

        /** Appends a {@code user} message. */
        public Builder user(String content) {
            return message(ChatMessage.user(content));
        }

        /** Appends an {@code assistant} message. */
        public Builder assistant(String content) {
            return message(ChatMessage.assistant(content));
        }

        /** Appends a user message made of parts (text, images, audio, files). */
        public Builder user(ContentPart... parts) {
            return message(ChatMessage.user(parts));
        }

        /** Sets how many choices to generate ({@code n}, 1–128; {@code null} unsets). */
        public Builder n(Integer n) {
            this.n = n;
            return this;
        }

        /** Sets whether to return the tokens' log probabilities ({@code null} unsets). */
        public Builder logprobs(Boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /**
         * Sets how many most-likely alternatives to return per token (0–20; {@code null} unsets);
         * implies {@code logprobs: true} unless {@link #logprobs(Boolean)} says otherwise, which
         * {@link #build()} rejects.
         */
        public Builder topLogprobs(Integer topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        /** Sets {@code max_completion_tokens}, at least 1 ({@code null} unsets); exclusive with {@link #maxTokens}. */
        public Builder maxCompletionTokens(Integer maxCompletionTokens) {
            this.maxCompletionTokens = maxCompletionTokens;
            return this;
        }

        /** Replaces the tools the model may call. */
        public Builder tools(Tool... tools) {
            return tools(List.of(tools));
        }

        /** Replaces the tools the model may call. */
        public Builder tools(List<Tool> tools) {
            this.tools.clear();
            for (Tool t : tools) {
                this.tools.add(Objects.requireNonNull(t, "tool"));
            }
            return this;
        }

        /** Sets whether and which tool the model must call ({@code null} unsets). */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        /** Sets whether the model may call several tools in one turn ({@code null} unsets). */
        public Builder parallelToolCalls(Boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        /** Sets how hard a reasoning model should think ({@code null} unsets). */
        public Builder reasoningEffort(ReasoningEffort reasoningEffort) {
            this.reasoningEffort = reasoningEffort;
            return this;
        }

        /** Sets {@code prompt_cache_key} ({@code null} unsets). */
        public Builder promptCacheKey(String promptCacheKey) {
            this.promptCacheKey = promptCacheKey;
            return this;
        }

        /** Sets {@code service_tier}, e.g. {@code flex} ({@code null} unsets). */
        public Builder serviceTier(String serviceTier) {
            this.serviceTier = serviceTier;
            return this;
        }

        /** Replaces the output modalities, e.g. {@code "text", "audio"}. */
        public Builder modalities(String... modalities) {
            this.modalities.clear();
            for (String m : modalities) {
                this.modalities.add(Objects.requireNonNull(m, "modality"));
            }
            return this;
        }

        /** Sets whether to ask for token ids ({@code return_token_ids}; {@code null} unsets). */
        public Builder returnTokenIds(Boolean returnTokenIds) {
            this.returnTokenIds = returnTokenIds;
            return this;
        }

        /** Appends a message. */
        public Builder message(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Replaces the conversation with the given messages. */
        public Builder messages(List<ChatMessage> messages) {
            this.messages.clear();
            messages.forEach(this::message);
            return this;
        }

        /** Sets the sampling temperature, 0 to 2 ({@code null} unsets). */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Sets {@code top_p}, 0 to 1 ({@code null} unsets). */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /** Sets {@code max_tokens}, at least 1 ({@code null} unsets). */
        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Replaces the stop sequences. */
        public Builder stop(String... sequences) {
            return stop(List.of(sequences));
        }

        /** Replaces the stop sequences. */
        public Builder stop(List<String> sequences) {
            stop.clear();
            for (String s : sequences) {
                stop.add(Objects.requireNonNull(s, "stop sequence"));
            }
            return this;
        }

        /** Sets the sampling seed ({@code null} unsets). */
        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets the response format ({@code null} unsets). */
        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        /** Sets {@code frequency_penalty}, -2 to 2 ({@code null} unsets). */
        public Builder frequencyPenalty(Double frequencyPenalty) {
            this.frequencyPenalty = frequencyPenalty;
            return this;
        }

        /** Sets {@code presence_penalty}, -2 to 2 ({@code null} unsets). */
        public Builder presencePenalty(Double presencePenalty) {
            this.presencePenalty = presencePenalty;
            return this;
        }

        /**
         * Sets the end-user id sent as the body's {@code user} field ({@code null} unsets). Named
         * {@code endUser} because {@link #user(String)} appends a user message.
         */
        public Builder endUser(String user) {
            this.user = user;
            return this;
        }

        /**
         * Adds one metadata entry for tracing and gateways (see {@link ChatRequest#metadata()}); the
         * value must be JSON-compatible and is copied at {@link #build()}.
         */
        public Builder metadata(String key, Object value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /** Replaces the metadata. */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata.clear();
            metadata.forEach(this::metadata);
            return this;
        }

        /** Sets this call's deadline, overriding the client default ({@code null} unsets). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Adds a provider-specific body field sent verbatim (any value Jackson can write: strings,
         * numbers, booleans, lists, maps, {@code JsonNode}). It is copied as JSON at
         * {@link #build()}, written after the typed fields and wins over them; only {@code model}
         * and {@code messages} cannot be replaced.
         */
        public Builder extraBody(String key, Object value) {
            Objects.requireNonNull(key, "extraBody key");
            extraBody.put(key, value);
            return this;
        }

        /** Replaces the fallback models (see {@link ChatRequest#fallbackModels()}). */
        public Builder fallbackModels(String... models) {
            return fallbackModels(List.of(models));
        }

        /** Replaces the fallback models (see {@link ChatRequest#fallbackModels()}). */
        public Builder fallbackModels(List<String> models) {
            fallbackModels.clear();
            for (String m : models) {
                fallbackModels.add(Objects.requireNonNull(m, "fallback model"));
            }
            return this;
        }

        /** Replaces the tags (see {@link ChatRequest#tags()}). */
        public Builder tags(String... tags) {
            return tags(List.of(tags));
        }

        /** Replaces the tags (see {@link ChatRequest#tags()}). */
        public Builder tags(List<String> tags) {
            this.tags.clear();
            for (String t : tags) {
                this.tags.add(Objects.requireNonNull(t, "tag"));
            }
            return this;
        }

        /**
         * Validates and returns the request.
         *
         * @throws IllegalArgumentException naming the field when the model or messages are
         *                                  missing, a number is out of range, or a metadata or
         *                                  extraBody value cannot be written as JSON
         */
        public ChatRequest build() {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("ChatRequest needs a model, e.g. model(\"openai/gpt-4o-mini\")");
            }
            if (!model.equals(model.strip())) {
                throw new IllegalArgumentException("model id '" + model + "' has leading or trailing whitespace");
            }
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("ChatRequest needs at least one message, e.g. user(\"...\")");
            }
            checkRange("temperature", temperature, 0, 2);
            checkRange("topP", topP, 0, 1);
            checkRange("frequencyPenalty", frequencyPenalty, -2, 2);
            checkRange("presencePenalty", presencePenalty, -2, 2);
            if (maxTokens != null && maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
            }
            checkModelParameters();
            checkToolConversation();
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            for (String fallback : fallbackModels) {
                if (fallback.isBlank() || !fallback.equals(fallback.strip())) {
                    throw new IllegalArgumentException(
                            "fallback model id '" + fallback + "' is blank or has surrounding whitespace");
                }
            }
            for (String key : extraBody.keySet()) {
                if (RESERVED_BODY_FIELDS.contains(key)) {
                    throw new IllegalArgumentException("extraBody cannot replace '" + key + "'; use the typed setter");
                }
            }
            // Deep copies, so the caller changing a map afterwards cannot change the request, and
            // a value that cannot become JSON fails here rather than on the wire.
            metadataCopy = new LinkedHashMap<>();
            metadata.forEach((key, value) -> metadataCopy.put(key, toJsonCompatible("metadata", key, value)));
            extraBodyCopy = new LinkedHashMap<>();
            extraBody.forEach((key, value) -> extraBodyCopy.put(key, toJson("extraBody", key, value)));
            return new ChatRequest(this);
        }

        /** The spec's limits on the typed body fields; each failure names the field and the fix. */
        private void checkModelParameters() {
            if (stop.size() > 4) {
                throw new IllegalArgumentException(
                        "stop takes at most 4 sequences (the chat-completions limit), was " + stop.size());
            }
            if (n != null && (n < 1 || n > 128)) {
                throw new IllegalArgumentException("n must be between 1 and 128, was " + n);
            }
            if (topLogprobs != null) {
                if (topLogprobs < 0 || topLogprobs > 20) {
                    throw new IllegalArgumentException("topLogprobs must be between 0 and 20, was " + topLogprobs);
                }
                if (Boolean.FALSE.equals(logprobs)) {
                    throw new IllegalArgumentException("topLogprobs needs logprobs; it is set to false");
                }
            }
            if (maxCompletionTokens != null && maxCompletionTokens < 1) {
                throw new IllegalArgumentException(
                        "maxCompletionTokens must be at least 1, was " + maxCompletionTokens);
            }
            if (maxTokens != null && maxCompletionTokens != null) {
                throw new IllegalArgumentException("set maxTokens or maxCompletionTokens, not both (reasoning models"
                        + " take only max_completion_tokens)");
            }
            checkNotBlank("serviceTier", serviceTier);
            checkNotBlank("promptCacheKey", promptCacheKey);
            if (tools.isEmpty()) {
                if (toolChoice != null || parallelToolCalls != null) {
                    throw new IllegalArgumentException((toolChoice != null ? "toolChoice" : "parallelToolCalls")
                            + " needs tools: add them with tools(...)");
                }
                return;
            }
            Set<String> names = new HashSet<>();
            for (Tool t : tools) {
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("two tools are named '" + t.name() + "'");
                }
            }
            String chosen =
                    toolChoice == null ? null : toolChoice.functionName().orElse(null);
            if (chosen != null && !names.contains(chosen)) {
                throw new IllegalArgumentException(
                        "toolChoice names function '" + chosen + "', which is not among the tools " + names);
            }
        }

        /**
         * A {@code tool} message must answer a tool call of an earlier assistant message: providers
         * reject the request otherwise, with a message that does not say which one.
         */
        private void checkToolConversation() {
            Set<String> calls = new HashSet<>();
            for (int i = 0; i < messages.size(); i++) {
                ChatMessage m = messages.get(i);
                m.toolCalls().forEach(c -> calls.add(c.id()));
                String answered = m.toolCallId().orElse(null);
                if (m.role().equals(ChatMessage.TOOL) && !calls.contains(answered)) {
                    throw new IllegalArgumentException("message " + i + " answers tool call '" + answered
                            + "', which no earlier assistant message made");
                }
            }
        }

        private static void checkNotBlank(String name, String value) {
            if (value != null && value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank (null unsets it)");
            }
        }

        private static JsonNode toJson(String field, String key, Object value) {
            try {
                return Json.treeCopy(value);
            } catch (IllegalArgumentException e) {
                throw notJson(field, key, e);
            }
        }

        private static Object toJsonCompatible(String field, String key, Object value) {
            try {
                return Json.plainCopy(value);
            } catch (IllegalArgumentException e) {
                throw notJson(field, key, e);
            }
        }

        private static IllegalArgumentException notJson(String field, String key, IllegalArgumentException e) {
            return new IllegalArgumentException(
                    field + " value for '" + key + "' cannot be written as JSON: " + e.getMessage(), e);
        }

        private static void checkRange(String name, Double value, double min, double max) {
            if (value != null && !(value >= min && value <= max)) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }
    }
}
