package io.github.llmbridge.rllm;

import io.github.llmbridge.core.internal.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sampling parameters a gateway session enforces: the gateway writes them over the same fields of
 * every request in the session ({@code payload.update(...)} in its middleware), so the agent's own
 * values do not matter. Gateways newer than 0.1.0 only; 0.1.0 ignores them, and
 * {@link RllmGateway#createSession(NewSession)} refuses to send them to it.
 *
 * <pre>{@code
 * SamplingParams p = SamplingParams.builder().temperature(1.0).topP(1.0).maxTokens(2048).put("top_k", -1).build();
 * }</pre>
 */
public final class SamplingParams {

    private final Map<String, Object> fields;

    private SamplingParams(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the request fields, named as the request body names them ({@code top_p}). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Returns whether no field is set. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingParams other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Shows the fields. */
    @Override
    public String toString() {
        return "SamplingParams" + fields;
    }

    /** Builds {@link SamplingParams}. */
    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder() {}

        /** Sets {@code temperature}. */
        public Builder temperature(double temperature) {
            return put("temperature", temperature);
        }

        /** Sets {@code top_p}. */
        public Builder topP(double topP) {
            return put("top_p", topP);
        }

        /** Sets {@code max_tokens}. */
        public Builder maxTokens(int maxTokens) {
            return put("max_tokens", maxTokens);
        }

        /**
         * Sets any request field (vLLM's {@code top_k}, {@code min_p}, {@code repetition_penalty}, ...).
         *
         * @throws IllegalArgumentException when the value cannot be written as JSON
         */
        public Builder put(String field, Object value) {
            fields.put(Objects.requireNonNull(field, "field"), Json.plainCopy(Objects.requireNonNull(value, field)));
            return this;
        }

        /** Returns the parameters. */
        public SamplingParams build() {
            return new SamplingParams(fields);
        }
    }
}
