package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.Json;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Options the LiteLLM proxy applies on its side of a call: its own retries ({@code num_retries}),
 * its own fallback models ({@code fallbacks}) and its timeout for the upstream call
 * ({@code timeout}, seconds). Each is sent only when set; unset, the proxy's configuration decides.
 *
 * <pre>{@code
 * ChatRequest.Builder judge = ChatRequest.builder().model("gpt-4o-mini").user(prompt);
 * LiteLlmOptions.builder().numRetries(0).fallbacks("gpt-4o").build().applyTo(judge);
 * client.chat(judge.build());
 * }</pre>
 *
 * <p><b>Retries multiply.</b> This client already retries a failed call ({@code LLM_MAX_ATTEMPTS},
 * default 5 attempts per model). If the proxy retries too, one call can reach the provider up to
 * attempts x (1 + proxy retries) times, and a rate-limited provider is hammered. Keep one layer
 * retrying: {@code numRetries(0)} (or {@code LITELLM_NUM_RETRIES=0}) leaves retrying to this
 * client; {@code LLM_MAX_ATTEMPTS=1} leaves it to the proxy. Likewise proxy-side {@code fallbacks}
 * are separate from {@link ChatRequest#fallbackModels()}, which this client tries itself.
 */
public final class LiteLlmOptions {

    private static final LiteLlmOptions NONE = builder().build();

    private final Integer numRetries;
    private final List<String> fallbacks;
    private final Duration timeout;

    private LiteLlmOptions(Builder b) {
        this.numRetries = b.numRetries;
        this.fallbacks = b.fallbacks;
        this.timeout = b.timeout;
    }

    /** Starts a builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding these options, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.numRetries = numRetries;
        b.fallbacks = fallbacks;
        b.timeout = timeout;
        return b;
    }

    /** Returns options with nothing set: the proxy's configuration decides everything. */
    public static LiteLlmOptions none() {
        return NONE;
    }

    /** Returns the proxy's retries for the call ({@code num_retries}), if set. */
    public OptionalInt numRetries() {
        return numRetries == null ? OptionalInt.empty() : OptionalInt.of(numRetries);
    }

    /** Returns the proxy's fallback models ({@code fallbacks}), if set. */
    public Optional<List<String>> fallbacks() {
        return Optional.ofNullable(fallbacks);
    }

    /** Returns the proxy's timeout for the upstream call ({@code timeout}), if set. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Sets these options on a request as {@code extraBody} fields (replacing any it had), and
     * returns the same builder.
     */
    public ChatRequest.Builder applyTo(ChatRequest.Builder request) {
        Objects.requireNonNull(request, "request");
        if (numRetries != null) {
            request.extraBody("num_retries", numRetries);
        }
        if (fallbacks != null) {
            request.extraBody("fallbacks", fallbacks);
        }
        if (timeout != null) {
            request.extraBody("timeout", seconds(timeout));
        }
        return request;
    }

    /** Returns a copy of the request with these options set; see {@link #applyTo(ChatRequest.Builder)}. */
    public ChatRequest applyTo(ChatRequest request) {
        return applyTo(request.toBuilder()).build();
    }

    /** Adds the options a body does not already have (the request's own fields win). */
    void addDefaultsTo(ObjectNode body) {
        if (numRetries != null && !body.has("num_retries")) {
            body.put("num_retries", numRetries);
        }
        if (fallbacks != null && !body.has("fallbacks")) {
            body.set("fallbacks", Json.MAPPER.valueToTree(fallbacks));
        }
        if (timeout != null && !body.has("timeout")) {
            body.put("timeout", seconds(timeout));
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Shows the options that are set. */
    @Override
    public String toString() {
        return "LiteLlmOptions[" + (numRetries == null ? "" : "numRetries=" + numRetries + " ")
                + (fallbacks == null ? "" : "fallbacks=" + fallbacks + " ")
                + (timeout == null ? "" : "timeout=" + timeout) + "]";
    }

    /** Builds {@link LiteLlmOptions}; every setter validates its value. */
    public static final class Builder {
        private Integer numRetries;
        private List<String> fallbacks;
        private Duration timeout;

        private Builder() {}

        /**
         * Sets how often the proxy retries the call itself, 0 or more ({@code null} unsets).
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder numRetries(Integer numRetries) {
            if (numRetries != null && numRetries < 0) {
                throw new IllegalArgumentException("numRetries must be 0 or more, was " + numRetries);
            }
            this.numRetries = numRetries;
            return this;
        }

        /** Sets the models the proxy falls back to, in order (proxy model names). */
        public Builder fallbacks(String... models) {
            return fallbacks(List.of(models));
        }

        /**
         * Sets the models the proxy falls back to, in order ({@code null} unsets).
         *
         * @throws IllegalArgumentException when a model name is blank
         */
        public Builder fallbacks(List<String> models) {
            if (models != null) {
                for (String m : models) {
                    if (m == null || m.isBlank()) {
                        throw new IllegalArgumentException("fallback model names must not be blank, were " + models);
                    }
                }
            }
            this.fallbacks = models == null ? null : List.copyOf(models);
            return this;
        }

        /**
         * Sets the proxy's timeout for the upstream call ({@code null} unsets). This client's own
         * time limit ({@code ChatRequest.timeout}, {@code LLM_TIMEOUT_SECONDS}) still applies.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Returns the options. */
        public LiteLlmOptions build() {
            return new LiteLlmOptions(this);
        }
    }
}
