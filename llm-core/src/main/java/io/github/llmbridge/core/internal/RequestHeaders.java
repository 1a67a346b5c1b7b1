package io.github.llmbridge.core.internal;

import io.github.llmbridge.core.ChatRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Headers a layer of LLM Bridge asks the transport to send with one request, such as W3C
 * {@code traceparent} from the OpenTelemetry layer, so that a proxy or gateway that traces joins the
 * caller's trace. A request carries them through every layer (the resilience layer's copies per
 * attempt included) to the transport, which sends them beside the backend's own headers; the
 * backend's win on a clash. They are not API: {@link ChatRequest} keeps them in a field with no
 * public accessor and lets this fenced class reach it (the JDK's "shared secrets" pattern), so a
 * user cannot set headers that would bypass the backends' checks.
 */
public final class RequestHeaders {

    /** Names a layer may not set: the backends and the transport own them. */
    private static final Set<String> RESERVED = Set.of(
            "authorization",
            "proxy-authorization",
            "x-litellm-api-key",
            "content-type",
            "content-length",
            "accept",
            "user-agent",
            "host",
            "connection",
            "expect",
            "upgrade");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static volatile Function<ChatRequest, Map<String, String>> reader;
    private static volatile BiFunction<ChatRequest, Map<String, String>, ChatRequest> writer;

    private RequestHeaders() {}

    /** Called once by {@link ChatRequest} when it is loaded. */
    public static void grantAccess(
            Function<ChatRequest, Map<String, String>> read,
            BiFunction<ChatRequest, Map<String, String>, ChatRequest> write) {
        if (reader != null) {
            throw new IllegalStateException("access already granted");
        }
        reader = read;
        writer = write;
    }

    /** Returns the headers a layer added to the request (empty for none). */
    public static Map<String, String> of(ChatRequest request) {
        return reader().apply(Objects.requireNonNull(request, "request"));
    }

    /**
     * Returns a copy of the request that also carries these headers (replacing earlier values of
     * the same names).
     *
     * @throws IllegalArgumentException for a name that is not an HTTP token or that the backends own
     *                                  ({@code Authorization}, {@code Content-Type}, ...), or a
     *                                  value with a line break
     */
    public static ChatRequest with(ChatRequest request, Map<String, String> headers) {
        Objects.requireNonNull(request, "request");
        if (headers.isEmpty()) {
            return request;
        }
        Map<String, String> merged = new LinkedHashMap<>(of(request));
        headers.forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("a layer may not set the header '" + name + "'");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the value of header '" + name + "' has a line break");
            }
            merged.put(name, value);
        });
        return writer.apply(request, Map.copyOf(merged));
    }

    private static Function<ChatRequest, Map<String, String>> reader() {
        if (reader == null) {
            ChatRequest.builder(); // loads ChatRequest, whose static initializer grants access
        }
        return reader;
    }
}
