package io.github.llmbridge.rllm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway URL as users give it: the gateway's root ({@code http://host:9090}, a trailing
 * {@code /v1} tolerated), or one session's OpenAI base URL ({@code http://host:9090/sessions/<id>/v1}),
 * the form rLLM's trainer hands to agents. The gateway matches the session in the path with
 * {@code /sessions/([^/]+)(/v1...)} (its {@code middleware.py}).
 *
 * @param root    the gateway's root, without a trailing slash
 * @param session the session the URL names, if it names one
 */
record GatewayUrl(URI root, Optional<String> session) {

    private static final Pattern SESSION_URL = Pattern.compile("^(.*?)/sessions/([^/]+)/v1/?$");

    static GatewayUrl parse(URI url, String source) {
        String text = Secrets.withoutTrailingSlashes(url.toString());
        Matcher m = SESSION_URL.matcher(text);
        if (m.matches()) {
            return new GatewayUrl(URI.create(m.group(1)), Optional.of(decode(m.group(2))));
        }
        if (text.contains("/sessions/")) {
            throw new LlmException(
                    ErrorCategory.CONFIGURATION,
                    source + " looks like a session URL but is not one (" + Secrets.displayUrl(text)
                            + "): use the gateway's root, e.g. http://localhost:9090, or a session URL"
                            + " http://localhost:9090/sessions/<id>/v1");
        }
        if (text.endsWith("/v1")) {
            text = text.substring(0, text.length() - "/v1".length());
        }
        return new GatewayUrl(URI.create(text), Optional.empty());
    }

    /** Returns {@code <root>/sessions/<id>/v1}. */
    URI sessionBase(String sessionId) {
        return URI.create(root + "/sessions/" + encode(sessionId) + "/v1");
    }

    /**
     * Percent-encodes a session id as one path segment: the gateway decodes the path before it
     * matches {@code [^/]+}, so any id survives except that a {@code /} must be encoded.
     */
    static String encode(String sessionId) {
        StringBuilder s = new StringBuilder();
        for (byte b : sessionId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~:@".indexOf(c) >= 0) {
                s.append(c);
            } else {
                s.append('%')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return s.toString();
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
