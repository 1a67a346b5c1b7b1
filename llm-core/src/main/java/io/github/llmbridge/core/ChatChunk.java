package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One event of a streamed reply: the next pieces of each choice's content, reasoning, refusal
 * and tool calls, and, near the end, the finish reason and the usage. The accessors without a
 * choice index read the first choice, which is the only one unless the request asked for
 * {@code n > 1}.
 *
 * <pre>{@code
 * try (ChatStream stream = client.stream(request)) {
 *     for (ChatChunk chunk : stream) System.out.print(chunk.content());
 * }
 * }</pre>
 *
 * <p>Chunks are immutable. {@link #raw()} is the event's JSON as the server sent it (for a chunk
 * made in-process, by a test double or by a client that does not stream, a JSON object of the
 * same shape), for fields without an accessor.
 */
public final class ChatChunk {

    private final String id;
    private final String model;
    private final List<Delta> choices;
    private final Usage usage;
    private final Double cost;
    private final JsonNode raw;
    private final boolean restart;

    private ChatChunk(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.choices = List.copyOf(b.choices);
        this.usage = b.usage;
        this.cost = b.cost;
        this.raw = b.raw != null ? b.raw : JsonNodeFactory.instance.objectNode();
        this.restart = b.restart;
    }

    /**
     * What one chunk adds to one choice. Strings the event did not carry are {@code ""}.
     *
     * @param index        the choice's index
     * @param content      the next characters of the answer
     * @param reasoning    the next characters of the model's reasoning text, where the server sends it
     * @param refusal      the next characters of a refusal
     * @param toolCalls    the next pieces of the tool calls
     * @param finishReason why the choice ended, on its last chunk; {@link FinishReason#MISSING} before
     */
    public record Delta(
            int index,
            String content,
            String reasoning,
            String refusal,
            List<ToolCallDelta> toolCalls,
            FinishReason finishReason) {

        /** Replaces {@code null}s with empty values and copies the list. */
        public Delta {
            content = content == null ? "" : content;
            reasoning = reasoning == null ? "" : reasoning;
            refusal = refusal == null ? "" : refusal;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            finishReason = finishReason == null ? FinishReason.MISSING : finishReason;
        }

        /** Returns whether this delta carries any output (text, reasoning, refusal or a tool call). */
        public boolean hasOutput() {
            return !content.isEmpty() || !reasoning.isEmpty() || !refusal.isEmpty() || !toolCalls.isEmpty();
        }
    }

    /** Starts a builder, for test doubles and clients that make chunks themselves. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a chunk that adds {@code text} to the first choice's content. */
    public static ChatChunk ofContent(String text) {
        return builder().content(text).build();
    }

    /** Returns the completion's id, the same on every chunk of a stream ({@code ""} if none was sent). */
    public String id() {
        return id;
    }

    /** Returns the model that answered, as the server names it ({@code ""} if none was sent). */
    public String model() {
        return model;
    }

    /** Returns what this chunk adds to each choice it mentions (often none on the usage chunk). */
    public List<Delta> choices() {
        return choices;
    }

    /** Returns the next characters of the first choice's content, or {@code ""}. */
    public String content() {
        return first().map(Delta::content).orElse("");
    }

    /** Returns the next characters of the first choice's reasoning text, or {@code ""}. */
    public String reasoning() {
        return first().map(Delta::reasoning).orElse("");
    }

    /** Returns the next pieces of the first choice's tool calls (usually none). */
    public List<ToolCallDelta> toolCalls() {
        return first().map(Delta::toolCalls).orElse(List.of());
    }

    /** Returns the first choice's finish reason if this chunk ends it. */
    public Optional<FinishReason> finishReason() {
        return first().map(Delta::finishReason).filter(FinishReason::isPresent);
    }

    /** Returns the call's token counts, on the chunk that carries them (usually the last one). */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** Returns the cost the server reported with the usage, if any. */
    public OptionalDouble cost() {
        return cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost);
    }

    /** Returns whether any choice of this chunk carries output (text, reasoning, refusal, tool call). */
    public boolean hasOutput() {
        for (Delta d : choices) {
            if (d.hasOutput()) {
                return true;
            }
        }
        return false;
    }

    /** Returns the event's JSON. */
    public JsonNode raw() {
        return raw;
    }

    /**
     * Returns whether this chunk starts the reply over: the attempt that sent the earlier chunks
     * failed after its output began and the resilience layer restarted it (only when configured
     * to, see {@code ResilientChatClient.Builder.streamPolicy}). Discard what earlier chunks
     * delivered; {@link ChatStream#response()} holds only the restarted attempt's reply.
     */
    public boolean restart() {
        return restart;
    }

    /** Returns this chunk marked as the first of a restarted reply (see {@link #restart()}). */
    public ChatChunk asRestart() {
        if (restart) {
            return this;
        }
        Builder b = builder().id(id).model(model).usage(usage).cost(cost).raw(raw);
        choices.forEach(b::choice);
        b.restart = true;
        return b.build();
    }

    private Optional<Delta> first() {
        for (Delta d : choices) {
            if (d.index() == 0) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Shows the deltas, finish reason and usage; never the raw JSON. */
    @Override
    public String toString() {
        return "ChatChunk[" + (restart ? "restart, " : "") + choices + (usage != null ? ", usage=" + usage : "") + "]";
    }

    /** Builds a {@link ChatChunk}; the single-choice setters write choice 0. */
    public static final class Builder {
        private String id = "";
        private String model = "";
        private final List<Delta> choices = new ArrayList<>(1);
        private String content = "";
        private String reasoning = "";
        private String refusal = "";
        private final List<ToolCallDelta> toolCalls = new ArrayList<>();
        private FinishReason finishReason = FinishReason.MISSING;
        private boolean firstTouched;
        private Usage usage;
        private Double cost;
        private JsonNode raw;
        private boolean restart;

        private Builder() {}

        /** Sets the completion's id. */
        public Builder id(String id) {
            this.id = id == null ? "" : id;
            return this;
        }

        /** Sets the model that answered. */
        public Builder model(String model) {
            this.model = model == null ? "" : model;
            return this;
        }

        /** Sets the next characters of choice 0's content. */
        public Builder content(String content) {
            this.content = Objects.requireNonNull(content, "content");
            firstTouched = true;
            return this;
        }

        /** Sets the next characters of choice 0's reasoning text. */
        public Builder reasoning(String reasoning) {
            this.reasoning = Objects.requireNonNull(reasoning, "reasoning");
            firstTouched = true;
            return this;
        }

        /** Sets the next characters of choice 0's refusal. */
        public Builder refusal(String refusal) {
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            firstTouched = true;
            return this;
        }

        /** Adds a piece of one of choice 0's tool calls. */
        public Builder toolCall(ToolCallDelta delta) {
            toolCalls.add(Objects.requireNonNull(delta, "delta"));
            firstTouched = true;
            return this;
        }

        /** Sets choice 0's finish reason (this chunk is its last). */
        public Builder finishReason(FinishReason finishReason) {
            this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
            firstTouched = true;
            return this;
        }

        /** Adds a delta for a choice other than what the single-choice setters write. */
        public Builder choice(Delta delta) {
            choices.add(Objects.requireNonNull(delta, "delta"));
            return this;
        }

        /** Sets the call's token counts. */
        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        /** Sets the cost reported with the usage. */
        public Builder cost(Double cost) {
            this.cost = cost;
            return this;
        }

        /** Sets the event's JSON. */
        public Builder raw(JsonNode raw) {
            this.raw = raw;
            return this;
        }

        /** Returns the chunk. */
        public ChatChunk build() {
            if (firstTouched) {
                choices.removeIf(d -> d.index() == 0);
                choices.add(0, new Delta(0, content, reasoning, refusal, toolCalls, finishReason));
                firstTouched = false;
            }
            return new ChatChunk(this);
        }
    }
}
