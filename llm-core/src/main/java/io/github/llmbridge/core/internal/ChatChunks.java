package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Chunks for clients that do not stream, and the one way every layer hands a chunk to a handler. */
public final class ChatChunks {

    private ChatChunks() {}

    /** Returns a whole reply as one chunk: every choice's text, reasoning, refusal, tool calls and finish reason. */
    public static ChatChunk whole(ChatResponse reply) {
        ChatChunk.Builder b =
                ChatChunk.builder().id(reply.id()).model(reply.model()).usage(reply.usage());
        reply.cost().ifPresent(b::cost);
        for (Choice c : reply.choices()) {
            List<ToolCallDelta> calls = new ArrayList<>(c.toolCalls().size());
            for (int i = 0; i < c.toolCalls().size(); i++) {
                ToolCall call = c.toolCalls().get(i);
                calls.add(new ToolCallDelta(i, call.id(), call.name(), call.arguments()));
            }
            b.choice(new ChatChunk.Delta(
                    c.index(),
                    c.content(),
                    c.reasoning().orElse(""),
                    c.refusal().orElse(""),
                    calls,
                    c.finishReason()));
        }
        return b.build();
    }

    /**
     * Hands a chunk to a caller's handler. A handler that throws ends the call: its exception
     * becomes a {@link ErrorCategory#CANCELLED} failure, not retried, with the handler's
     * exception as the cause; an {@link LlmException} it throws passes as it is.
     */
    public static void deliver(Consumer<? super ChatChunk> handler, ChatChunk chunk) {
        try {
            handler.accept(chunk);
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw handlerFailed(e);
        }
    }

    /** Returns the failure of a call whose chunk handler threw {@code e}. */
    public static LlmException handlerFailed(Throwable e) {
        return LlmException.builder(ErrorCategory.CANCELLED, "the stream's chunk handler threw " + e)
                .cause(e)
                .retryable(false)
                .build();
    }
}
