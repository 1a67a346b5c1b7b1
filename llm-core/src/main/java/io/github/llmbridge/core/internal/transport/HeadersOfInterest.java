package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.internal.Secrets;
import java.net.http.HttpHeaders;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the response headers worth keeping on a reply or an error: request and generation ids,
 * rate-limit counters, {@code Retry-After}, a gateway's own {@code x-*} and forwarded
 * {@code llm_provider-*} headers, and {@code Location} (to say where a redirect pointed). Names become lower case; the first value of each is kept.
 * Cookies and anything that looks like a credential are never kept.
 */
public final class HeadersOfInterest {

    private static final List<String> KEPT_PREFIXES =
            List.of("x-", "retry-after", "openai-", "llm_provider-", "location");
    private static final List<String> NEVER_KEPT = List.of("cookie", "authorization", "api-key", "apikey");

    private HeadersOfInterest() {}

    /**
     * Returns the headers worth keeping, with lower-case names and the secrets scrubbed from their
     * values; for chat replies and for the calls of {@link JsonHttp}.
     */
    public static Map<String, String> select(HttpHeaders headers, Collection<String> secrets) {
        Map<String, String> kept = new TreeMap<>();
        headers.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!values.isEmpty() && isKept(lower)) {
                kept.putIfAbsent(lower, Secrets.scrub(values.get(0), secrets));
            }
        });
        return Map.copyOf(kept);
    }

    private static boolean isKept(String name) {
        return KEPT_PREFIXES.stream().anyMatch(name::startsWith)
                && NEVER_KEPT.stream().noneMatch(name::contains);
    }
}
