package io.github.llmbridge.core.internal;

import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one piece of global state LLM Bridge may change. The JDK refuses to send Basic credentials
 * on the {@code CONNECT} request that opens a tunnel to an https target through a proxy, unless
 * the system property {@value #PROPERTY} (default {@code Basic}, from the JDK's
 * {@code net.properties}) leaves Basic out. Without that, every call through an authenticating
 * proxy fails with {@code 407}.
 *
 * <p>So when a client is built with proxy credentials and the property is <b>not set</b>, the
 * library sets it to {@code ""} and logs that at INFO, once. A value someone already set (on the
 * command line, or in code) is never changed; if it still lists Basic, a WARN says proxy
 * authentication for https targets will fail. The JDK reads the property once, when its HTTP
 * client first loads: if something in the process used {@code java.net.http.HttpClient} before
 * the first LLM Bridge client with proxy credentials was built, the change comes too late, and
 * the JVM must be started with {@code -Djdk.http.auth.tunneling.disabledSchemes=}.
 *
 * <p>Set by {@code httpproxy.ProxySetup}, explained by {@code errors.ErrorResponses} when a proxy
 * answers {@code 407}: hence here, shared, rather than in either package.
 */
public final class TunnelBasicAuth {

    /** The JDK's system property listing the schemes it will not use on proxy tunnels. */
    public static final String PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";

    private static final Logger log = LoggerFactory.getLogger(TunnelBasicAuth.class);
    private static boolean reported;

    /** What {@link #allow(UnaryOperator, BiConsumer)} did. */
    enum Outcome {
        SET_BY_LIBRARY,
        ALREADY_ALLOWED,
        DISABLED_BY_USER
    }

    private TunnelBasicAuth() {}

    /** Allows Basic on tunnels through the system properties, as the class comment says. */
    public static synchronized void allow() {
        allow(System::getProperty, System::setProperty);
    }

    /** The decision, on any property store (tests pass a map). */
    static synchronized Outcome allow(UnaryOperator<String> get, BiConsumer<String, String> set) {
        String value = get.apply(PROPERTY);
        if (value == null) {
            set.accept(PROPERTY, "");
            log.info(
                    "Proxy credentials configured: set system property {}=\"\" so the JDK sends Basic proxy"
                            + " credentials when it opens tunnels to https targets (it refuses by default). Set the"
                            + " property yourself (e.g. to Basic) to stop LLM Bridge from changing it.",
                    PROPERTY);
            return Outcome.SET_BY_LIBRARY;
        }
        if (listsBasic(value)) {
            if (!reported) {
                reported = true;
                log.warn(
                        "Proxy credentials configured, but system property {}={} forbids Basic on tunnels: calls"
                                + " to https targets through the proxy will fail with 407",
                        PROPERTY,
                        value);
            }
            return Outcome.DISABLED_BY_USER;
        }
        return Outcome.ALREADY_ALLOWED;
    }

    /** Returns whether the current property value still forbids Basic on tunnels. */
    public static boolean basicForbidden() {
        String value = System.getProperty(PROPERTY);
        return value == null || listsBasic(value);
    }

    private static boolean listsBasic(String value) {
        for (String scheme : value.split(",", -1)) {
            if (scheme.strip().toLowerCase(Locale.ROOT).equals("basic")) {
                return true;
            }
        }
        return false;
    }
}
