package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One message of a chat conversation: a role and its content, which is text or a list of
 * {@linkplain ContentPart parts} (text, images, audio, files); an assistant message may carry the
 * {@linkplain ToolCall tool calls} the model asked for, a refusal and its reasoning, and a
 * {@code tool} message answers one tool call.
 *
 * <pre>{@code
 * ChatMessage.system("You are a strict grader.");
 * ChatMessage.user("Score this answer: ...");
 * ChatMessage.user(ContentPart.text("Is this chart readable?"), ContentPart.image(png, "image/png"));
 * ChatMessage.toolResult(call.id(), "{\"temperature\": 21}");
 * }</pre>
 *
 * <p>A message read from a reply keeps what the model sent, so appending
 * {@code response.choices().get(0).message()} to the conversation sends back its tool calls and
 * its {@link #reasoningDetails()} (which some reasoning models need on the next turn). Its
 * reasoning <em>text</em> is not sent back: DeepSeek-style servers reject
 * {@code reasoning_content} in a request.
 */
public final class ChatMessage {

    /** Role of instructions that frame the conversation. */
    public static final String SYSTEM = "system";
    /** Role of instructions from the developer, which newer OpenAI models prefer to {@code system}. */
    public static final String DEVELOPER = "developer";
    /** Role of the human or calling program. */
    public static final String USER = "user";
    /** Role of the model. */
    public static final String ASSISTANT = "assistant";
    /** Role of a tool's result, answering one of the model's tool calls. */
    public static final String TOOL = "tool";

    /** Message fields the typed setters own; {@code extra} may not replace them. */
    private static final Set<String> OWN_FIELDS =
            Set.of("role", "content", "name", "tool_calls", "tool_call_id", "refusal", "reasoning_details");

    private final String role;
    private final List<ContentPart> parts;
    private final String name;
    private final List<ToolCall> toolCalls;
    private final String toolCallId;
    private final String refusal;
    private final String reasoning;
    private final JsonNode reasoningDetails;
    private final Map<String, JsonNode> extra;

    /**
     * Returns a message with text content, as {@code ChatMessage.user("...")} and its siblings do.
     *
     * @throws IllegalArgumentException if the role is blank or the content is {@code null}
     */
    public ChatMessage(String role, String content) {
        this(builder(role)
                .text(Objects.requireNonNull(
                        content,
                        () -> "ChatMessage content must not be null (role " + role
                                + "); use ChatMessage.builder(role) for a message without content")));
    }

    private ChatMessage(Builder b) {
        this.role = b.role;
        this.parts = List.copyOf(b.parts);
        this.name = b.name;
        this.toolCalls = List.copyOf(b.toolCalls);
        this.toolCallId = b.toolCallId;
        this.refusal = b.refusal;
        this.reasoning = b.reasoning;
        this.reasoningDetails = b.reasoningDetails == null ? null : b.reasoningDetails.deepCopy();
        Map<String, JsonNode> extraCopy = new LinkedHashMap<>();
        b.extra.forEach((k, v) -> extraCopy.put(k, v.deepCopy()));
        this.extra = Collections.unmodifiableMap(extraCopy);
    }

    /** Returns a {@code system} message. */
    public static ChatMessage system(String content) {
        return new ChatMessage(SYSTEM, content);
    }

    /** Returns a {@code developer} message. */
    public static ChatMessage developer(String content) {
        return new ChatMessage(DEVELOPER, content);
    }

    /** Returns a {@code user} message. */
    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }

    /**
     * Returns a {@code user} message made of parts, e.g. text and an image.
     *
     * @throws IllegalArgumentException when no part is given
     */
    public static ChatMessage user(ContentPart... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("a user message needs at least one content part");
        }
        return builder(USER).parts(List.of(parts)).build();
    }

    /** Returns an {@code assistant} message (for few-shot examples or a conversation's history). */
    public static ChatMessage assistant(String content) {
        return new ChatMessage(ASSISTANT, content);
    }

    /**
     * Returns an {@code assistant} message that calls tools and has no content, as a conversation's
     * history holds it. (A message read from a reply already is one: append it as it is.)
     *
     * @throws IllegalArgumentException when no call is given
     */
    public static ChatMessage assistant(List<ToolCall> toolCalls) {
        if (toolCalls.isEmpty()) {
            throw new IllegalArgumentException("an assistant message of tool calls needs at least one call");
        }
        return builder(ASSISTANT).toolCalls(toolCalls).build();
    }

    /**
     * Returns the {@code tool} message that answers one tool call with its result.
     *
     * @param toolCallId the {@link ToolCall#id()} answered
     * @param result     the result, usually JSON text
     * @throws IllegalArgumentException when the id is blank or the result is {@code null}
     */
    public static ChatMessage toolResult(String toolCallId, String result) {
        return builder(TOOL)
                .toolCallId(toolCallId)
                .text(Objects.requireNonNull(result, "tool result must not be null"))
                .build();
    }

    /** Starts a builder for a message with the given role. */
    public static Builder builder(String role) {
        return new Builder(role);
    }

    /** Returns a builder holding every field of this message, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        b.parts.addAll(parts);
        b.name = name;
        b.toolCalls.addAll(toolCalls);
        b.toolCallId = toolCallId;
        b.refusal = refusal;
        b.reasoning = reasoning;
        b.reasoningDetails = reasoningDetails;
        b.extra.putAll(extra);
        return b;
    }

    /** Returns the speaker's role ({@link #SYSTEM}, {@link #USER}, ... or any role a provider accepts). */
    public String role() {
        return role;
    }

    /**
     * Returns the message's text: its text parts joined, {@code ""} when it has none (a tool-call
     * message, a refusal, a provider that sent {@code null}). Other parts are left out.
     */
    public String content() {
        if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
            return t.text();
        }
        StringBuilder s = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                s.append(t.text());
            }
        }
        return s.toString();
    }

    /**
     * Returns the content parts, in order: one text part for a message made from a string, none
     * when the message has no content ({@code "content": null} on the wire).
     */
    public List<ContentPart> parts() {
        return parts;
    }

    /** Returns the participant's name ({@code name}), if set. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Returns the tool calls of an assistant message, empty when there are none. */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /** Returns the id of the tool call a {@code tool} message answers. */
    public Optional<String> toolCallId() {
        return Optional.ofNullable(toolCallId);
    }

    /**
     * Returns the model's refusal to answer, when it refused: the content is then empty and the
     * finish reason usually {@code stop}. {@code chatJson} turns a refusal into an
     * {@link ErrorCategory#CONTENT_FILTERED} failure.
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * Returns the model's reasoning text, whichever field carried it ({@code reasoning} on
     * OpenRouter, {@code reasoning_content} on vLLM and DeepSeek-style servers). Not sent back.
     */
    public Optional<String> reasoning() {
        return Optional.ofNullable(reasoning);
    }

    /**
     * Returns the structured reasoning ({@code reasoning_details}, an array) some models need sent
     * back on the next turn; it is, when this message is in a request. A copy.
     */
    public Optional<JsonNode> reasoningDetails() {
        return Optional.ofNullable(reasoningDetails).map(JsonNode::deepCopy);
    }

    /**
     * Returns the provider-specific message fields written beside the typed ones. A message read
     * from a reply has none: the reply fields this library does not model (e.g.
     * {@code annotations}) stay in {@link ChatResponse#raw()}, so appending the message to the next
     * request does not send them back. The nodes are the message's own: do not modify them.
     */
    public Map<String, JsonNode> extra() {
        return extra;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatMessage m
                && role.equals(m.role)
                && parts.equals(m.parts)
                && Objects.equals(name, m.name)
                && toolCalls.equals(m.toolCalls)
                && Objects.equals(toolCallId, m.toolCallId)
                && Objects.equals(refusal, m.refusal)
                && Objects.equals(reasoning, m.reasoning)
                && Objects.equals(reasoningDetails, m.reasoningDetails)
                && extra.equals(m.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, parts, name, toolCalls, toolCallId, refusal, reasoning, reasoningDetails, extra);
    }

    /** Shows the role and the size of what the message holds, not its text (prompts can be large). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ChatMessage[").append(role);
        if (parts.size() == 1
                && parts.get(0) instanceof ContentPart.Text t
                && t.extra().isEmpty()) {
            s.append(", ").append(t.text().length()).append(" chars");
        } else if (!parts.isEmpty()) {
            s.append(", parts=").append(parts);
        }
        if (!toolCalls.isEmpty()) {
            s.append(", toolCalls=").append(toolCalls);
        }
        if (toolCallId != null) {
            s.append(", toolCallId=").append(toolCallId);
        }
        if (refusal != null) {
            s.append(", refused");
        }
        if (reasoning != null) {
            s.append(", reasoning=").append(reasoning.length()).append(" chars");
        }
        return s.append(']').toString();
    }

    /** Builds a {@link ChatMessage}; {@link #build()} validates it. */
    public static final class Builder {
        private final String role;
        private final List<ContentPart> parts = new ArrayList<>();
        private String name;
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private String toolCallId;
        private String refusal;
        private String reasoning;
        private JsonNode reasoningDetails;
        private final Map<String, JsonNode> extra = new LinkedHashMap<>();

        private Builder(String role) {
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("ChatMessage role must not be blank");
            }
            this.role = role;
        }

        /** Appends a text part. */
        public Builder text(String text) {
            return part(ContentPart.text(text));
        }

        /** Appends a content part. */
        public Builder part(ContentPart part) {
            parts.add(Objects.requireNonNull(part, "content part"));
            return this;
        }

        /** Replaces the content parts (none: a message without content). */
        public Builder parts(List<? extends ContentPart> parts) {
            this.parts.clear();
            parts.forEach(this::part);
            return this;
        }

        /** Sets the participant's name ({@code null} unsets). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Appends a tool call (assistant messages). */
        public Builder toolCall(ToolCall call) {
            toolCalls.add(Objects.requireNonNull(call, "tool call"));
            return this;
        }

        /** Replaces the tool calls (assistant messages). */
        public Builder toolCalls(List<ToolCall> calls) {
            toolCalls.clear();
            calls.forEach(this::toolCall);
            return this;
        }

        /** Sets the id of the tool call a {@code tool} message answers ({@code null} unsets). */
        public Builder toolCallId(String toolCallId) {
            this.toolCallId = toolCallId;
            return this;
        }

        /** Sets the refusal ({@code null} unsets). */
        public Builder refusal(String refusal) {
            this.refusal = refusal;
            return this;
        }

        /** Sets the reasoning text, which is read from replies and not sent ({@code null} unsets). */
        public Builder reasoning(String reasoning) {
            this.reasoning = reasoning;
            return this;
        }

        /** Sets the structured reasoning sent back to the model, a JSON array ({@code null} unsets). */
        public Builder reasoningDetails(JsonNode reasoningDetails) {
            this.reasoningDetails = reasoningDetails == null || reasoningDetails.isNull() ? null : reasoningDetails;
            return this;
        }

        /**
         * Adds a provider-specific message field (any value Jackson can write), written beside the
         * typed ones.
         *
         * @throws IllegalArgumentException when the key is a field with a typed setter or the value
         *                                  cannot be written as JSON
         */
        public Builder extra(String key, Object value) {
            Objects.requireNonNull(key, "extra key");
            if (OWN_FIELDS.contains(key)) {
                throw new IllegalArgumentException("message field '" + key + "' has a typed setter; use it");
            }
            extra.put(key, PartExtras.toJson(key, value));
            return this;
        }

        /**
         * Validates and returns the message.
         *
         * @throws IllegalArgumentException when a {@code tool} message has no {@code toolCallId}
         *                                  (the API rejects it), or a message other than an
         *                                  assistant's carries tool calls
         */
        public ChatMessage build() {
            if (role.equals(TOOL) && (toolCallId == null || toolCallId.isBlank())) {
                throw new IllegalArgumentException("a tool message must name the tool call it answers: use"
                        + " ChatMessage.toolResult(call.id(), result)");
            }
            if (!toolCalls.isEmpty() && !role.equals(ASSISTANT)) {
                throw new IllegalArgumentException("only assistant messages carry tool calls, not " + role);
            }
            if (reasoningDetails != null && !reasoningDetails.isArray()) {
                throw new IllegalArgumentException("reasoningDetails must be a JSON array");
            }
            return new ChatMessage(this);
        }
    }
}
