package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the token-level parts of a reply: a choice's {@code logprobs} and the token ids that
 * vLLM-style servers add ({@code prompt_token_ids} at the top level, {@code token_ids} per
 * choice). Entries that are not what the spec says are skipped, never fatal: a judge that asked
 * for logprobs still gets its answer when a gateway mangles them.
 */
public final class ReplyDetailsJson {

    private ReplyDetailsJson() {}

    /** Returns a choice's log probabilities, {@code null} when it has none. */
    public static Logprobs logprobs(JsonNode choice) {
        JsonNode node = Json.object(choice, "logprobs");
        if (node == null) {
            return null;
        }
        return new Logprobs(tokens(node.get("content"), true), tokens(node.get("refusal"), true));
    }

    /** Returns the token ids in a field, {@code null} when the field is absent or not a list of integers. */
    public static TokenIds tokenIds(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !node.isArray()) {
            return null;
        }
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = node.get(i);
            if (!id.canConvertToInt() || !id.isIntegralNumber()) {
                return null;
            }
            ids[i] = id.intValue();
        }
        return TokenIds.of(ids);
    }

    private static List<TokenLogprob> tokens(JsonNode list, boolean withAlternatives) {
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<TokenLogprob> out = new ArrayList<>(list.size());
        for (JsonNode entry : list) {
            JsonNode logprob = entry.get("logprob");
            String token = Json.text(entry, "token");
            if (token == null || logprob == null || !logprob.isNumber()) {
                continue;
            }
            out.add(new TokenLogprob(
                    token,
                    logprob.asDouble(),
                    bytes(entry.get("bytes")),
                    withAlternatives ? tokens(entry.get("top_logprobs"), false) : List.of()));
        }
        return out;
    }

    private static List<Integer> bytes(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(node.size());
        for (JsonNode b : node) {
            if (!b.canConvertToInt()) {
                return List.of();
            }
            out.add(b.intValue());
        }
        return out;
    }
}
