package io.github.llmbridge.tracing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatMessageJson;
import io.github.llmbridge.core.internal.transport.ReplyDetailsJson;
import io.github.llmbridge.tracing.TraceRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the reply of a recorded call from its trace: the choices from the stored reply body,
 * read as the transport reads a live one; usage and the model from their columns. Marked as the
 * cache's: backend {@value CachingChatClient#BACKEND}, cost 0, and headers naming the original
 * trace.
 */
final class RecordedReply {

    private RecordedReply() {}

    /**
     * Returns the reply.
     *
     * @throws IOException when the stored reply is not a chat completion with choices
     */
    static ChatResponse of(TraceRecord record, Duration latency) throws IOException {
        JsonNode raw = Json.MAPPER.readTree(record.responseJson());
        JsonNode choicesNode = raw == null ? null : raw.get("choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw new IOException("the stored reply has no choices");
        }
        List<Choice> choices = new ArrayList<>(choicesNode.size());
        for (int i = 0; i < choicesNode.size(); i++) {
            JsonNode node = choicesNode.get(i);
            JsonNode index = node.get("index");
            choices.add(new Choice(
                    index != null && index.canConvertToInt() ? index.asInt() : i,
                    ChatMessageJson.read(Json.object(node, "message")),
                    FinishReason.of(Json.text(node, "finish_reason")),
                    ReplyDetailsJson.logprobs(node),
                    ReplyDetailsJson.tokenIds(node, "token_ids")));
        }
        String id = record.responseId() != null ? record.responseId() : Json.text(raw, "id");
        return ChatResponse.builder()
                .id(id)
                .model(record.modelUsed() != null ? record.modelUsed() : record.modelRequested())
                .choices(choices)
                .usage(record.usage())
                .cost(0.0)
                .latency(latency)
                .backend(CachingChatClient.BACKEND)
                .headers(Map.of(
                        CachingChatClient.CACHE_HEADER, "hit", CachingChatClient.CACHED_TRACE_HEADER, record.traceId()))
                .raw(raw)
                .promptTokenIds(record.promptTokenIds())
                .build();
    }
}
