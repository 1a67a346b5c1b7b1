package io.github.llmbridge.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a reply says about the provider's rate-limit window, so calls can be paced before
 * the provider has to refuse them. Two spellings are read (header names in lower case):
 * <ul>
 *   <li>OpenAI's, which LiteLLM passes on: {@code x-ratelimit-remaining-requests} /
 *       {@code -tokens} with {@code x-ratelimit-reset-requests} / {@code -tokens} as a duration
 *       ({@code "1s"}, {@code "6m0s"}, {@code "20ms"}); LiteLLM also forwards the provider's own
 *       under an {@code llm_provider-} prefix, read when the plain one is missing, and sends
 *       {@code None} for a value it does not know, which is no value;</li>
 *   <li>OpenRouter's, on its 429s: {@code x-ratelimit-remaining} with {@code x-ratelimit-reset}
 *       in epoch milliseconds.</li>
 * </ul>
 *
 * @param remainingRequests requests left in the window, -1 when not said
 * @param requestsReset     until the request window is full again, {@code null} when not said
 * @param remainingTokens   tokens left in the window, -1 when not said
 * @param tokensReset       until the token window is full again, {@code null} when not said
 * @param limitRequests     the request window's size ({@code x-ratelimit-limit-requests}), -1 when not said
 * @param limitTokens       the token window's size ({@code x-ratelimit-limit-tokens}), -1 when not said
 */
public record RateLimitHeaders(
        long remainingRequests,
        Duration requestsReset,
        long remainingTokens,
        Duration tokensReset,
        long limitRequests,
        long limitTokens) {

    /** A reply that says nothing about the window. */
    public static final RateLimitHeaders NONE = new RateLimitHeaders(-1, null, -1, null, -1, -1);

    /** A reading without the windows' sizes. */
    public RateLimitHeaders(
            long remainingRequests, Duration requestsReset, long remainingTokens, Duration tokensReset) {
        this(remainingRequests, requestsReset, remainingTokens, tokensReset, -1, -1);
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    /**
     * Reads the headers of a reply.
     *
     * @param headers the headers of interest, names in lower case
     * @param now     the wall-clock time, for resets given as a date
     */
    public static RateLimitHeaders read(Map<String, String> headers, Instant now) {
        if (headers.isEmpty()) {
            return NONE;
        }
        long requests = count(header(headers, "x-ratelimit-remaining-requests"));
        Duration requestsReset = duration(header(headers, "x-ratelimit-reset-requests"));
        long limitRequests = count(header(headers, "x-ratelimit-limit-requests"));
        if (requests < 0) {
            requests = count(headers.get("x-ratelimit-remaining"));
            requestsReset = epochMillis(headers.get("x-ratelimit-reset"), now);
            limitRequests = -1; // OpenRouter's reset is the window's end, not a refill
        }
        return new RateLimitHeaders(
                requests,
                requestsReset,
                count(header(headers, "x-ratelimit-remaining-tokens")),
                duration(header(headers, "x-ratelimit-reset-tokens")),
                limitRequests,
                count(header(headers, "x-ratelimit-limit-tokens")));
    }

    /** Returns whether the reply said anything about the window. */
    public boolean isEmpty() {
        return remainingRequests < 0 && remainingTokens < 0;
    }

    private static String header(Map<String, String> headers, String name) {
        String value = headers.get(name);
        return value != null ? value : headers.get("llm_provider-" + name);
    }

    private static long count(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.strip());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1; // "None" and anything else that is no count
        }
    }

    /** A duration as OpenAI writes it ({@code 1m30.5s}, {@code 20ms}), or plain seconds. */
    static Duration duration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofNanos(Math.round(seconds * 1e9)) : null;
        } catch (NumberFormatException notPlain) {
            // a duration with units
        }
        Matcher m = DURATION_PART.matcher(v);
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double amount = Double.parseDouble(m.group(1));
            nanos += amount
                    * switch (m.group(2)) {
                        case "h" -> 3_600e9;
                        case "m" -> 60e9;
                        case "s" -> 1e9;
                        case "ms" -> 1e6;
                        case "us", "µs" -> 1e3;
                        default -> 1;
                    };
            end = m.end();
        }
        return end == v.length() && end > 0 ? Duration.ofNanos(Math.round(nanos)) : null;
    }

    /** OpenRouter's reset: epoch milliseconds (seconds, if the number is that small). */
    private static Duration epochMillis(String value, Instant now) {
        long n = count(value);
        if (n < 0) {
            return null;
        }
        Instant at = n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
