package io.github.llmbridge.core.internal.errors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.io.IOException;

/**
 * The parts of an error body that matter, whatever its shape: what {@link ErrorResponses} and a
 * backend's {@link ErrorDialect} classify.
 *
 * @param message    the provider's message, or {@code null}
 * @param code       the provider's code as text (string or number in the body), or {@code null}
 * @param type       the error's {@code type} ({@code invalid_request_error}, {@code budget_exceeded}), or {@code null}
 * @param metadata   the {@code error.metadata} object some gateways add (limit source, upstream
 *                   provider, moderation reasons), or {@code null}
 * @param structured whether the body had an {@code error} member, i.e. came from the provider and
 *                   not from a router that did not know the path
 * @param node       the whole {@code error} object, for members only one server sends (OpenRouter's
 *                   {@code availability}); {@code null} when the body had none
 */
public record ProviderError(
        String message, String code, String type, JsonNode metadata, boolean structured, JsonNode node) {

    private static final ProviderError NONE = new ProviderError(null, null, null, null, false, null);

    /** An error without the raw object (bodies of other shapes, and tests). */
    public ProviderError(String message, String code, String type, JsonNode metadata, boolean structured) {
        this(message, code, type, metadata, structured, null);
    }

    static ProviderError parse(byte[] body) {
        if (body == null || body.length == 0) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return NONE;
        }
        if (root == null || !root.isObject()) {
            return NONE;
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            return fromErrorNode(error);
        }
        JsonNode detail = root.get("detail");
        if (detail != null && !detail.isNull()) {
            return new ProviderError(detail.isTextual() ? detail.asText() : detail.toString(), null, null, null, false);
        }
        String message = Json.text(root, "message");
        return message == null ? NONE : new ProviderError(message, null, null, null, false);
    }

    static ProviderError fromErrorNode(JsonNode error) {
        if (error.isTextual()) {
            return new ProviderError(error.asText(), null, null, null, true, null);
        }
        JsonNode messageNode = error.get("message");
        String message = messageNode == null || messageNode.isNull()
                ? null
                : messageNode.isTextual() ? messageNode.asText() : messageNode.toString();
        return new ProviderError(
                message,
                Json.text(error, "code"),
                Json.text(error, "type"),
                Json.object(error, "metadata"),
                true,
                error.isObject() ? error : null);
    }

    /** Returns the code as a number, or -1 when it is not one. */
    int numericCode() {
        if (code == null) {
            return -1;
        }
        try {
            return Integer.parseInt(code.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Returns whether the message contains the text; {@code false} when there is no message. */
    public boolean messageContains(String text) {
        return message != null && message.contains(text);
    }

    /** Returns a field of the metadata as text, or {@code null} when there is no such field. */
    public String metadataText(String field) {
        return Json.text(metadata, field);
    }

    /** Returns a member of the {@code error} object that is itself an object, or {@code null}. */
    public JsonNode member(String field) {
        return Json.object(node, field);
    }

    /**
     * Returns the error's own {@code error_type} (OpenRouter's availability errors put it beside
     * the message), else {@code metadata.error_type}; {@code null} when neither is there.
     */
    public String errorType() {
        String own = Json.text(node, "error_type");
        return own != null ? own : metadataText("error_type");
    }

    /** Returns whether the metadata has the field with a non-null value. */
    public boolean hasMetadata(String field) {
        return metadata != null && metadata.hasNonNull(field);
    }
}
