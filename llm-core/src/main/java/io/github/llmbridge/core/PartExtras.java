package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The provider-specific fields of a {@link ContentPart}, and how a part shows inline data. */
final class PartExtras {
    private PartExtras() {}

    static Map<String, JsonNode> copy(Map<String, JsonNode> extra) {
        if (extra == null || extra.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        extra.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "extra key"), v.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    static Map<String, JsonNode> with(Map<String, JsonNode> extra, String key, Object value, String ownField) {
        Objects.requireNonNull(key, "key");
        if (key.equals("type") || key.equals(ownField)) {
            throw new IllegalArgumentException("'" + key + "' is the part's own field, not an extra");
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>(extra);
        copy.put(key, toJson(key, value));
        return copy;
    }

    static JsonNode toJson(String key, Object value) {
        try {
            return Json.treeCopy(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "content part field '" + key + "' cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    static String describe(Map<String, JsonNode> extra) {
        return extra.isEmpty() ? "" : ", extra=" + extra.keySet();
    }

    static String describeUrl(String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "data:" : url.substring(0, comma);
            return header + ", " + (comma < 0 ? url.length() : url.length() - comma - 1) + " chars";
        }
        // A signed URL carries its credential in the query: never show it.
        int query = url.indexOf('?');
        String shown = query < 0 ? url : url.substring(0, query) + "?...";
        return shown.length() > 100 ? shown.substring(0, 100) + "..." : shown;
    }
}
