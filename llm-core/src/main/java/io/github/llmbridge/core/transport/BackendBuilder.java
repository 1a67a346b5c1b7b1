package io.github.llmbridge.core.transport;

import io.github.llmbridge.core.config.Settings;
import io.github.llmbridge.core.httpproxy.EnvProxySelector;
import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.HostAndPort;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings every backend built on {@link OpenAiHttpTransport} shares, so each backend's
 * builder offers them under the same names.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class BackendBuilder<B extends BackendBuilder<B>> {

    private static final Logger log = LoggerFactory.getLogger(BackendBuilder.class);

    /** The transport being configured; a backend's {@code build()} adds its secret and builds it. */
    protected final OpenAiHttpTransport.Builder transport;

    private final String concurrencyVariable;
    private final int defaultConcurrency;

    /**
     * Starts with the backend's name and default concurrency.
     *
     * @param backend             the backend name
     * @param concurrencyVariable the variable that sets the concurrency, e.g. {@code LITELLM_MAX_CONCURRENT_CALLS}
     * @param defaultConcurrency  how many calls run at once unless set
     */
    protected BackendBuilder(String backend, String concurrencyVariable, int defaultConcurrency) {
        this.transport = OpenAiHttpTransport.builder()
                .backend(Objects.requireNonNull(backend, "backend"))
                .maxConcurrency(defaultConcurrency);
        this.concurrencyVariable = Objects.requireNonNull(concurrencyVariable, "concurrencyVariable");
        this.defaultConcurrency = defaultConcurrency;
    }

    /**
     * Applies the settings every backend shares: {@code LLM_TIMEOUT_SECONDS} (else
     * {@code LITELLM_DEFAULT_TIMEOUT}), {@code LLM_MAX_RESPONSE_BYTES}, this backend's
     * concurrency variable, and the proxy variables ({@code LLM_PROXY}, {@code HTTPS_PROXY},
     * {@code HTTP_PROXY}, {@code ALL_PROXY}, {@code NO_PROXY}, either case; see
     * {@link EnvProxySelector}). A {@link #proxySelector} set on this builder wins over them.
     *
     * @throws io.github.llmbridge.core.LlmException category configuration naming a variable with a bad value
     */
    public B applySettings(Settings settings) {
        transport.applySettings(settings, concurrencyVariable, defaultConcurrency);
        return self();
    }

    /** Returns this builder as its concrete type. */
    protected abstract B self();

    /** Sets the time limit of calls that have none of their own; default 600 s. */
    public B timeout(Duration timeout) {
        transport.defaultTimeout(timeout);
        return self();
    }

    /** Sets how many calls are in flight at once; more wait in a queue without blocking callers. */
    public B maxConcurrency(int maxConcurrency) {
        transport.maxConcurrency(maxConcurrency);
        return self();
    }

    /** Sets the cap on a reply body in bytes; default 16 MiB. */
    public B maxResponseBytes(long maxResponseBytes) {
        transport.maxResponseBytes(maxResponseBytes);
        return self();
    }

    /** Sets the TCP connect timeout; default 10 s. Ignored when {@link #httpClient} is given. */
    public B connectTimeout(Duration connectTimeout) {
        transport.connectTimeout(connectTimeout);
        return self();
    }

    /**
     * Uses a ready-made {@link HttpClient} (TLS settings) instead of the default; the proxy
     * variables are then ignored and {@link #proxySelector} may not be set.
     */
    public B httpClient(HttpClient httpClient) {
        transport.httpClient(httpClient);
        return self();
    }

    /**
     * Routes calls through the proxies this selector picks, whatever the proxy variables say:
     * an {@link EnvProxySelector} built in code, any {@link ProxySelector}, or
     * {@code HttpClient.Builder.NO_PROXY} for none. The client keeps its connect timeout and
     * no-redirect policy.
     */
    public B proxySelector(ProxySelector proxySelector) {
        transport.proxySelector(proxySelector);
        return self();
    }

    /**
     * Answers the proxy's {@code 407} challenge with these credentials (also on https tunnels, see
     * {@link ProxySetup}); they win over {@code user:password@} in a proxy URL.
     */
    public B proxyCredentials(String username, String password) {
        transport.proxyCredentials(username, password);
        return self();
    }

    /**
     * Builds the transport and logs at INFO how the backend's endpoint is reached when a proxy
     * is involved (credentials masked). Backends call this from {@code build()}.
     *
     * @param endpoint where the backend's calls go
     */
    protected OpenAiHttpTransport buildTransport(URI endpoint) {
        OpenAiHttpTransport built = transport.build();
        ProxyRoute route = built.proxySetup().route(endpoint);
        if (!route.isDirect() || !"no proxy variables set".equals(route.reason())) {
            log.info("{} calls to {} go {}", built.backend(), HostAndPort.of(endpoint), route);
        }
        return built;
    }
}
