package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Usage;
import java.util.List;

/**
 * What a {@link ToolLoop} run produced: the last reply, the whole conversation, every round's
 * reply and every tool call handled, and why the loop stopped.
 *
 * <pre>{@code
 * ToolLoopResult r = loop.run(client, request);
 * if (r.stopReason() == ToolLoopResult.StopReason.ROUND_LIMIT) { ... }   // still calling tools
 * String answer = r.content();
 * List<ChatMessage> rollout = r.messages();      // the transcript, e.g. for training
 * }</pre>
 */
public final class ToolLoopResult {

    /** Why the loop stopped. */
    public enum StopReason {
        /** The model answered without calling a tool. */
        ANSWERED,
        /**
         * The last allowed round's reply still called tools; they were run and their results are
         * the last messages of the transcript, so it can be continued as it is.
         */
        ROUND_LIMIT
    }

    private final List<ChatMessage> messages;
    private final List<ChatResponse> responses;
    private final List<ToolExecution> toolExecutions;
    private final StopReason stopReason;

    ToolLoopResult(
            List<ChatMessage> messages,
            List<ChatResponse> responses,
            List<ToolExecution> toolExecutions,
            StopReason stopReason) {
        this.messages = List.copyOf(messages);
        this.responses = List.copyOf(responses);
        this.toolExecutions = List.copyOf(toolExecutions);
        this.stopReason = stopReason;
    }

    /** Returns the last round's reply: the answer, or with {@link StopReason#ROUND_LIMIT} the last tool calls. */
    public ChatResponse response() {
        return responses.get(responses.size() - 1);
    }

    /** Returns the last reply's text ({@code ""} when it has none, e.g. at the round limit). */
    public String content() {
        return response().content();
    }

    /**
     * Returns the whole conversation, in order: the request's messages, then for each round the
     * model's message (with its tool calls) and one {@code tool} message per call, ending with
     * the final answer (or, at the round limit, with the last round's tool results).
     */
    public List<ChatMessage> messages() {
        return messages;
    }

    /** Returns every round's reply, in order (one per round, so its size is {@link #rounds()}). */
    public List<ChatResponse> responses() {
        return responses;
    }

    /** Returns how many rounds ran, i.e. how many calls were made to the model. */
    public int rounds() {
        return responses.size();
    }

    /** Returns every tool call the loop handled, in the order the model made them. */
    public List<ToolExecution> toolExecutions() {
        return toolExecutions;
    }

    /** Returns how many tool calls did not succeed (unknown tool, bad arguments, or the tool threw). */
    public int toolErrors() {
        return (int) toolExecutions.stream().filter(e -> !e.succeeded()).count();
    }

    /** Returns why the loop stopped. */
    public StopReason stopReason() {
        return stopReason;
    }

    /** Returns the token counts of all rounds added up. */
    public Usage usage() {
        Usage total = Usage.EMPTY;
        for (ChatResponse r : responses) {
            total = total.plus(r.usage());
        }
        return total;
    }

    /** Shows the counts and the stop reason, not the conversation. */
    @Override
    public String toString() {
        return "ToolLoopResult[" + stopReason + ", " + rounds() + " rounds, " + toolExecutions.size() + " tool calls"
                + (toolErrors() == 0 ? "" : " (" + toolErrors() + " failed)") + ", " + messages.size() + " messages]";
    }
}
