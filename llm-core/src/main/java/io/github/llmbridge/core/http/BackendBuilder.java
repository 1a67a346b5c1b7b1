package io.github.llmbridge.core.http;

import io.github.llmbridge.core.Settings;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every backend built on {@link OpenAiHttpTransport} shares, so each backend's
 * builder offers them under the same names.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class BackendBuilder<B extends BackendBuilder<B>> {

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
        this.transport = OpenAiHttpTransport.builder().backend(Objects.requireNonNull(backend, "backend"))
                .maxConcurrency(defaultConcurrency);
        this.concurrencyVariable = Objects.requireNonNull(concurrencyVariable, "concurrencyVariable");
        this.defaultConcurrency = defaultConcurrency;
    }

    /**
     * Applies the settings every backend shares: {@code LLM_TIMEOUT_SECONDS} (else
     * {@code LITELLM_DEFAULT_TIMEOUT}), {@code LLM_MAX_RESPONSE_BYTES} and this backend's
     * concurrency variable.
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

    /** Uses a ready-made {@link HttpClient} (a proxy selector, TLS settings) instead of the default. */
    public B httpClient(HttpClient httpClient) {
        transport.httpClient(httpClient);
        return self();
    }
}
