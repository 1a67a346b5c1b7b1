package io.github.llmbridge.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an error reply into an {@link LlmException}. It understands both error shapes of
 * ../WIRE.md: LiteLLM's {@code {"error": {"message", "type", "code": "429"}}} with string codes,
 * OpenRouter's {@code {"error": {"code": 402, "message", "metadata": {...}}}} with numeric codes,
 * plus FastAPI's {@code {"detail": ...}} and bodies that are not JSON at all (a load balancer's
 * HTML 502 page), which become a message with the status and the start of the body.
 */
public final class ErrorResponses {

    /** How much of a non-JSON body a message shows. */
    static final int SNIPPET_CHARS = 200;
    /** Provider messages can carry whole tracebacks; a message keeps this much of one. */
    private static final int MAX_PROVIDER_MESSAGE_CHARS = 1_000;

    private static final Pattern CONTEXT_LENGTH = Pattern.compile(
            "context[_ ]length|context window|maximum context|contextwindowexceeded|prompt is too long"
                    + "|too many (input )?tokens", Pattern.CASE_INSENSITIVE);
    private static final Pattern UPSTREAM_CONNECTION = Pattern.compile(
            "connection ?error|apiconnectionerror", Pattern.CASE_INSENSITIVE);

    private ErrorResponses() {
    }

    /**
     * Maps a non-2xx reply.
     *
     * @param status  the HTTP status
     * @param headers response headers of interest (lower-case names)
     * @param body    the body as received (may be empty)
     */
    public static LlmException fromHttpError(int status, Map<String, String> headers, byte[] body, CallContext ctx) {
        ProviderError error = ProviderError.parse(body);
        Classification c = classify(status, error);
        String detail = error.message() != null
                ? truncate(error.message(), MAX_PROVIDER_MESSAGE_CHARS)
                : bodyDescription(body);
        String message = ctx.backend() + " answered HTTP " + StatusText.describe(status)
                + forModel(ctx) + ": " + detail + c.hint(ctx);
        return build(c, message, status, error, headers, ctx).build();
    }

    /**
     * Maps an error that arrived inside a 2xx reply (OpenRouter: {@code choices[0].finish_reason
     * == "error"} with an {@code error} object, or a top-level {@code error} without choices).
     *
     * @return the exception, or {@code null} when the body carries no error
     */
    public static LlmException fromSuccessBody(JsonNode root, int status, Map<String, String> headers,
                                               CallContext ctx) {
        JsonNode errorNode = root.get("error");
        String partial = null;
        JsonNode choices = root.get("choices");
        if ((errorNode == null || errorNode.isNull()) && choices != null && choices.isArray() && !choices.isEmpty()) {
            JsonNode first = choices.get(0);
            if (!"error".equals(Json.text(first, "finish_reason"))) {
                return null;
            }
            errorNode = first.get("error");
            partial = Json.text(Json.object(first, "message"), "content");
        }
        if (errorNode == null || errorNode.isNull()) {
            return null;
        }
        ProviderError error = ProviderError.fromErrorNode(errorNode);
        int effectiveStatus = error.numericCode() >= 400 && error.numericCode() <= 599 ? error.numericCode() : 502;
        Classification c = classify(effectiveStatus, error);
        String message = ctx.backend() + " reported an error inside an HTTP " + status + " reply" + forModel(ctx)
                + ": " + (error.message() == null ? "(no message)" : truncate(error.message(), MAX_PROVIDER_MESSAGE_CHARS))
                + c.hint(ctx);
        return build(c, message, status, error, headers, ctx)
                .partialContent(partial == null || partial.isEmpty() ? null : Secrets.scrub(partial, ctx.secrets()))
                .build();
    }

    private static LlmException.Builder build(Classification c, String message, int status, ProviderError error,
                                              Map<String, String> headers, CallContext ctx) {
        LlmException.Builder b = LlmException.builder(c.category(), Secrets.scrub(message, ctx.secrets()))
                .httpStatus(status)
                .providerCode(error.code())
                .backend(ctx.backend())
                .model(ctx.model())
                .headers(headers)
                .retryAfter(RetryAfter.from(headers, Clock.systemUTC()).orElse(null));
        if (c.retryable() != null) {
            b.retryable(c.retryable());
        }
        return b;
    }

    /** Decides the category; the order matters: specific provider signals before the status. */
    static Classification classify(int status, ProviderError error) {
        String errorType = error.metadataText("error_type");
        String message = error.message() == null ? "" : error.message();
        if ("openrouter_in_flight_budget".equals(error.metadataText("limit_source"))) {
            // Too many concurrent requests for the balance: transient, and it carries Retry-After.
            return new Classification(ErrorCategory.RATE_LIMITED, true, Hint.NONE);
        }
        if ("context_length_exceeded".equals(error.code()) || "context_length_exceeded".equals(errorType)
                || ((status == 400 || status == 413 || status == 422) && CONTEXT_LENGTH.matcher(message).find())) {
            return new Classification(ErrorCategory.CONTEXT_LENGTH_EXCEEDED, null, Hint.NONE);
        }
        if ("rate_limit_exceeded".equals(errorType)) {
            return new Classification(ErrorCategory.RATE_LIMITED, null, Hint.NONE);
        }
        if ("provider_overloaded".equals(errorType)) {
            return new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE);
        }
        return switch (status) {
            case 400 -> message.contains("Invalid model name passed in model=")
                    ? new Classification(ErrorCategory.MODEL_NOT_FOUND, null, Hint.MODEL)
                    : new Classification(ErrorCategory.BAD_REQUEST, null, Hint.NONE);
            case 401 -> new Classification(ErrorCategory.AUTHENTICATION, null, Hint.KEY);
            case 402 -> new Classification(ErrorCategory.INSUFFICIENT_CREDITS, null, Hint.CREDITS);
            case 403 -> error.hasMetadata("reasons") || error.hasMetadata("flagged_input")
                    || message.toLowerCase(Locale.ROOT).contains("moderation")
                    ? new Classification(ErrorCategory.CONTENT_FILTERED, null, Hint.NONE)
                    : new Classification(ErrorCategory.PERMISSION, null, Hint.NONE);
            case 404 -> error.structured()
                    ? new Classification(ErrorCategory.MODEL_NOT_FOUND, null, Hint.MODEL)
                    : new Classification(ErrorCategory.CONFIGURATION, null, Hint.BASE_URL);
            case 408 -> new Classification(ErrorCategory.TIMEOUT, null, Hint.NONE);
            case 409 -> new Classification(ErrorCategory.SERVER_ERROR, true, Hint.NONE);
            case 429 -> new Classification(ErrorCategory.RATE_LIMITED, null, Hint.NONE);
            case 500 -> UPSTREAM_CONNECTION.matcher(message).find()
                    ? new Classification(ErrorCategory.CONNECTION, null, Hint.UPSTREAM)
                    : new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE);
            default -> status >= 500
                    ? new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE)
                    : new Classification(ErrorCategory.BAD_REQUEST, null, Hint.NONE);
        };
    }

    private static String forModel(CallContext ctx) {
        return ctx.model().isEmpty() ? "" : " for model '" + ctx.model() + "'";
    }

    /** Describes a body that carried no error message: empty, or its first characters. */
    static String bodyDescription(byte[] body) {
        if (body == null || body.length == 0) {
            return "empty body";
        }
        return "body is not a JSON error: " + snippet(body);
    }

    /** Returns the first {@value #SNIPPET_CHARS} characters of a body with whitespace collapsed. */
    static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, SNIPPET_CHARS * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        return truncate(text, SNIPPET_CHARS);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** A category, an optional retryability override, and what to tell the user. */
    record Classification(ErrorCategory category, Boolean retryable, Hint hint) {
        String hint(CallContext ctx) {
            return hint.text(ctx);
        }
    }

    /** The one-line advice appended to a message. */
    enum Hint {
        NONE(""),
        KEY(" - check the API key the client was configured with"),
        CREDITS(" - the account or key is out of credits"),
        MODEL(" - check the model id"),
        BASE_URL(" - the endpoint does not exist; the base URL is probably wrong"),
        UPSTREAM(" - the server answered, but it could not reach its upstream provider (the problem is beyond %s)");

        private final String template;

        Hint(String template) {
            this.template = template;
        }

        String text(CallContext ctx) {
            return template.contains("%s") ? template.formatted(ctx.hostAndPort()) : template;
        }
    }
}
