package io.github.llmbridge.otel;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.check.CheckTarget;
import java.net.URI;

/**
 * The server a client's calls go to, for {@code server.address} and {@code server.port}: the
 * backend's API root, as it answers {@link CheckTarget}. Through a proxy this is still the server
 * behind it, as the conventions ask.
 */
record Endpoint(String address, long port) {

    /** Returns the backend's endpoint, or {@code null} when the backend does not say (a test double). */
    static Endpoint of(ChatClient client) {
        return client.unwrap(CheckTarget.class)
                .map(CheckTarget::endpoint)
                .map(Endpoint::of)
                .orElse(null);
    }

    static Endpoint of(URI uri) {
        if (uri.getHost() == null) {
            return null;
        }
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return new Endpoint(uri.getHost(), port);
    }
}
