package io.github.llmbridge.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the alternatives a provider returned (one unless the request asked for {@code n}): the
 * generated message, why generation stopped, and, when asked for, the tokens' log probabilities
 * and ids.
 */
public final class Choice {

    private final int index;
    private final ChatMessage message;
    private final FinishReason finishReason;
    private final Logprobs logprobs;
    private final TokenIds tokenIds;

    /**
     * Returns a choice without log probabilities or token ids.
     *
     * @param index        position in the provider's {@code choices} array
     * @param message      the generated message; its content is {@code ""} when the provider sent null
     * @param finishReason why generation stopped
     */
    public Choice(int index, ChatMessage message, FinishReason finishReason) {
        this(index, message, finishReason, null, null);
    }

    /**
     * Returns a choice.
     *
     * @param index        position in the provider's {@code choices} array
     * @param message      the generated message
     * @param finishReason why generation stopped
     * @param logprobs     the tokens' log probabilities, {@code null} when the provider sent none
     * @param tokenIds     the generated token ids, {@code null} when the provider sent none
     */
    public Choice(int index, ChatMessage message, FinishReason finishReason, Logprobs logprobs, TokenIds tokenIds) {
        this.index = index;
        this.message = Objects.requireNonNull(message, "message");
        this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
        this.logprobs = logprobs;
        this.tokenIds = tokenIds;
    }

    /** Returns the position in the provider's {@code choices} array. */
    public int index() {
        return index;
    }

    /** Returns the generated message; append it to a conversation to continue it. */
    public ChatMessage message() {
        return message;
    }

    /** Returns why generation stopped ({@link FinishReason#TOOL_CALLS} when the model called tools). */
    public FinishReason finishReason() {
        return finishReason;
    }

    /** Returns the message's text ({@code ""} when there is none). */
    public String content() {
        return message.content();
    }

    /** Returns the tool calls the model asked for, empty when there are none. */
    public List<ToolCall> toolCalls() {
        return message.toolCalls();
    }

    /** Returns the model's refusal, when it refused (see {@link ChatMessage#refusal()}). */
    public Optional<String> refusal() {
        return message.refusal();
    }

    /** Returns the model's reasoning text, whichever field carried it. */
    public Optional<String> reasoning() {
        return message.reasoning();
    }

    /** Returns the tokens' log probabilities, when the request asked and the provider sent them. */
    public Optional<Logprobs> logprobs() {
        return Optional.ofNullable(logprobs);
    }

    /**
     * Returns the generated token ids, when the server sent them ({@code token_ids}: vLLM and
     * rLLM's gateway, asked with {@link ChatRequest.Builder#returnTokenIds(Boolean)}).
     */
    public Optional<TokenIds> tokenIds() {
        return Optional.ofNullable(tokenIds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Choice c
                && index == c.index
                && message.equals(c.message)
                && finishReason.equals(c.finishReason)
                && Objects.equals(logprobs, c.logprobs)
                && Objects.equals(tokenIds, c.tokenIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, message, finishReason, logprobs, tokenIds);
    }

    @Override
    public String toString() {
        return "Choice[" + index + ", " + message + ", " + finishReason
                + (logprobs == null ? "" : ", " + logprobs)
                + (tokenIds == null ? "" : ", " + tokenIds.size() + " token ids") + "]";
    }
}
