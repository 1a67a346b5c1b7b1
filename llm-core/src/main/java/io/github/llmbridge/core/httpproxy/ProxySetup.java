package io.github.llmbridge.core.httpproxy;

import io.github.llmbridge.core.internal.TunnelBasicAuth;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.core.settings.Settings;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxies an HTTP client uses and with which credentials: the JDK's default (its system
 * properties {@code https.proxyHost} and so on), no proxy at all, or a {@link ProxySelector}
 * (usually an {@link EnvProxySelector}). The chat transport and the backends' other calls
 * (account, health) all build their {@link HttpClient} through {@link #configure}, so
 * every request of a backend takes the same route.
 *
 * <p><b>Proxy authentication</b> is Basic, sent with every request that goes through a proxy
 * with credentials ({@link #proxyAuthorization(URI)}, as curl does), and only to that proxy: the
 * JDK strips {@code Proxy-*} headers from direct requests and from requests inside a tunnel. Not
 * through a JDK {@link java.net.Authenticator}: with one installed, the JDK turns a backend's
 * {@code 401} without a {@code WWW-Authenticate} header (as some gateways send) into an
 * {@code IOException}, and answers a proxy that rejects the password three more times before
 * failing. For https targets the JDK drops Basic credentials from the {@code CONNECT} request
 * unless the system property {@code jdk.http.auth.tunneling.disabledSchemes} allows them. So
 * when a client with proxy credentials is built and nobody set that property, the library sets it
 * to {@code ""} (logged at INFO, once); a value already set is never changed, and a WARN says so
 * when it still forbids Basic. The JDK reads the property once, when {@code java.net.http} first
 * loads: if other code used it earlier, start the JVM with
 * {@code -Djdk.http.auth.tunneling.disabledSchemes=}.
 */
public final class ProxySetup {

    private enum Mode {
        JDK_DEFAULT,
        DIRECT,
        SELECTOR
    }

    private final Mode mode;
    private final ProxySelector selector;
    private final String directReason;
    private final PasswordAuthentication credentials;

    private ProxySetup(Mode mode, ProxySelector selector, String directReason, PasswordAuthentication credentials) {
        this.mode = mode;
        this.selector = selector;
        this.directReason = directReason;
        this.credentials = credentials;
    }

    /** The JDK's default proxy selector (system properties; usually no proxy). */
    public static ProxySetup jdkDefault() {
        return new ProxySetup(Mode.JDK_DEFAULT, null, "", null);
    }

    /** No proxy for any target. */
    public static ProxySetup direct(String reason) {
        return new ProxySetup(Mode.DIRECT, null, Objects.requireNonNull(reason, "reason"), null);
    }

    /**
     * The proxies a ready-made {@link HttpClient} uses: its selector, or the JDK's default when it
     * has none.
     */
    public static ProxySetup of(HttpClient client) {
        return client.proxy().map(ProxySetup::of).orElse(jdkDefault());
    }

    /**
     * Proxies chosen by a selector. An {@link EnvProxySelector}'s own credentials are used; for
     * any other selector add them with {@link #withCredentials}.
     */
    public static ProxySetup of(ProxySelector selector) {
        Objects.requireNonNull(selector, "selector");
        if (selector == HttpClient.Builder.NO_PROXY) {
            return direct("proxySelector(NO_PROXY)");
        }
        return new ProxySetup(Mode.SELECTOR, selector, "", null);
    }

    /**
     * Returns the setup the variables describe: {@code LLM_PROXY=none} → direct; any proxy
     * variable set → an {@link EnvProxySelector}; none → the JDK's default.
     *
     * @throws io.github.llmbridge.core.LlmException category configuration naming a variable whose value cannot be used
     */
    public static ProxySetup fromSettings(Settings settings) {
        EnvProxySelector env = EnvProxySelector.fromSettings(settings);
        if (settings.get(CoreVariables.LLM_PROXY)
                .filter(v -> v.equalsIgnoreCase("none"))
                .isPresent()) {
            return direct(CoreVariables.LLM_PROXY.name() + "=none");
        }
        return env.hasProxies() ? of(env) : jdkDefault();
    }

    /**
     * Returns this setup answering proxy challenges with these credentials, whichever proxy the
     * selector picked.
     */
    public ProxySetup withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new ProxySetup(
                mode, selector, directReason, new PasswordAuthentication(username, password.toCharArray()));
    }

    /**
     * Applies the proxy selection to a client builder. With credentials, it also makes sure the
     * JDK lets Basic credentials through on https tunnels (see the class comment);
     * requests then carry them in {@link #proxyAuthorization(URI)}.
     */
    public HttpClient.Builder configure(HttpClient.Builder builder) {
        switch (mode) {
            case DIRECT -> builder.proxy(HttpClient.Builder.NO_PROXY);
            case SELECTOR -> builder.proxy(selector);
            case JDK_DEFAULT -> {
                // leave the JDK's default selector in place
            }
        }
        if (hasCredentials()) {
            TunnelBasicAuth.allow();
        }
        return builder;
    }

    /**
     * Returns the {@code Proxy-Authorization} header value ({@code Basic ...}) for a request to
     * this target, when it goes through a proxy that has credentials; empty otherwise.
     */
    public Optional<String> proxyAuthorization(URI target) {
        if (!hasCredentials()) {
            return Optional.empty();
        }
        ProxyRoute route = route(target);
        if (route.isDirect()) {
            return Optional.empty();
        }
        return credentialsFor(route.proxy().getHostString(), route.proxy().getPort())
                .map(pw -> "Basic "
                        + Base64.getEncoder()
                                .encodeToString((pw.getUserName() + ":" + new String(pw.getPassword()))
                                        .getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns how the target is reached and why. */
    public ProxyRoute route(URI target) {
        return switch (mode) {
            case DIRECT -> ProxyRoute.direct(directReason);
            case SELECTOR ->
                selector instanceof EnvProxySelector env
                        ? withExplicitCredentials(env.route(target))
                        : routeOf(selector, target, "proxySelector(...)");
            case JDK_DEFAULT ->
                routeOf(ProxySelector.getDefault(), target, "JVM system properties https.proxyHost/http.proxyHost");
        };
    }

    /** Returns whether credentials are configured for some proxy. */
    public boolean hasCredentials() {
        return credentials != null || (selector instanceof EnvProxySelector env && env.hasCredentials());
    }

    /**
     * Returns the credentials for the proxy at this host and port: the explicit ones, else those
     * written in the proxy variable that names this proxy.
     */
    public Optional<PasswordAuthentication> credentialsFor(String host, int port) {
        if (credentials != null) {
            return Optional.of(credentials);
        }
        return selector instanceof EnvProxySelector env ? env.credentialsFor(host, port) : Optional.empty();
    }

    private ProxyRoute withExplicitCredentials(ProxyRoute route) {
        return credentials == null || route.isDirect()
                ? route
                : new ProxyRoute(
                        route.proxy(), route.proxyUrl().replace("http://", "http://****@"), route.reason(), true);
    }

    private ProxyRoute routeOf(ProxySelector s, URI target, String reason) {
        List<Proxy> proxies = s == null ? List.of() : s.select(target);
        Proxy first = proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
        if (first.type() != Proxy.Type.HTTP || !(first.address() instanceof InetSocketAddress address)) {
            return ProxyRoute.direct(mode == Mode.JDK_DEFAULT ? "no proxy variables set" : reason + " chose none");
        }
        String host = address.getHostString();
        String shown = "http://" + (credentials != null ? "****@" : "")
                + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
        return new ProxyRoute(address, shown, reason, credentials != null);
    }

    /** Shows the mode and selector; never a password. */
    @Override
    public String toString() {
        return switch (mode) {
            case JDK_DEFAULT -> "ProxySetup[JDK default]";
            case DIRECT -> "ProxySetup[direct: " + directReason + "]";
            case SELECTOR -> "ProxySetup[" + selector + (credentials != null ? ", credentials=set" : "") + "]";
        };
    }
}
