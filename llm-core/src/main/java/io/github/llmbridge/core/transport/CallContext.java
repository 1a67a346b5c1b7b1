package io.github.llmbridge.core.transport;

import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What error messages need to know about a call: who was called, for which model, and which
 * secrets must be scrubbed from anything the server echoed.
 *
 * @param backend the backend name
 * @param model   the requested model ({@code ""} when not a chat call)
 * @param uri     the endpoint
 * @param secrets values to scrub from messages and headers (API keys)
 * @param proxies the proxies of the HTTP client that makes the call, so failures can name the
 *                proxy that failed; {@code null} when not known
 */
public record CallContext(String backend, String model, URI uri, List<String> secrets, ProxySetup proxies) {

    /** Copies the secrets. */
    public CallContext {
        secrets = List.copyOf(secrets);
    }

    /** A context whose proxies are not known (the call is described as direct). */
    public CallContext(String backend, String model, URI uri, List<String> secrets) {
        this(backend, model, uri, secrets, null);
    }

    /** Returns the proxy the call goes through, empty when direct or not known. */
    public Optional<ProxyRoute> proxyRoute() {
        if (proxies == null) {
            return Optional.empty();
        }
        ProxyRoute route = proxies.route(uri);
        return route.isDirect() ? Optional.empty() : Optional.of(route);
    }

    /** Returns {@code host:port} of the endpoint, for messages. */
    public String hostAndPort() {
        return HostAndPort.of(uri);
    }

    /** Shows backend, model and endpoint; never the secrets. */
    @Override
    public String toString() {
        return "CallContext[" + backend + ", " + model + ", " + Secrets.displayUrl(uri.toString()) + "]";
    }
}
