package io.github.llmbridge.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.SchemaCheck;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ChatClient#chatJson} does around the calls it makes:
 * <ul>
 *   <li><b>Structured output from the type.</b> When the request sets no response format and a
 *       strict schema describes the type ({@link JsonSchemas#of}), the request is sent with that
 *       {@code json_schema}; a server that rejects the format itself (a 400 that names
 *       {@code response_format}, {@code json_schema} or structured output) is asked once more
 *       without it, and the tolerant parser does the work, as it always did.</li>
 *   <li><b>Validation.</b> When a schema was sent (derived or the caller's own), the reply's JSON
 *       must match it; a mismatch counts as unusable output.</li>
 *   <li><b>The output retry.</b> When a reply holds no usable JSON, the call is made again with the
 *       bad reply and the reason added to the conversation, so the model can correct itself.
 *       Separate from (and on top of) the transport retries of the resilience layer.</li>
 *   <li><b>Refusals</b> fail as {@link ErrorCategory#CONTENT_FILTERED} at once.</li>
 * </ul>
 */
final class JsonCalls {

    private static final Logger log = LoggerFactory.getLogger(JsonCalls.class);

    /** The strict format derived from each type, or empty when no strict schema describes it. */
    private static final ClassValue<Optional<ResponseFormat>> DERIVED = new ClassValue<>() {
        @Override
        protected Optional<ResponseFormat> computeValue(Class<?> type) {
            try {
                return Optional.of(ResponseFormat.jsonSchema(type));
            } catch (IllegalArgumentException noStrictSchema) {
                log.debug("no strict schema for {}, chatJson sends no response format: {}", type, noStrictSchema);
                return Optional.empty();
            }
        }
    };

    private JsonCalls() {}

    static <T> CompletableFuture<T> call(ChatClient client, ChatRequest request, Class<T> type, int outputRetries) {
        if (outputRetries < 0) {
            throw new IllegalArgumentException("outputRetries must not be negative, was " + outputRetries);
        }
        if (request.responseFormat().isPresent()) {
            return attempt(client, request, type, schemaOf(request), outputRetries, 1);
        }
        Optional<ResponseFormat> derived = DERIVED.get(type);
        if (derived.isEmpty()) {
            return attempt(client, request, type, null, outputRetries, 1);
        }
        ChatRequest structured =
                request.toBuilder().responseFormat(derived.get()).build();
        return attempt(client, structured, type, schemaOf(structured), outputRetries, 1)
                .exceptionallyCompose(e -> {
                    LlmException failure = LlmException.from(e);
                    if (!rejectsTheFormat(failure)) {
                        return Futures.failed(failure);
                    }
                    log.warn(
                            "{} rejected the json_schema response format for {} ({}); asking without it",
                            request.model(),
                            type.getSimpleName(),
                            failure.getMessage());
                    return attempt(client, request, type, null, outputRetries, 1);
                });
    }

    private static <T> CompletableFuture<T> attempt(
            ChatClient client, ChatRequest request, Class<T> type, JsonNode schema, int retriesLeft, int tries) {
        CompletableFuture<ChatResponse> reply;
        try {
            reply = client.chatAsync(request);
        } catch (RuntimeException e) {
            return Futures.failed(LlmException.from(e));
        }
        return reply.thenCompose(response -> {
            if (response.failed()) {
                // A fail-open placeholder has no content to parse: report the real failure.
                return Futures.<T>failed(response.error().orElseThrow());
            }
            if (response.refusal().isPresent()) {
                // Asking again gets the same refusal; an empty answer scored as 0 would be worse.
                return Futures.<T>failed(refused(response));
            }
            try {
                checkSchema(response.content(), schema, type);
                return CompletableFuture.completedFuture(JsonReplies.parse(response.content(), type));
            } catch (LlmException notJson) {
                if (retriesLeft == 0) {
                    return Futures.<T>failed(notJson.toBuilder()
                            .message(notJson.getMessage() + " (after " + tries + (tries == 1 ? " try" : " tries") + ")")
                            .model(response.model())
                            .backend(response.backend())
                            .build());
                }
                log.warn(
                        "reply from {} is not usable JSON for {} (try {}); asking again: {}",
                        response.model(),
                        type.getSimpleName(),
                        tries,
                        notJson.getMessage());
                ChatRequest again = request.toBuilder()
                        .assistant(response.content())
                        .user("Your previous reply could not be used: " + why(notJson) + ". Reply again with only"
                                + " the JSON, no prose and no code fences.")
                        .build();
                return attempt(client, again, type, schema, retriesLeft - 1, tries + 1);
            }
        });
    }

    /**
     * Fails a reply whose JSON does not match the schema that was sent; servers that do not
     * enforce a schema (or enforce it loosely) are caught here, and the model is told what to fix.
     */
    private static void checkSchema(String content, JsonNode schema, Class<?> type) {
        if (schema == null) {
            return;
        }
        Optional<JsonNode> value = JsonReplies.find(content);
        if (value.isEmpty()) {
            return; // no JSON at all: the typed parse that follows says so
        }
        List<String> violations = SchemaCheck.violations(value.get(), schema);
        if (!violations.isEmpty()) {
            String shown = String.join("; ", violations.subList(0, Math.min(5, violations.size())));
            throw LlmException.builder(
                            ErrorCategory.INVALID_RESPONSE,
                            "the model's reply does not match the schema of " + type.getSimpleName() + ": " + shown)
                    .partialContent(content)
                    .retryable(false) // as the parser's own: the output retry here is what helps
                    .build();
        }
    }

    /** The schema a request's format sends, when this library can check replies against it. */
    private static JsonNode schemaOf(ChatRequest request) {
        JsonNode schema =
                request.responseFormat().flatMap(ResponseFormat::schema).orElse(null);
        if (schema == null) {
            return null;
        }
        if (!SchemaCheck.unsupportedKeywords(schema).isEmpty()) {
            log.debug(
                    "replies are not checked against the schema: it uses {}", SchemaCheck.unsupportedKeywords(schema));
            return null;
        }
        return allowingExtraFields(schema);
    }

    /**
     * The schema with {@code "additionalProperties": false} removed everywhere. Strict structured
     * output needs it on the wire, but a server that does not enforce the schema often adds a field
     * (an echo of the question, a note); the reply still fits the type, which ignores unknown
     * fields, so only what the type needs is checked: required fields, types, enum values.
     */
    private static JsonNode allowingExtraFields(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        removeClosedObjects(copy);
        return copy;
    }

    private static void removeClosedObjects(JsonNode node) {
        if (node.isObject()) {
            JsonNode additional = node.get("additionalProperties");
            if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                ((ObjectNode) node).remove("additionalProperties");
            }
        }
        node.forEach(JsonCalls::removeClosedObjects);
    }

    /** Whether a failure is the server refusing structured output itself, not the request's content. */
    private static boolean rejectsTheFormat(LlmException failure) {
        if (failure.category() != ErrorCategory.BAD_REQUEST) {
            return false;
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("response_format")
                || message.contains("json_schema")
                || message.contains("structured output")
                || message.contains("response format");
    }

    /** The failure for a reply in which the model refused: the refusal text says why. */
    static LlmException refused(ChatResponse response) {
        String refusal = response.refusal().orElse("");
        String shown = refusal.length() > 500 ? refusal.substring(0, 500) + "..." : refusal;
        return LlmException.builder(
                        ErrorCategory.CONTENT_FILTERED,
                        "the model " + response.model() + " refused to answer: " + shown)
                .retryable(false)
                .model(response.model())
                .backend(response.backend())
                .attempts(response.attempts())
                .build();
    }

    private static String why(LlmException notJson) {
        String m = notJson.getMessage();
        int cut = m.indexOf("; reply began");
        String reason = cut < 0 ? m : m.substring(0, cut);
        if (reason.startsWith("the model's reply does not match")) {
            return reason.replace("the model's reply does not match", "it does not match");
        }
        return reason.replace("the model's reply is not usable JSON: ", "it is not usable JSON (") + ")";
    }
}
