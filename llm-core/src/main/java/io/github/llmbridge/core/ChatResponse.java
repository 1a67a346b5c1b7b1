package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A provider's reply to one {@link ChatRequest}. {@link #content()} is what reward code usually
 * wants; everything else the provider sent is in {@link #raw()}.
 *
 * <pre>{@code
 * ChatResponse r = client.chat(request);
 * String text = r.content();              // "" if the provider sent null
 * long tokens = r.usage().totalTokens();  // 0 if the provider did not say
 * }</pre>
 */
public final class ChatResponse {

    private final String id;
    private final String model;
    private final List<Choice> choices;
    private final Usage usage;
    private final Double cost;
    private final Duration latency;
    private final String backend;
    private final Map<String, String> headers;
    private final JsonNode raw;
    private final TokenIds promptTokenIds;
    private final List<Attempt> attempts;
    private final LlmException error;

    private ChatResponse(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.choices = List.copyOf(b.choices);
        this.usage = b.usage;
        this.cost = b.cost;
        this.latency = b.latency;
        this.backend = b.backend;
        this.headers = Map.copyOf(b.headers);
        this.raw = b.raw;
        this.promptTokenIds = b.promptTokenIds;
        this.attempts = List.copyOf(b.attempts);
        this.error = b.error;
    }

    /** Starts an empty builder (for backends, decorators and test doubles). */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding every field of this response, to derive a variant. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .model(model)
                .choices(choices)
                .usage(usage)
                .cost(cost)
                .latency(latency)
                .backend(backend)
                .headers(headers)
                .raw(raw)
                .promptTokenIds(promptTokenIds)
                .attempts(attempts)
                .error(error);
    }

    /** Returns the provider's response id ({@code chatcmpl-...}, {@code gen-...}), or {@code ""}. */
    public String id() {
        return id;
    }

    /** Returns the model that actually answered (may differ from the requested one). */
    public String model() {
        return model;
    }

    /** Returns the first choice's text, {@code ""} when there is none or the provider sent null. */
    public String content() {
        return choices.isEmpty() ? "" : choices.get(0).message().content();
    }

    /** Returns the first choice's tool calls, empty when there are none (see {@link ToolCall}). */
    public List<ToolCall> toolCalls() {
        return choices.isEmpty() ? List.of() : choices.get(0).toolCalls();
    }

    /**
     * Returns the first choice's refusal, when the model refused: its content is then {@code ""}
     * and its finish reason usually {@code stop}, so check this before scoring an empty answer.
     */
    public Optional<String> refusal() {
        return choices.isEmpty() ? Optional.empty() : choices.get(0).refusal();
    }

    /** Returns the first choice's reasoning text, whichever field carried it. */
    public Optional<String> reasoning() {
        return choices.isEmpty() ? Optional.empty() : choices.get(0).reasoning();
    }

    /**
     * Returns the prompt's token ids, when the server sent them ({@code prompt_token_ids}: vLLM and
     * rLLM's gateway, asked with {@link ChatRequest.Builder#returnTokenIds(Boolean)}); each
     * choice's are in {@link Choice#tokenIds()}.
     */
    public Optional<TokenIds> promptTokenIds() {
        return Optional.ofNullable(promptTokenIds);
    }

    /** Returns every choice, in the provider's order. */
    public List<Choice> choices() {
        return choices;
    }

    /** Returns the first choice's finish reason, {@link FinishReason#MISSING} when there is none. */
    public FinishReason finishReason() {
        return choices.isEmpty() ? FinishReason.MISSING : choices.get(0).finishReason();
    }

    /** Returns the token counts (zeros where the provider reported nothing). */
    public Usage usage() {
        return usage;
    }

    /**
     * Returns the cost of the call when the server reported one: the reply's {@code usage.cost}, or
     * what the backend read from its server's own cost header (its client's Javadoc says which).
     */
    public OptionalDouble cost() {
        return cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost);
    }

    /** Returns the wall time from sending the request to having parsed the reply. */
    public Duration latency() {
        return latency;
    }

    /** Returns the name of the backend that answered, as {@code LLM_BACKEND} selects it. */
    public String backend() {
        return backend;
    }

    /**
     * Returns the response headers of interest, with lower-case names: request and generation
     * ids, rate-limit counters, a gateway's own {@code x-*} headers.
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** Returns one header of interest by name (any case). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * Returns the reply's JSON as received, for fields without a typed accessor. It is the
     * response's own tree, shared with decorators such as tracing: read it, do not modify it.
     */
    public JsonNode raw() {
        return raw;
    }

    /**
     * Returns the HTTP attempts this call took, in order, when it went through the resilience
     * layer ({@code ChatClients.fromEnv()} always adds it); empty from a bare backend.
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * Returns whether this is a fail-open placeholder for a call that failed: its content is
     * empty and {@link #error()} says why. Only clients built with fail-open
     * ({@code LLM_FAIL_OPEN=true}) return such responses; others throw instead.
     */
    public boolean failed() {
        return error != null;
    }

    /** Returns the failure behind a fail-open response, empty for a real reply. */
    public Optional<LlmException> error() {
        return Optional.ofNullable(error);
    }

    /** Shows the metadata of the reply, not its content. */
    @Override
    public String toString() {
        if (error != null) {
            return "ChatResponse[failed, model=" + model + ", backend=" + backend + ", error=" + error.category()
                    + ", attempts=" + attempts.size() + ", latency=" + latency.toMillis() + " ms]";
        }
        return "ChatResponse[id=" + id + ", model=" + model + ", backend=" + backend + ", finishReason="
                + finishReason() + ", content=" + content().length() + " chars"
                + (toolCalls().isEmpty() ? "" : ", toolCalls=" + toolCalls().size())
                + (refusal().isPresent() ? ", refused" : "") + ", usage=" + usage
                + (cost == null ? "" : ", cost=" + cost) + ", latency=" + latency.toMillis() + " ms"
                + (attempts.size() > 1 ? ", attempts=" + attempts.size() : "") + "]";
    }

    /** Builds a {@link ChatResponse}; unset fields take empty values, never {@code null}. */
    public static final class Builder {
        private String id = "";
        private String model = "";
        private List<Choice> choices = List.of();
        private Usage usage = Usage.EMPTY;
        private Double cost;
        private Duration latency = Duration.ZERO;
        private String backend = "";
        private Map<String, String> headers = Map.of();
        private JsonNode raw = NullNode.getInstance();
        private TokenIds promptTokenIds;
        private List<Attempt> attempts = List.of();
        private LlmException error;

        private Builder() {}

        /** Sets the response id. */
        public Builder id(String id) {
            this.id = id == null ? "" : id;
            return this;
        }

        /** Sets the model that answered. */
        public Builder model(String model) {
            this.model = model == null ? "" : model;
            return this;
        }

        /** Sets the choices. */
        public Builder choices(List<Choice> choices) {
            this.choices = Objects.requireNonNull(choices, "choices");
            return this;
        }

        /** Sets a single assistant choice with the given text and finish reason {@code stop}. */
        public Builder content(String content) {
            return choices(List.of(new Choice(0, ChatMessage.assistant(content), FinishReason.STOP)));
        }

        /** Sets the token counts. */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /** Sets the cost ({@code null} for unknown). */
        public Builder cost(Double cost) {
            this.cost = cost;
            return this;
        }

        /** Sets the latency. */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Sets the backend name. */
        public Builder backend(String backend) {
            this.backend = backend == null ? "" : backend;
            return this;
        }

        /** Sets the headers of interest (names should be lower case). */
        public Builder headers(Map<String, String> headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** Sets the raw JSON. */
        public Builder raw(JsonNode raw) {
            this.raw = raw == null ? NullNode.getInstance() : raw;
            return this;
        }

        /** Sets the prompt's token ids ({@code null} when the server sent none). */
        public Builder promptTokenIds(TokenIds promptTokenIds) {
            this.promptTokenIds = promptTokenIds;
            return this;
        }

        /** Sets the attempt history. */
        public Builder attempts(List<Attempt> attempts) {
            this.attempts = Objects.requireNonNull(attempts, "attempts");
            return this;
        }

        /**
         * Marks this response as the fail-open placeholder for the given failure ({@code null}
         * for a real reply); see {@link ChatResponse#failed()}.
         */
        public Builder error(LlmException error) {
            this.error = error;
            return this;
        }

        /** Returns the response. */
        public ChatResponse build() {
            return new ChatResponse(this);
        }
    }
}
