package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.internal.Json;
import java.util.List;
import java.util.Map;

/**
 * Adds LiteLLM's fields to a chat-completions body: {@code metadata} and
 * {@code litellm_session_id} (in {@link LiteLlmMetadataMode#BODY} mode), {@code tags}, and the
 * client's default {@link LiteLlmOptions}. A field the request already set through
 * {@code extraBody} wins; an {@code extraBody} metadata object is merged, its keys winning.
 */
final class LiteLlmBody {

    private LiteLlmBody() {}

    /**
     * @param metadata the call's metadata ({@link CallMetadata#assemble}); sent only in body mode
     * @param session  the call's session, or {@code null}; its name becomes {@code litellm_session_id} in body mode
     */
    static void addFields(
            ObjectNode body,
            LiteLlmMetadataMode mode,
            Map<String, Object> metadata,
            LlmSession session,
            List<String> tags,
            LiteLlmOptions defaults) {
        if (mode == LiteLlmMetadataMode.BODY) {
            addMetadata(body, metadata);
            if (session != null && !session.name().isEmpty() && !body.has("litellm_session_id")) {
                body.put("litellm_session_id", session.name());
            }
        }
        if (!tags.isEmpty() && !body.has("tags")) {
            ArrayNode array = body.putArray("tags");
            tags.forEach(array::add);
        }
        defaults.addDefaultsTo(body);
    }

    /**
     * LiteLLM keeps the body's {@code metadata} in its logs and hands it to its callbacks. An
     * {@code extraBody("metadata", {...})} object is merged with the call's metadata, its keys
     * winning; any other {@code extraBody} metadata value is sent as given.
     */
    private static void addMetadata(ObjectNode body, Map<String, Object> callMetadata) {
        if (callMetadata.isEmpty()) {
            return;
        }
        ObjectNode metadata = Json.MAPPER.valueToTree(callMetadata);
        JsonNode extra = body.get("metadata");
        if (extra == null || extra.isNull()) {
            body.set("metadata", metadata);
        } else if (extra.isObject()) {
            metadata.setAll((ObjectNode) extra);
            body.set("metadata", metadata);
        }
    }
}
