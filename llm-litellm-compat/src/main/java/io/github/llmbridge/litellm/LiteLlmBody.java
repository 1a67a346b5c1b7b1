package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.internal.Json;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds LiteLLM's fields to a chat-completions body: {@code metadata} and
 * {@code litellm_session_id} (in {@link LiteLlmMetadataMode#BODY} mode), {@code tags}, and the
 * client's default {@link LiteLlmOptions}. A field the request already set through
 * {@code extraBody} wins; an {@code extraBody} metadata object is merged, its keys winning.
 *
 * <p>What is sent where, in body mode: the metadata's values as strings in {@code metadata} (so
 * they survive a proxy that forwards {@code metadata} to OpenAI, which takes strings only), a
 * metadata {@code tags} list joined to the request's tags in the top-level {@code tags} list, and
 * the session's name in {@code litellm_session_id}.
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
        List<String> allTags = tags;
        if (mode == LiteLlmMetadataMode.BODY) {
            Map<String, Object> rest = metadata;
            if (metadata.get(TAGS) instanceof Collection<?> metadataTags) {
                // LiteLLM reads the body's tags as it reads metadata.tags, and a list there would not survive
                // being forwarded to OpenAI: the tags join the top-level list instead.
                Set<String> merged = new LinkedHashSet<>(tags);
                metadataTags.forEach(t -> merged.add(String.valueOf(t)));
                allTags = List.copyOf(merged);
                rest = new LinkedHashMap<>(metadata);
                rest.remove(TAGS);
            }
            addMetadata(body, rest);
            if (session != null && !session.name().isEmpty() && !body.has("litellm_session_id")) {
                body.put("litellm_session_id", session.name());
            }
        }
        if (!allTags.isEmpty() && !body.has(TAGS)) {
            ArrayNode array = body.putArray(TAGS);
            allTags.forEach(array::add);
        }
        defaults.addDefaultsTo(body);
    }

    private static final String TAGS = "tags";

    /**
     * LiteLLM keeps the body's {@code metadata} in its logs and hands it to its callbacks, and a
     * proxy run with {@code enable_preview_features} also forwards it to OpenAI, whose
     * {@code metadata} takes string values only (LiteLLM 1.6x and earlier forwarded it whole, and
     * OpenAI refused numbers, lists and nested objects with a 400). So every value is sent as a
     * string: text as it is, anything else as its compact JSON ({@code 3}, {@code true},
     * {@code ["a","b"]}); {@code null} values are left out. An
     * {@code extraBody("metadata", {...})} object is merged with the call's metadata, its keys
     * winning and its values sent as given; any other {@code extraBody} metadata value is sent as
     * given.
     */
    private static void addMetadata(ObjectNode body, Map<String, Object> callMetadata) {
        if (callMetadata.isEmpty()) {
            return;
        }
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        callMetadata.forEach((key, value) -> {
            JsonNode node = Json.MAPPER.valueToTree(value);
            if (node != null && !node.isNull()) {
                metadata.put(key, node.isTextual() ? node.asText() : node.toString());
            }
        });
        JsonNode extra = body.get("metadata");
        if (extra == null || extra.isNull()) {
            body.set("metadata", metadata);
        } else if (extra.isObject()) {
            metadata.setAll((ObjectNode) extra);
            body.set("metadata", metadata);
        }
    }
}
