package io.github.llmbridge.core.httpproxy;

import static io.github.llmbridge.core.settings.CoreVariables.ALL_PROXY;
import static io.github.llmbridge.core.settings.CoreVariables.HTTPS_PROXY;
import static io.github.llmbridge.core.settings.CoreVariables.HTTP_PROXY;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_PROXY;
import static io.github.llmbridge.core.settings.CoreVariables.NO_PROXY;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProxySelector} that follows the proxy variables curl and most tools read, which the
 * JDK's {@code HttpClient} ignores:
 * <ul>
 *   <li>{@code https_proxy} / {@code HTTPS_PROXY} for https targets, {@code http_proxy} /
 *       {@code HTTP_PROXY} for http targets, {@code all_proxy} / {@code ALL_PROXY} for either when
 *       its own is unset. Where both spellings are set the lower-case one wins, as in curl;</li>
 *   <li>{@code no_proxy} / {@code NO_PROXY}: hosts reached directly (see {@link NoProxyRules}:
 *       hosts, domain suffixes with or without a leading dot, {@code *}, {@code host:port}, IP
 *       literals, CIDR ranges);</li>
 *   <li>loopback targets ({@code localhost}, {@code *.localhost}, {@code 127.0.0.0/8}, {@code ::1})
 *       are always direct, unless {@link Builder#proxyLoopback(boolean)} says otherwise: a local
 *       gateway must not be reached through the corporate proxy;</li>
 *   <li>{@code LLM_PROXY}: {@code none} turns proxies off for LLM Bridge only; a URL is used for
 *       every target in place of the variables above ({@code NO_PROXY} still applies).</li>
 * </ul>
 * A proxy URL is {@code [http://][user:password@]host[:port]} (port 80 when omitted); the
 * credentials are answered to the proxy's {@code 407} challenge (see {@link ProxySetup}).
 *
 * <pre>{@code
 * ProxySelector env = EnvProxySelector.fromSettings(Settings.fromEnvironment());
 * ChatClient client = backendBuilder.proxySelector(env).build(); // any backend's BackendBuilder
 * }</pre>
 */
public final class EnvProxySelector extends ProxySelector {

    /** The names read for https targets, in order of precedence. */
    private static final String[] HTTPS_NAMES = namesOf(HTTPS_PROXY, ALL_PROXY);
    /** The names read for http targets, in order of precedence. */
    private static final String[] HTTP_NAMES = namesOf(HTTP_PROXY, ALL_PROXY);

    private static final Logger log = LoggerFactory.getLogger(EnvProxySelector.class);
    /** Local addresses the JDK connects to directly, which a proxy would resolve on its own host instead. */
    private static final NoProxyRules LOOPBACK = NoProxyRules.parse("localhost,127.0.0.0/8,::1,0.0.0.0,::", "loopback");
    /** Values people write for "no proxy" that must not be taken as a proxy host name. */
    private static final java.util.Set<String> MEANS_OFF =
            java.util.Set.of("off", "false", "no", "0", "direct", "disabled", "disable", "null");

    private final ProxyUrl httpsProxy;
    private final ProxyUrl httpProxy;
    private final NoProxyRules noProxy;
    private final boolean proxyLoopback;
    private final boolean off;

    private EnvProxySelector(Builder b) {
        this.httpsProxy = b.httpsProxy;
        this.httpProxy = b.httpProxy;
        this.noProxy = b.noProxy;
        this.proxyLoopback = b.proxyLoopback;
        this.off = b.off;
    }

    /**
     * Returns the selector the variables describe.
     *
     * @throws LlmException category configuration naming the variable whose value cannot be used
     */
    public static EnvProxySelector fromSettings(Settings settings) {
        return builder().settings(settings).build();
    }

    /** Starts a builder: no proxies until settings or URLs are given. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns whether any proxy is configured (and {@code LLM_PROXY} is not {@code none}). */
    public boolean hasProxies() {
        return !off && (httpsProxy != null || httpProxy != null);
    }

    /** Returns the proxy for the target, or {@link Proxy#NO_PROXY} for a direct connection. */
    @Override
    public List<Proxy> select(URI uri) {
        ProxyRoute route = route(uri);
        return List.of(route.isDirect() ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, route.proxy()));
    }

    /**
     * Returns how the target is reached and why: which variable named the proxy, or which
     * {@code NO_PROXY} entry (or the loopback rule, or {@code LLM_PROXY=none}) sends it direct.
     */
    public ProxyRoute route(URI uri) {
        if (off) {
            return ProxyRoute.direct(LLM_PROXY.name() + "=none");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        ProxyUrl proxy = secure ? httpsProxy : httpProxy;
        if (proxy == null) {
            return ProxyRoute.direct(
                    hasProxies() ? "no proxy variable for " + scheme + " targets" : "no proxy variables set");
        }
        String host = hostOf(uri);
        int port = HostAndPort.port(uri);
        Optional<String> bypass = noProxy.match(host, port);
        if (bypass.isPresent()) {
            return ProxyRoute.direct(noProxy.source() + " entry '" + bypass.get() + "'");
        }
        if (!proxyLoopback) {
            String h = numericHost(NoProxyRules.normalise(host));
            if (LOOPBACK.match(h, port).isPresent() || h.endsWith(".localhost")) {
                return ProxyRoute.direct("loopback target (always direct)");
            }
        }
        return new ProxyRoute(proxy.address(), proxy.display(), proxy.source(), proxy.hasCredentials());
    }

    /** Returns the host, also for authorities {@link URI} leaves unparsed ({@code 127.1}). */
    private static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return "";
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && hostPort.indexOf(']') < colon ? hostPort.substring(0, colon) : hostPort;
    }

    /**
     * Returns the dotted-quad form of a numeric IPv4 host in the short forms the JDK also accepts
     * ({@code 127.1}, {@code 2130706433} are 127.0.0.1), so the loopback rule sees it; any other
     * host is returned unchanged. Parsed by hand: nothing is ever looked up.
     */
    static String numericHost(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4 || host.isEmpty()) {
            return host;
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return host;
            }
            long n = Long.parseLong(part);
            boolean last = i == parts.length - 1;
            long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (n > max) {
                return host;
            }
            value = last ? (value << (8 * (4 - i))) | n : (value << 8) | n;
        }
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }

    /** Returns the credentials configured for the proxy at this host and port, if any. */
    Optional<PasswordAuthentication> credentialsFor(String host, int port) {
        for (ProxyUrl p : new ProxyUrl[] {httpsProxy, httpProxy}) {
            if (p != null
                    && p.hasCredentials()
                    && p.port() == port
                    && NoProxyRules.normalise(p.host()).equals(NoProxyRules.normalise(host))) {
                return Optional.of(p.credentials());
            }
        }
        return Optional.empty();
    }

    /** Returns whether any configured proxy has credentials. */
    boolean hasCredentials() {
        return (httpsProxy != null && httpsProxy.hasCredentials()) || (httpProxy != null && httpProxy.hasCredentials());
    }

    @Override
    public void connectFailed(URI uri, SocketAddress proxy, IOException failure) {
        log.debug("could not connect to proxy {} for {}: {}", proxy, uri.getHost(), failure.toString());
    }

    /** Shows the proxies with credentials masked, and the bypass list. */
    @Override
    public String toString() {
        if (off) {
            return "EnvProxySelector[" + LLM_PROXY.name() + "=none]";
        }
        return "EnvProxySelector[https=" + (httpsProxy == null ? "direct" : httpsProxy)
                + ", http=" + (httpProxy == null ? "direct" : httpProxy)
                + (noProxy.isEmpty() ? "" : ", noProxy=" + noProxy)
                + (proxyLoopback ? ", proxyLoopback" : "") + "]";
    }

    /** Builds an {@link EnvProxySelector}; a later call for the same setting wins. */
    public static final class Builder {
        private ProxyUrl httpsProxy;
        private ProxyUrl httpProxy;
        private NoProxyRules noProxy = NoProxyRules.none();
        private boolean proxyLoopback;
        private boolean off;

        private Builder() {}

        /**
         * Reads {@code LLM_PROXY}, the https/http/all proxy variables and {@code NO_PROXY} (both
         * spellings, lower case first).
         *
         * @throws LlmException category configuration naming the variable whose value cannot be used
         */
        public Builder settings(Settings settings) {
            Optional<String> llmProxy = settings.get(LLM_PROXY);
            if (llmProxy.isPresent() && llmProxy.get().equalsIgnoreCase("none")) {
                off = true;
                return this;
            }
            if (llmProxy.isPresent() && MEANS_OFF.contains(llmProxy.get().toLowerCase(java.util.Locale.ROOT))) {
                // Without this, "off" would be read as a proxy at http://off:80 and get every call.
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        LLM_PROXY.name() + "='" + llmProxy.get() + "' is not a proxy URL; write " + LLM_PROXY.name()
                                + "=none to turn proxies off");
            }
            off = false;
            if (llmProxy.isPresent()) {
                ProxyUrl all = ProxyUrl.parse(llmProxy.get(), LLM_PROXY.name());
                httpsProxy = all;
                httpProxy = all;
            } else {
                httpsProxy = settings.first(HTTPS_NAMES)
                        .map(s -> ProxyUrl.parse(s.value(), s.name()))
                        .orElse(null);
                httpProxy = settings.first(HTTP_NAMES)
                        .map(s -> ProxyUrl.parse(s.value(), s.name()))
                        .orElse(null);
            }
            noProxy = settings.first(NO_PROXY)
                    .map(s -> NoProxyRules.parse(s.value(), s.name()))
                    .orElse(NoProxyRules.none());
            return this;
        }

        /** Sets the proxy for https targets ({@code null}: direct). */
        public Builder httpsProxy(String url) {
            this.httpsProxy = url == null ? null : ProxyUrl.parse(url, "httpsProxy(...)");
            return this;
        }

        /** Sets the proxy for http targets ({@code null}: direct). */
        public Builder httpProxy(String url) {
            this.httpProxy = url == null ? null : ProxyUrl.parse(url, "httpProxy(...)");
            return this;
        }

        /** Sets one proxy for both https and http targets. */
        public Builder proxy(String url) {
            ProxyUrl p = ProxyUrl.parse(url, "proxy(...)");
            this.httpsProxy = p;
            this.httpProxy = p;
            return this;
        }

        /** Sets the hosts reached directly, in {@code NO_PROXY} syntax. */
        public Builder noProxy(String list) {
            this.noProxy = list == null ? NoProxyRules.none() : NoProxyRules.parse(list, "noProxy(...)");
            return this;
        }

        /**
         * Sends loopback targets through the proxy too (default {@code false}: loopback is always
         * direct). For tests that put a local proxy in front of a local stub, and for setups where
         * a local port is itself reached through a proxy.
         */
        public Builder proxyLoopback(boolean proxyLoopback) {
            this.proxyLoopback = proxyLoopback;
            return this;
        }

        /** Returns the selector. */
        public EnvProxySelector build() {
            return new EnvProxySelector(this);
        }
    }

    private static String[] namesOf(ConfigVariable... variables) {
        return Arrays.stream(variables).flatMap(v -> v.names().stream()).toArray(String[]::new);
    }
}
