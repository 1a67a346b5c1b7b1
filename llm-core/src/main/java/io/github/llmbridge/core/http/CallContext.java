package io.github.llmbridge.core.http;

import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.List;

/**
 * What error messages need to know about a call: who was called, for which model, and which
 * secrets must be scrubbed from anything the server echoed.
 *
 * @param backend the backend name
 * @param model   the requested model ({@code ""} when not a chat call)
 * @param uri     the endpoint
 * @param secrets values to scrub from messages and headers (API keys)
 */
public record CallContext(String backend, String model, URI uri, List<String> secrets) {

    /** Copies the secrets. */
    public CallContext {
        secrets = List.copyOf(secrets);
    }

    /** Returns {@code host:port} of the endpoint, for messages. */
    public String hostAndPort() {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost() + ":" + port;
    }

    /** Shows backend, model and endpoint; never the secrets. */
    @Override
    public String toString() {
        return "CallContext[" + backend + ", " + model + ", " + Secrets.displayUrl(uri.toString()) + "]";
    }
}
