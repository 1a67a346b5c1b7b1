package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What error messages need to know about a call: who was called, for which model, which secrets
 * must be scrubbed from anything the server echoed, and what the backend knows about its own
 * error replies.
 *
 * @param backend the backend name
 * @param model   the requested model ({@code ""} when not a chat call)
 * @param uri     the endpoint
 * @param secrets values to scrub from messages and headers (API keys)
 * @param proxies the proxies of the HTTP client that makes the call, so failures can name the
 *                proxy that failed; {@code null} when not known
 * @param errorDialect the backend's own error rules, refining the generic ones; {@code null}
 *                for {@link ErrorDialect#GENERIC}
 */
public record CallContext(
        String backend, String model, URI uri, List<String> secrets, ProxySetup proxies, ErrorDialect errorDialect) {

    /** Copies the secrets; a missing dialect is the generic one. */
    public CallContext {
        secrets = List.copyOf(secrets);
        errorDialect = errorDialect == null ? ErrorDialect.GENERIC : errorDialect;
    }

    /** A context whose errors are read by the generic rules alone. */
    public CallContext(String backend, String model, URI uri, List<String> secrets, ProxySetup proxies) {
        this(backend, model, uri, secrets, proxies, null);
    }

    /** A context whose proxies are not known (the call is described as direct), with the generic error rules. */
    public CallContext(String backend, String model, URI uri, List<String> secrets) {
        this(backend, model, uri, secrets, null, null);
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
