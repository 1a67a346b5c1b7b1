package io.github.llmbridge.litellm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * rLLM's URL slug for call metadata, byte-compatible with its SDK's {@code encode_metadata_slug}:
 * {@code rllm1:} followed by the URL-safe base64 (no {@code =} padding) of the metadata's compact,
 * key-sorted JSON as Python writes it.
 */
final class RllmMetadataSlug {

    /** The version prefix rLLM's proxy expects. */
    static final String PREFIX = "rllm1:";

    private RllmMetadataSlug() {}

    /**
     * Returns the slug for the metadata.
     *
     * @throws IllegalArgumentException when a value cannot be written as JSON
     */
    static String encode(Map<String, ?> metadata) {
        byte[] json = PythonJson.write(metadata).getBytes(StandardCharsets.UTF_8);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }
}
