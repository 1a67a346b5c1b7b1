package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>Fields left unset are not sent, so the provider's defaults apply. Anything a provider
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

    private ChatRequest(ChatRequest source, String model, Duration timeout) {
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
        this.fallbackModels = List.of();
        this.tags = source.tags;
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
        return new ChatRequest(this, model, timeout);
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

    /** Shows the shape of the request without the prompt text. */
    @Override
    public String toString() {
        return "ChatRequest[model=" + model + ", messages=" + messages.size()
                + (maxTokens == null ? "" : ", maxTokens=" + maxTokens)
                + (fallbackModels.isEmpty() ? "" : ", fallbackModels=" + fallbackModels)
                + (extraBody.isEmpty() ? "" : ", extraBody=" + extraBody.keySet()) + "]";
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
