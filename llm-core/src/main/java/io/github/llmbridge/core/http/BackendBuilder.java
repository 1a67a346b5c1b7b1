package io.github.llmbridge.core.http;

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

    /**
     * Starts with the backend's name and default concurrency.
     *
     * @param backend            the backend name
     * @param defaultConcurrency how many calls run at once unless set
     */
    protected BackendBuilder(String backend, int defaultConcurrency) {
        this.transport = OpenAiHttpTransport.builder().backend(Objects.requireNonNull(backend, "backend"))
                .maxConcurrency(defaultConcurrency);
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
