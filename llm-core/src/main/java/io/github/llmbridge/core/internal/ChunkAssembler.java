package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolCallDelta;
import io.github.llmbridge.core.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins {@link ChatChunk}s into the {@link ChatResponse} a non-streamed call would have returned:
 * per choice, the text, reasoning and refusal concatenated, the tool-call pieces joined by their
 * index, the last finish reason; the last usage and cost. Used by clients that make chunks
 * in-process (test doubles); the HTTP transport joins the events' JSON instead, so that fields
 * without an accessor survive in {@code raw()}. Not thread-safe: one stream feeds it.
 */
public final class ChunkAssembler {

    private final Map<Integer, ChoiceParts> choices = new TreeMap<>();
    private String id = "";
    private String model = "";
    private Usage usage = Usage.EMPTY;
    private Double cost;
    private int chunks;

    /** Adds the next chunk. */
    public void add(ChatChunk chunk) {
        chunks++;
        if (!chunk.id().isEmpty()) {
            id = chunk.id();
        }
        if (!chunk.model().isEmpty()) {
            model = chunk.model();
        }
        chunk.usage().ifPresent(u -> usage = u);
        chunk.cost().ifPresent(c -> cost = c);
        for (ChatChunk.Delta d : chunk.choices()) {
            choices.computeIfAbsent(d.index(), i -> new ChoiceParts()).add(d);
        }
    }

    /** Returns how many chunks were added. */
    public int chunks() {
        return chunks;
    }

    /** Returns whether any choice has ended with a finish reason. */
    public boolean finished() {
        return choices.values().stream().anyMatch(c -> c.finishReason.isPresent());
    }

    /** Returns the first choice's text so far (what a failure keeps as its partial content). */
    public String partialContent() {
        ChoiceParts first = choices.get(0);
        return first == null ? "" : first.content.toString();
    }

    /** Returns the reply assembled so far. */
    public ChatResponse response(String backend, String requestedModel, Duration latency) {
        List<Choice> list = new ArrayList<>(choices.size());
        choices.forEach((index, parts) -> list.add(parts.choice(index)));
        if (list.isEmpty()) {
            list.add(new ChoiceParts().choice(0));
        }
        return ChatResponse.builder()
                .id(id)
                .model(model.isEmpty() ? requestedModel : model)
                .choices(list)
                .usage(usage)
                .cost(cost)
                .backend(backend)
                .latency(latency)
                .build();
    }

    private static final class ChoiceParts {
        final StringBuilder content = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        final StringBuilder refusal = new StringBuilder();
        final Map<Integer, String[]> calls = new TreeMap<>(); // index -> {id, name, arguments}
        FinishReason finishReason = FinishReason.MISSING;

        void add(ChatChunk.Delta d) {
            content.append(d.content());
            reasoning.append(d.reasoning());
            refusal.append(d.refusal());
            for (ToolCallDelta t : d.toolCalls()) {
                String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {"", "", ""});
                call[0] = t.id().isEmpty() ? call[0] : t.id();
                call[1] = t.name().isEmpty() ? call[1] : t.name();
                call[2] += t.argumentsDelta();
            }
            if (d.finishReason().isPresent()) {
                finishReason = d.finishReason();
            }
        }

        Choice choice(int index) {
            ChatMessage.Builder m = ChatMessage.builder(ChatMessage.ASSISTANT);
            if (content.length() > 0 || calls.isEmpty()) {
                m.text(content.toString());
            }
            if (reasoning.length() > 0) {
                m.reasoning(reasoning.toString());
            }
            if (refusal.length() > 0) {
                m.refusal(refusal.toString());
            }
            calls.forEach((i, c) -> m.toolCall(ToolCall.function(c[0].isEmpty() ? "call_" + i : c[0], c[1], c[2])));
            return new Choice(index, m.build(), finishReason);
        }
    }
}
