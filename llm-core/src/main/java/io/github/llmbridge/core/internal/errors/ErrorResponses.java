package io.github.llmbridge.core.internal.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.TunnelBasicAuth;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an error reply into an {@link LlmException}. It understands the error shapes
 * OpenAI-compatible servers send (docs/WIRE.md): {@code {"error": {"message", "type", "code":
 * "429"}}} with string codes, {@code {"error": {"code": 402, "message", "metadata": {...}}}} with
 * numeric codes, FastAPI's {@code {"detail": ...}}, and bodies that are not JSON at all (a load
 * balancer's HTML 502 page), which become a message with the status and the start of the body.
 *
 * <p>The rules here are generic; what only one backend's server sends is that backend's
 * {@link ErrorDialect}, which the call's {@link CallContext} carries and which has the last word.
 */
public final class ErrorResponses {

    /** How much of a non-JSON body a message shows. */
    static final int SNIPPET_CHARS = 200;
    /** Provider messages can carry whole tracebacks; a message keeps this much of one. */
    private static final int MAX_PROVIDER_MESSAGE_CHARS = 1_000;

    private static final Pattern CONTEXT_LENGTH = Pattern.compile(
            "context[_ ]length|context window|maximum context|prompt is too long" + "|too many (input )?tokens",
            Pattern.CASE_INSENSITIVE);
    /** OpenAI's codes for a quota or spend limit that is used up (its 429s of type insufficient_quota). */
    private static final Set<String> QUOTA_CODES = Set.of(
            "insufficient_quota",
            "credit_balance_exhausted",
            "organization_spend_limit_exceeded",
            "project_spend_limit_exceeded",
            "billing_hard_limit_reached",
            "billing_not_active",
            "organization_usage_limit_exceeded");

    private static final Pattern QUOTA_MESSAGE =
            Pattern.compile("exceeded your current quota", Pattern.CASE_INSENSITIVE);
    /** The response header a server uses to say whether a retry may succeed. */
    static final String SHOULD_RETRY = "x-should-retry";

    private static final Pattern UPSTREAM_CONNECTION =
            Pattern.compile("connection ?error|apiconnectionerror", Pattern.CASE_INSENSITIVE);

    private ErrorResponses() {}

    /**
     * Maps a non-2xx reply.
     *
     * @param status  the HTTP status
     * @param headers response headers of interest (lower-case names)
     * @param body    the body as received (may be empty)
     */
    public static LlmException fromHttpError(int status, Map<String, String> headers, byte[] body, CallContext ctx) {
        ProviderError error = ProviderError.parse(body);
        if (status >= 300 && status < 400) {
            return redirect(status, headers, error, ctx);
        }
        if (status == 407) {
            return proxyAuthentication(headers, error, ctx);
        }
        Classification c = classify(status, error, ctx);
        String detail = error.message() != null
                ? providerMessage(error, ctx) + providerDetails(error, c)
                : bodyDescription(body, ctx);
        String message = ctx.backend() + " answered HTTP " + StatusText.describe(status) + forModel(ctx) + ": " + detail
                + c.hint().text(ctx) + proxyNote(status, ctx);
        return build(c, message, status, error, headers, ctx).build();
    }

    /**
     * Maps an error that arrived inside a 2xx reply: {@code choices[0].finish_reason == "error"}
     * with an {@code error} object (a stream that broke off upstream), or a top-level
     * {@code error} without choices.
     *
     * @return the exception, or {@code null} when the body carries no error
     */
    public static LlmException fromSuccessBody(
            JsonNode root, int status, Map<String, String> headers, CallContext ctx) {
        JsonNode errorNode = root.get("error");
        JsonNode choices = root.get("choices");
        JsonNode first = choices != null && choices.isArray() && !choices.isEmpty() ? choices.get(0) : null;
        String partial = Json.text(Json.object(first, "message"), "content");
        boolean finishedWithError = "error".equals(Json.text(first, "finish_reason"));
        if (errorNode == null || errorNode.isNull()) {
            if (!finishedWithError) {
                return null;
            }
            errorNode = first.get("error");
        }
        // finish_reason "error" without an error object still means the answer broke off: a transient failure.
        ProviderError error = errorNode == null || errorNode.isNull()
                ? new ProviderError("generation stopped with finish_reason \"error\"", null, null, null, true)
                : ProviderError.fromErrorNode(errorNode);
        int effectiveStatus = error.numericCode() >= 400 && error.numericCode() <= 599 ? error.numericCode() : 502;
        Classification c = classify(effectiveStatus, error, ctx);
        String message = ctx.backend() + " reported an error inside an HTTP " + status + " reply" + forModel(ctx)
                + ": " + (error.message() == null ? "(no message)" : providerMessage(error, ctx))
                + providerDetails(error, c) + c.hint().text(ctx);
        return build(c, message, status, error, headers, ctx)
                .partialContent(partial == null || partial.isEmpty() ? null : Secrets.scrub(partial, ctx.secrets()))
                .build();
    }

    /**
     * Redirects are not followed: a POST that is redirected almost always means the base URL is
     * wrong (http instead of https, a missing path), and the Location header says what it should be.
     */
    private static LlmException redirect(
            int status, Map<String, String> headers, ProviderError error, CallContext ctx) {
        String location = headers.get("location");
        String message = ctx.backend() + " answered HTTP " + StatusText.describe(status) + " redirecting to "
                + (location == null ? "(no Location header)" : location)
                + ": redirects are not followed; set the base URL to where the API really is";
        return build(
                        new Classification(ErrorCategory.CONFIGURATION, false, Hint.NONE),
                        message,
                        status,
                        error,
                        headers,
                        ctx)
                .build();
    }

    /**
     * A 407 comes from a proxy between this client and the backend, never from the backend: say
     * so, and say which proxy. With credentials configured, the proxy rejected them, or never got
     * them: the JDK drops Basic credentials from https tunnels unless allowed ({@link TunnelBasicAuth}).
     */
    private static LlmException proxyAuthentication(Map<String, String> headers, ProviderError error, CallContext ctx) {
        ProxyRoute proxy = ctx.proxyRoute().orElse(null);
        String theProxy = proxy == null
                ? "an HTTP proxy between this client and " + ctx.hostAndPort()
                : "the HTTP proxy " + proxy.proxyUrl() + " (from " + proxy.reason() + ")";
        String source = proxy == null ? "the proxy URL" : proxy.reason();
        String why;
        if (proxy == null || !proxy.hasCredentials()) {
            why = "it wants credentials and none are configured: write them in the proxy URL"
                    + " (http://user:password@host:port in " + source + ") or use proxyCredentials(...)";
        } else if ("https".equalsIgnoreCase(ctx.uri().getScheme())) {
            why = "it rejected the proxy credentials from " + source + ", or never received them: the JDK sends"
                    + " Basic credentials on https tunnels only when system property " + TunnelBasicAuth.PROPERTY
                    + " does not list Basic" + (TunnelBasicAuth.basicForbidden() ? " (it does)" : "")
                    + ", and reads it once, when java.net.http first loads (start the JVM with -D"
                    + TunnelBasicAuth.PROPERTY + "= if other code used java.net.http first); only Basic is supported";
        } else {
            why = "it rejected the proxy credentials from " + source
                    + " (check user:password; only Basic is supported)";
        }
        String message = theProxy + " answered 407 Proxy Authentication Required to the call to " + ctx.backend()
                + " at " + ctx.hostAndPort() + ": " + why + ". This is the proxy's answer, not " + ctx.backend()
                + "'s; the API key was not checked";
        return build(
                        new Classification(ErrorCategory.AUTHENTICATION, false, Hint.NONE),
                        message,
                        407,
                        error,
                        headers,
                        ctx)
                .build();
    }

    /**
     * Through a plain-http proxy with credentials, a 401 may be the proxy's (tinyproxy answers wrong
     * proxy credentials with 401, not 407): say so rather than only blaming the API key.
     */
    private static String proxyNote(int status, CallContext ctx) {
        if (status != 401 || !"http".equalsIgnoreCase(ctx.uri().getScheme())) {
            return "";
        }
        return ctx.proxyRoute()
                .filter(ProxyRoute::hasCredentials)
                .map(p -> "; or the HTTP proxy " + p.proxyUrl() + " (from " + p.reason() + ") rejected the proxy"
                        + " credentials: some proxies answer 401 instead of 407")
                .orElse("");
    }

    private static String providerMessage(ProviderError error, CallContext ctx) {
        return truncate(Secrets.scrub(error.message(), ctx.secrets()), MAX_PROVIDER_MESSAGE_CHARS);
    }

    /**
     * What a gateway's error metadata adds to a message: which upstream provider failed (the
     * message is often just "Provider returned error"), and why moderation flagged the input.
     */
    private static String providerDetails(ProviderError error, Classification c) {
        StringBuilder s = new StringBuilder();
        String provider = error.metadataText("provider_name");
        if (provider != null && !provider.isBlank()) {
            s.append(" (provider ").append(provider).append(')');
        }
        JsonNode reasons = error.metadata() == null ? null : error.metadata().get("reasons");
        if (c.category() == ErrorCategory.CONTENT_FILTERED
                && reasons != null
                && reasons.isArray()
                && !reasons.isEmpty()) {
            List<String> texts = new ArrayList<>();
            reasons.forEach(r -> texts.add(r.isTextual() ? r.asText() : r.toString()));
            s.append(" (flagged for: ").append(String.join(", ", texts)).append(')');
        }
        return s.toString();
    }

    private static LlmException.Builder build(
            Classification c,
            String message,
            int status,
            ProviderError error,
            Map<String, String> headers,
            CallContext ctx) {
        Duration retryAfter = RetryAfter.from(headers, Clock.systemUTC()).orElse(c.retryAfter());
        LlmException.Builder b = LlmException.builder(c.category(), Secrets.scrub(message, ctx.secrets()))
                .httpStatus(status)
                .providerCode(error.code())
                .providerMetadata(scrubbed(error.metadata(), ctx))
                .backend(ctx.backend())
                .model(ctx.model())
                .headers(headers)
                .attemptCount(1)
                .retryAfter(retryAfter)
                .overloadSignal(overload(c, status));
        if (c.retryable() != null) {
            b.retryable(c.retryable());
        }
        // Not a standard header, but OpenAI's and Anthropic's servers send it and their own SDKs obey it first.
        String shouldRetry = headers.get(SHOULD_RETRY);
        if ("true".equalsIgnoreCase(shouldRetry) || "false".equalsIgnoreCase(shouldRetry)) {
            b.retryable(Boolean.parseBoolean(shouldRetry));
        }
        return b;
    }

    /**
     * The overload signal a classified reply is: the dialect's word when it gave one ({@code ""}
     * for none), else a rate limit by its status. A provider's quota or an outage is not one.
     */
    private static String overload(Classification c, int status) {
        if (c.overload() != null) {
            return c.overload();
        }
        return c.category() == ErrorCategory.RATE_LIMITED ? status + " rate limit" : null;
    }

    /** Classifies by the generic rules, then lets the backend's dialect refine the result. */
    private static Classification classify(int status, ProviderError error, CallContext ctx) {
        return Objects.requireNonNull(
                ctx.errorDialect().refine(classify(status, error), status, error), "the dialect's classification");
    }

    /**
     * Decides the category by the generic rules; the order matters: specific signals in the body
     * (an upstream's own error type) before the status.
     */
    static Classification classify(int status, ProviderError error) {
        String errorType = error.errorType();
        String message = error.message() == null ? "" : error.message();
        if (isQuotaExhausted(error, message)) {
            // A 429 that waiting will not clear: the account's quota or spend limit is used up.
            return new Classification(ErrorCategory.INSUFFICIENT_CREDITS, false, Hint.QUOTA);
        }
        if ("content_policy_violation".equals(errorType) || "content_policy_violation".equals(error.code())) {
            return new Classification(ErrorCategory.CONTENT_FILTERED, null, Hint.NONE);
        }
        if ("context_length_exceeded".equals(error.code())
                || "context_length_exceeded".equals(errorType)
                || ((status == 400 || status == 413 || status == 422)
                        && CONTEXT_LENGTH.matcher(message).find())) {
            return new Classification(ErrorCategory.CONTEXT_LENGTH_EXCEEDED, null, Hint.NONE);
        }
        if ("rate_limit_exceeded".equals(errorType)) {
            return new Classification(ErrorCategory.RATE_LIMITED, null, Hint.NONE);
        }
        if ("provider_overloaded".equals(errorType)) {
            return new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE);
        }
        return switch (status) {
            case 400 ->
                message.contains("Invalid model name passed in model=")
                        ? new Classification(ErrorCategory.MODEL_NOT_FOUND, null, Hint.MODEL)
                        : new Classification(ErrorCategory.BAD_REQUEST, null, Hint.NONE);
            case 401 -> new Classification(ErrorCategory.AUTHENTICATION, null, Hint.KEY);
            case 402 -> new Classification(ErrorCategory.INSUFFICIENT_CREDITS, null, Hint.CREDITS);
            case 403 ->
                error.hasMetadata("reasons")
                                || error.hasMetadata("flagged_input")
                                || message.toLowerCase(Locale.ROOT).contains("moderation")
                        ? new Classification(ErrorCategory.CONTENT_FILTERED, null, Hint.NONE)
                        : new Classification(ErrorCategory.PERMISSION, null, Hint.NONE);
            case 404 ->
                error.structured()
                        ? new Classification(ErrorCategory.MODEL_NOT_FOUND, null, Hint.MODEL)
                        : new Classification(ErrorCategory.CONFIGURATION, null, Hint.BASE_URL);
            case 408 -> new Classification(ErrorCategory.TIMEOUT, null, Hint.NONE);
            case 409 -> new Classification(ErrorCategory.SERVER_ERROR, true, Hint.NONE);
            case 429 -> new Classification(ErrorCategory.RATE_LIMITED, null, Hint.NONE);
            case 500 ->
                UPSTREAM_CONNECTION.matcher(message).find()
                        ? new Classification(ErrorCategory.CONNECTION, null, Hint.UPSTREAM)
                        : new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE);
            default ->
                status >= 500
                        ? new Classification(ErrorCategory.SERVER_ERROR, null, Hint.NONE)
                        : new Classification(ErrorCategory.BAD_REQUEST, null, Hint.NONE);
        };
    }

    /**
     * OpenAI answers an exhausted quota or spend limit with a 429 like a rate limit, but with type
     * {@code insufficient_quota} (its newer codes name which limit) and "You exceeded your current
     * quota"; gateways forward the message, sometimes without the type.
     */
    private static boolean isQuotaExhausted(ProviderError error, String message) {
        return "insufficient_quota".equals(error.type())
                || (error.code() != null && QUOTA_CODES.contains(error.code()))
                || QUOTA_MESSAGE.matcher(message).find();
    }

    /** Returns a copy of the metadata with every string scrubbed of secrets (servers echo keys back). */
    private static JsonNode scrubbed(JsonNode node, CallContext ctx) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(Secrets.scrub(node.asText(), ctx.secrets()));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            node.fields()
                    .forEachRemaining(
                            f -> copy.set(Secrets.scrub(f.getKey(), ctx.secrets()), scrubbed(f.getValue(), ctx)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(scrubbed(element, ctx)));
            return copy;
        }
        return node.deepCopy();
    }

    private static String forModel(CallContext ctx) {
        return ctx.model().isEmpty() ? "" : " for model '" + ctx.model() + "'";
    }

    /** Describes a body that carried no error message: empty, or its first characters. */
    static String bodyDescription(byte[] body, CallContext ctx) {
        if (body == null || body.length == 0) {
            return "empty body";
        }
        return "body is not a JSON error: " + snippet(body, ctx);
    }

    /**
     * Returns the first {@value #SNIPPET_CHARS} characters of a body with whitespace collapsed,
     * secrets scrubbed first (a key cut in half by truncation would no longer match).
     */
    public static String snippet(byte[] body, CallContext ctx) {
        return BodyExcerpt.of(body, ctx, SNIPPET_CHARS);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
