package io.github.llmbridge.core.httpproxy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosts that bypass the proxy, from a {@code NO_PROXY}-style list, matched the way curl does:
 * comma-separated entries, case-insensitive, each one of
 * <ul>
 *   <li>{@code *}: every host;</li>
 *   <li>a domain, with or without a leading {@code .} (or {@code *.}): the domain itself and every
 *       host under it ({@code example.com} matches {@code api.example.com});</li>
 *   <li>an IP literal ({@code 10.1.2.3}, {@code ::1}, {@code [::1]});</li>
 *   <li>a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}), which matches targets written as IP
 *       literals only: host names are not resolved to decide;</li>
 *   <li>any of these with {@code :port}, which then matches that port only.</li>
 * </ul>
 */
final class NoProxyRules {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Rule> rules;
    private final String source;

    private NoProxyRules(List<Rule> rules, String source) {
        this.rules = List.copyOf(rules);
        this.source = source;
    }

    static NoProxyRules none() {
        return new NoProxyRules(List.of(), "");
    }

    /**
     * Parses a list.
     *
     * @param source the variable it came from, for messages
     * @throws LlmException category configuration naming {@code source} for an unparsable entry
     */
    static NoProxyRules parse(String list, String source) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                rules.add(rule(entry, source));
            }
        }
        return new NoProxyRules(rules, source);
    }

    /** Returns the entry that sends this target direct, or empty when none does. */
    Optional<String> match(String host, int port) {
        String h = normalise(host);
        byte[] ip = ipLiteral(h);
        for (Rule rule : rules) {
            if (rule.matches(h, ip, port)) {
                return Optional.of(rule.text());
            }
        }
        return Optional.empty();
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return rules.stream().map(Rule::text).toList().toString();
    }

    static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Returns the address bytes when the host is an IP literal, else {@code null} (never resolves names). */
    static byte[] ipLiteral(String host) {
        boolean v6 = host.indexOf(':') >= 0;
        if (!v6
                && !(IPV4.matcher(host).matches()
                        && Arrays.stream(host.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255))) {
            return null; // never hand InetAddress a name: it would ask DNS
        }
        try {
            int zone = host.indexOf('%');
            return InetAddress.getByName(zone < 0 ? host : host.substring(0, zone))
                    .getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Rule rule(String entry, String source) {
        if (entry.equals("*")) {
            return new Rule(entry, null, null, 0, -1);
        }
        String hostPart = entry;
        int port = -1;
        if (entry.startsWith("[")) { // [v6] or [v6]:port or [v6]/prefix
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalid(entry, source, "an IPv6 address opened with '[' is not closed");
            }
            String rest = entry.substring(close + 1);
            hostPart = entry.substring(1, close) + (rest.startsWith("/") ? rest : "");
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), entry, source);
            }
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
            int colon = entry.indexOf(':'); // host:port (a bare IPv6 literal has two or more colons)
            port = port(entry.substring(colon + 1), entry, source);
            hostPart = entry.substring(0, colon);
        }
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            byte[] network = ipLiteral(hostPart.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(hostPart.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (network == null || bits < 0 || bits > network.length * 8) {
                throw invalid(entry, source, "expected a CIDR range such as 10.0.0.0/8 or fd00::/8");
            }
            return new Rule(entry, null, network, bits, port);
        }
        String host = normalise(hostPart);
        if (host.startsWith("*.")) {
            host = host.substring(2);
        } else if (host.startsWith(".")) {
            host = host.substring(1);
        }
        if (host.isEmpty() || host.contains("*")) {
            throw invalid(entry, source, "expected a host, a domain (.example.com), an IP, a CIDR range or *");
        }
        byte[] ip = ipLiteral(host);
        return ip != null ? new Rule(entry, null, ip, ip.length * 8, port) : new Rule(entry, host, null, 0, port);
    }

    private static int port(String text, String entry, String source) {
        try {
            int p = Integer.parseInt(text);
            if (p > 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(entry, source, "the port must be a number from 1 to 65535");
    }

    private static LlmException invalid(String entry, String source, String why) {
        return new LlmException(
                ErrorCategory.CONFIGURATION, source + " has an entry it cannot use ('" + entry + "'): " + why);
    }

    /**
     * One entry: {@code domain} for names, {@code network}+{@code bits} for IPs and ranges, neither
     * for {@code *}; {@code port} -1 for any port.
     */
    // never compared or hashed: a private matcher, not a value.
    @SuppressWarnings("ArrayRecordComponent")
    private record Rule(String text, String domain, byte[] network, int bits, int port) {
        boolean matches(String host, byte[] ip, int targetPort) {
            if (port >= 0 && port != targetPort) {
                return false;
            }
            if (domain == null && network == null) {
                return true; // *
            }
            if (domain != null) {
                return host.equals(domain) || host.endsWith("." + domain);
            }
            return ip != null && ip.length == network.length && samePrefix(ip, network, bits);
        }

        private static boolean samePrefix(byte[] a, byte[] b, int bits) {
            if (bits == 0) {
                return true;
            }
            int shift = a.length * 8 - bits;
            return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, b).shiftRight(shift));
        }
    }
}
