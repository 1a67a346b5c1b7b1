package io.github.llmbridge.core.internal;

import java.util.Collection;

/** Keeps configured secrets out of anything the library prints or stores. */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String REDACTED = "[REDACTED]";

    /** Secrets shorter than this are not scrubbed from text: they would match ordinary words. */
    private static final int MIN_SCRUBBED_LENGTH = 6;

    private Secrets() {}

    /** Returns the text with every occurrence of each secret replaced by {@link #REDACTED}. */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        // Longest first: with "sk-1234" and "sk-1234-LONGTAIL" configured, replacing the short one
        // first would leave "[REDACTED]-LONGTAIL" behind.
        for (String secret : secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SCRUBBED_LENGTH)
                .distinct()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed())
                .toList()) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }

    /**
     * Returns a URL fit to show: any {@code user:password@} part masked and the query dropped
     * (both can carry credentials). Works on unparsable text too, so it can go into the message
     * that says the URL is invalid.
     */
    public static String displayUrl(String url) {
        if (url == null) {
            return "null";
        }
        // Everything before the last '@' of the authority is user info, whatever it contains
        // ('/', '@', spaces: passwords do), and with or without a scheme (proxy variables often
        // have none). Masking too much is harmless; masking too little is not.
        int start = url.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int at = url.lastIndexOf('@');
        String shown = at >= start ? url.substring(0, start) + "****" + url.substring(at) : url;
        int query = shown.indexOf('?');
        return query < 0 ? shown : shown.substring(0, query) + "?...";
    }

    /** Returns the URL without trailing slashes, so {@code .../v1/} and {@code .../v1} mean the same. */
    public static String withoutTrailingSlashes(String url) {
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** Returns a secret masked to its last four characters ({@code ****abcd}), for diagnostics. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "(not set)";
        }
        return secret.length() <= 8 ? "****" : "****" + secret.substring(secret.length() - 4);
    }
}
