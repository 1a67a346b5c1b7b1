package io.github.llmbridge.core.internal;

import java.net.URI;
import java.util.Locale;

/**
 * The port a URL really connects to: the one it names, else its scheme's default (443 for
 * {@code https} and {@code wss}, 80 otherwise). Messages, proxy bypass rules ({@code NO_PROXY}
 * entries with a port) and the connection check all need it, and must agree on it.
 */
public final class HostAndPort {

    private HostAndPort() {}

    /** Returns the URL's port, or its scheme's default when it names none. */
    public static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
    }

    /** Returns 443 for {@code https} and {@code wss} (any case), 80 for anything else. */
    public static int defaultPort(String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return s.equals("https") || s.equals("wss") ? 443 : 80;
    }

    /** Returns {@code host:port} for messages, e.g. {@code api.example.com:443} or {@code [::1]:4000}. */
    public static String of(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }
}
