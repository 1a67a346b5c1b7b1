package io.github.llmbridge.core.httpproxy;

import java.net.InetSocketAddress;

/**
 * How a client reaches one target: directly, or through a forward proxy, and why. For messages
 * and diagnostics ({@code Doctor}); credentials are never part of it.
 *
 * @param proxy          the proxy's address (unresolved), {@code null} when direct
 * @param proxyUrl       the proxy as a URL with credentials masked ({@code http://****@proxy:3128}), {@code ""} when direct
 * @param reason         why, e.g. {@code "HTTPS_PROXY"}, {@code "NO_PROXY entry '.corp'"}, {@code "loopback target"}
 * @param hasCredentials whether credentials are configured for this proxy
 */
public record ProxyRoute(InetSocketAddress proxy, String proxyUrl, String reason, boolean hasCredentials) {

    /** A direct route for the given reason. */
    public static ProxyRoute direct(String reason) {
        return new ProxyRoute(null, "", reason, false);
    }

    /** Returns whether the target is reached without a proxy. */
    public boolean isDirect() {
        return proxy == null;
    }

    /** Returns {@code host:port} of the proxy, {@code ""} when direct. */
    public String proxyHostAndPort() {
        if (proxy == null) {
            return "";
        }
        String host = proxy.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + proxy.getPort();
    }

    /** E.g. {@code "via proxy http://****@proxy:3128 (HTTPS_PROXY)"} or {@code "direct (NO_PROXY entry 'localhost')"}. */
    @Override
    public String toString() {
        return isDirect() ? "direct (" + reason + ")" : "via proxy " + proxyUrl + " (" + reason + ")";
    }
}
