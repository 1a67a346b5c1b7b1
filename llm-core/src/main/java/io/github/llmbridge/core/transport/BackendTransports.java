package io.github.llmbridge.core.transport;

import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.internal.HostAndPort;
import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a backend's {@code build()} turns its {@link BackendBuilder} into the transport it calls
 * through. {@code BackendBuilder} is public API (every backend's builder extends it, so users call
 * its setters), while the transport is not: if {@code BackendBuilder} had a protected member naming
 * {@link OpenAiHttpTransport}, that fenced type would leak into the API. So it keeps its transport
 * builder private and hands this class a way to reach it when it is loaded (the JDK's "shared
 * secrets" pattern); this package is exported only to LLM Bridge's own modules.
 */
public final class BackendTransports {

    private static final Logger log = LoggerFactory.getLogger(BackendTransports.class);

    private static volatile Function<BackendBuilder<?>, OpenAiHttpTransport.Builder> access;

    private BackendTransports() {}

    /**
     * Called once, by {@code BackendBuilder}'s static initializer, with the function that returns
     * a builder's transport builder.
     *
     * @throws IllegalStateException when access was already granted
     */
    public static synchronized void grantAccess(Function<BackendBuilder<?>, OpenAiHttpTransport.Builder> access) {
        if (BackendTransports.access != null) {
            throw new IllegalStateException("BackendBuilder access is granted once, by BackendBuilder itself");
        }
        BackendTransports.access = Objects.requireNonNull(access, "access");
    }

    /**
     * Returns the transport builder behind a backend's builder, to add what only the backend knows
     * (its API key as a secret to scrub).
     */
    public static OpenAiHttpTransport.Builder of(BackendBuilder<?> builder) {
        // A BackendBuilder instance exists, so its class is initialised and access was granted.
        return access.apply(Objects.requireNonNull(builder, "builder"));
    }

    /**
     * Builds the transport behind a backend's builder and logs at INFO how the backend's endpoint
     * is reached when a proxy is involved (credentials masked). Backends call this from
     * {@code build()}.
     *
     * @param builder  the backend's builder
     * @param endpoint where the backend's calls go
     */
    public static OpenAiHttpTransport build(BackendBuilder<?> builder, URI endpoint) {
        OpenAiHttpTransport built = of(builder).build();
        ProxyRoute route = built.proxySetup().route(endpoint);
        if (!route.isDirect() || !"no proxy variables set".equals(route.reason())) {
            log.info("{} calls to {} go {}", built.backend(), HostAndPort.of(endpoint), route);
        }
        return built;
    }
}
