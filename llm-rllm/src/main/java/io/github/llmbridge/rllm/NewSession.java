package io.github.llmbridge.rllm;

import io.github.llmbridge.core.internal.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RllmGateway#createSession(NewSession)} sends ({@code POST /sessions}): an id of the
 * trainer's choosing (else the gateway makes up a UUID), metadata kept on the session, and
 * sampling parameters the gateway enforces on every call in it.
 *
 * <pre>{@code
 * NewSession spec = NewSession.builder().id("step-3-task-17").metadata(Map.of("step", 3)).build();
 * }</pre>
 */
public final class NewSession {

    private final String id;
    private final Map<String, Object> metadata;
    private final SamplingParams samplingParams;

    private NewSession(Builder b) {
        this.id = b.id;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.samplingParams = b.samplingParams;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the id asked for, if any. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** Returns the session's metadata. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Returns the sampling parameters the gateway enforces (empty when none). */
    public SamplingParams samplingParams() {
        return samplingParams;
    }

    /** Shows the id, the metadata keys and the sampling parameters. */
    @Override
    public String toString() {
        return "NewSession[id=" + id + ", metadata=" + metadata.keySet() + ", " + samplingParams + "]";
    }

    /** Builds a {@link NewSession}. */
    public static final class Builder {
        private String id;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private SamplingParams samplingParams = SamplingParams.builder().build();

        private Builder() {}

        /**
         * Sets the session id; {@code null} lets the gateway choose one.
         *
         * @throws IllegalArgumentException when the id is blank
         */
        public Builder id(String id) {
            if (id != null && id.isBlank()) {
                throw new IllegalArgumentException("a session id must not be blank");
            }
            this.id = id;
            return this;
        }

        /**
         * Adds metadata (JSON-compatible values, copied now).
         *
         * @throws IllegalArgumentException when a value cannot be written as JSON
         */
        public Builder metadata(Map<String, ?> metadata) {
            metadata.forEach((k, v) -> this.metadata.put(Objects.requireNonNull(k, "key"), Json.plainCopy(v)));
            return this;
        }

        /** Sets the sampling parameters the gateway enforces (gateways newer than 0.1.0). */
        public Builder samplingParams(SamplingParams samplingParams) {
            this.samplingParams = Objects.requireNonNull(samplingParams, "samplingParams");
            return this;
        }

        /** Returns the specification. */
        public NewSession build() {
            return new NewSession(this);
        }
    }
}
