package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.internal.HostAndPort;
import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a backend's {@code build()} turns its {@code BackendBuilder} (in {@code core.config}) into
 * the transport it calls through. {@code BackendBuilder} is public API (every backend's builder extends it, so users call
 * its setters), while the transport is not: if {@code BackendBuilder} had a protected member naming
 * {@link OpenAiHttpTransport}, that fenced type would leak into the API. So it keeps its transport
 * builder private and hands this class a way to reach it when it is loaded (the JDK's "shared
 * secrets" pattern); this package is exported only to LLM Bridge's own modules. The builder's type
 * is given at run time, with the access, so that the transport does not depend on the package
 * that assembles clients (which depends on it).
 */
public final class BackendTransports {

    private static final Logger log = LoggerFactory.getLogger(BackendTransports.class);

    private static volatile Class<?> builderType;
    private static volatile Function<Object, OpenAiHttpTransport.Builder> access;

    private BackendTransports() {}

    /**
     * Called once, by {@code BackendBuilder}'s static initializer, with its own type and the
     * function that returns a builder's transport builder.
     *
     * @throws IllegalStateException when access was already granted
     */
    public static synchronized <T> void grantAccess(Class<T> type, Function<T, OpenAiHttpTransport.Builder> access) {
        if (BackendTransports.access != null) {
            throw new IllegalStateException("BackendBuilder access is granted once, by BackendBuilder itself");
        }
        Objects.requireNonNull(access, "access");
        builderType = Objects.requireNonNull(type, "type");
        BackendTransports.access = builder -> access.apply(type.cast(builder));
    }

    /**
     * Returns the transport builder behind a backend's builder, to add what only the backend knows
     * (its API key as a secret to scrub, its error dialect).
     *
     * @param builder a {@code BackendBuilder}
     * @throws IllegalArgumentException when it is not one
     */
    public static OpenAiHttpTransport.Builder of(Object builder) {
        // A BackendBuilder instance exists, so its class is initialised and access was granted.
        Objects.requireNonNull(builder, "builder");
        if (!builderType.isInstance(builder)) {
            throw new IllegalArgumentException("not a " + builderType.getSimpleName() + ": " + builder.getClass());
        }
        return access.apply(builder);
    }

    /**
     * Builds the transport behind a backend's builder and logs at INFO how the backend's endpoint
     * is reached when a proxy is involved (credentials masked). Backends call this from
     * {@code build()}.
     *
     * @param builder  the backend's builder
     * @param endpoint where the backend's calls go
     */
    public static OpenAiHttpTransport build(Object builder, URI endpoint) {
        OpenAiHttpTransport built = of(builder).build();
        ProxyRoute route = built.proxySetup().route(endpoint);
        if (!route.isDirect() || !"no proxy variables set".equals(route.reason())) {
            log.info("{} calls to {} go {}", built.backend(), HostAndPort.of(endpoint), route);
        }
        return built;
    }
}
