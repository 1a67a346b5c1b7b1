package io.github.llmbridge.core;

import java.util.Objects;

/**
 * One message of a chat conversation: a role ({@code system}, {@code user}, {@code assistant}, or
 * any other role a provider accepts) and its text.
 *
 * <pre>{@code
 * ChatMessage.system("You are a strict grader.");
 * ChatMessage.user("Score this answer: ...");
 * }</pre>
 *
 * @param role    the speaker's role, never blank
 * @param content the text; never {@code null} ({@code ""} when a provider sent none)
 */
public record ChatMessage(String role, String content) {

    /** Role of instructions that frame the conversation. */
    public static final String SYSTEM = "system";
    /** Role of the human or calling program. */
    public static final String USER = "user";
    /** Role of the model. */
    public static final String ASSISTANT = "assistant";

    /**
     * Validates the message.
     *
     * @throws IllegalArgumentException if the role is blank or the content is {@code null}
     */
    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("ChatMessage role must not be blank");
        }
        Objects.requireNonNull(content, () -> "ChatMessage content must not be null (role " + role + ")");
    }

    /** Returns a {@code system} message. */
    public static ChatMessage system(String content) {
        return new ChatMessage(SYSTEM, content);
    }

    /** Returns a {@code user} message. */
    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }

    /** Returns an {@code assistant} message (for few-shot examples or a conversation's history). */
    public static ChatMessage assistant(String content) {
        return new ChatMessage(ASSISTANT, content);
    }

    /** Shows the role and the length of the content, not the content itself (prompts can be large). */
    @Override
    public String toString() {
        return "ChatMessage[" + role + ", " + content.length() + " chars]";
    }
}
