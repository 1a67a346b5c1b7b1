package io.github.llmbridge.core.httpproxy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One forward proxy as written in a variable such as {@code HTTPS_PROXY}:
 * {@code [http://][user:password@]host[:port]}. The JDK's HTTP client talks to proxies in plain
 * HTTP only (the tunnel to an https target is still TLS end to end), so {@code https://} and
 * {@code socks*://} proxy URLs are refused with a message that says so. Without a port, 80.
 *
 * @param host     the proxy's host (an IPv6 literal without brackets)
 * @param port     the proxy's port
 * @param username the user of {@code user:password@}, {@code null} when none
 * @param password the password, {@code null} when none
 * @param source   the variable or builder method the URL came from, for messages
 */
record ProxyUrl(String host, int port, String username, String password, String source) {

    static final int DEFAULT_PORT = 80;

    /**
     * Parses a proxy URL.
     *
     * @throws LlmException category configuration naming {@code source} when it is not a usable proxy URL
     */
    static ProxyUrl parse(String raw, String source) {
        String text = raw.strip();
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw invalid(raw, source, "it is not a valid URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.startsWith("socks")) {
            throw invalid(raw, source, "SOCKS proxies are not supported by the JDK's HTTP client; use an HTTP proxy");
        }
        if (scheme.equals("https")) {
            throw invalid(
                    raw,
                    source,
                    "the JDK's HTTP client talks to proxies over plain http only; write"
                            + " http://host:port (calls to https targets still go through an encrypted tunnel)");
        }
        if (!scheme.equals("http")) {
            throw invalid(raw, source, "expected http://[user:password@]host[:port]");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw invalid(raw, source, "it has no host; expected http://[user:password@]host[:port]");
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            throw invalid(raw, source, "a proxy URL has no path; expected http://[user:password@]host[:port]");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String pass = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), raw, source);
            pass = colon < 0 ? "" : decode(userInfo.substring(colon + 1), raw, source);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw invalid(raw, source, "its port must be from 1 to 65535, was " + port);
        }
        return new ProxyUrl(host, port, user, pass, source);
    }

    private static String decode(String part, String raw, String source) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(raw, source, "its user:password part has a bad %-escape");
        }
    }

    private static LlmException invalid(String raw, String source, String why) {
        return new LlmException(
                ErrorCategory.CONFIGURATION,
                source + " is not a usable proxy URL ('" + Secrets.displayUrl(raw.strip()) + "'): " + why);
    }

    /** Returns the address to give the JDK, unresolved so that the host is looked up on each connection. */
    InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    boolean hasCredentials() {
        return username != null;
    }

    PasswordAuthentication credentials() {
        return new PasswordAuthentication(username, password.toCharArray());
    }

    /** Returns the URL with the credentials masked: {@code http://****@proxy.corp:3128}. */
    String display() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "http://" + (hasCredentials() ? "****@" : "") + h + ":" + port;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return display() + " (" + source + ")";
    }
}
