package io.github.llmbridge.core.config;

import io.github.llmbridge.core.httpproxy.EnvProxySelector;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.transport.BackendTransports;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.settings.Settings;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every backend client's builder shares (timeouts, concurrency, reply-size cap, HTTP
 * client, proxies), so each backend offers them under the same names:
 *
 * <pre>{@code
 * ChatClient judge = SomeBackendChatClient.builder() // any backend module's builder
 *         .apiKey(key)                          // the backend's own setting
 *         .timeout(Duration.ofSeconds(60))      // shared: declared here
 *         .maxConcurrency(32)
 *         .build();
 * }</pre>
 *
 * <p>Backend modules extend it; the transport it configures is internal to LLM Bridge's modules,
 * so no member of this class names it.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class BackendBuilder<B extends BackendBuilder<B>> {

    static {
        // The transport is not API: backend modules reach it through a package exported only to them.
        BackendTransports.grantAccess(BackendBuilder.class, builder -> builder.transport);
    }

    private final OpenAiHttpTransport.Builder transport;

    private final String concurrencyVariable;
    private final int defaultConcurrency;

    /**
     * Starts with the backend's name and default concurrency. The variable that overrides the
     * concurrency is named after the backend
     * ({@link ResilientChatClient#concurrencyVariable(String)}: {@code acme-gw} reads
     * {@code ACME_GW_MAX_CONCURRENT_CALLS}), the same one the bulkhead around the backend reads, so
     * the two cannot disagree. A backend module that knows more about its server's error replies
     * adds its error dialect to the transport builder (reached through the fenced transport
     * package), so no member of this class names a fenced type.
     *
     * @param backend            the backend name
     * @param defaultConcurrency how many calls run at once unless set
     */
    protected BackendBuilder(String backend, int defaultConcurrency) {
        this.transport = OpenAiHttpTransport.builder()
                .backend(Objects.requireNonNull(backend, "backend"))
                .maxConcurrency(defaultConcurrency);
        this.concurrencyVariable = ResilientChatClient.concurrencyVariable(backend);
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
}
