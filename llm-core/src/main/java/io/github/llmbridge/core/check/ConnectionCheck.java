package io.github.llmbridge.core.check;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.internal.HostAndPort;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Checks, before a training run, that the configured backend answers: settings, DNS, TCP connect
 * (direct or to the proxy, and the proxy's tunnel), TLS, then one tiny chat request (at most
 * {@value #MAX_TOKENS} tokens, no retries: it goes to the backend beneath the resilience layer)
 * whose outcome is read as HTTP status, authentication, model and reply. A backend may add health
 * checks of its own ({@link CheckTarget#healthSteps}, e.g. a gateway's liveliness and readiness).
 * Each step passes, fails with a one-line fix, or is skipped because an earlier one failed; the
 * whole check has a budget (default 30 s).
 *
 * <pre>{@code
 * ConnectionReport report = ConnectionCheck.run(Settings.fromEnvironment(), "openai/gpt-4o-mini");
 * if (!report.ok()) report.failures().forEach(f -> System.err.println(f.fix()));
 * }</pre>
 */
public final class ConnectionCheck {

    /** Step names, in order. */
    public static final String SETTINGS = "settings";
    /** Name lookup of the host the client connects to (the proxy's, when one is used). */
    public static final String DNS = "dns";
    /** TCP connect, to the server or the proxy (and the proxy's tunnel for https). */
    public static final String CONNECT = "connect";
    /** TLS handshake with the server (https only). */
    public static final String TLS = "tls";
    /** An HTTP answer from the server. */
    public static final String HTTP = "http";
    /** The key was accepted. */
    public static final String AUTH = "auth";
    /** The model exists and may be used. */
    public static final String MODEL = "model";
    /** A chat completion came back. */
    public static final String REPLY = "reply";

    /** Default budget of a whole check. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
    /** The test request's {@code max_tokens}. */
    public static final int MAX_TOKENS = 5;

    private static final Duration MAX_PROBE = Duration.ofSeconds(10);

    private final ChatClient client;
    private final CheckTarget target;
    private final String model;
    private final long deadline;
    private final List<CheckStep> steps = new ArrayList<>();

    private ConnectionCheck(ChatClient client, String model, Duration budget) {
        this.client = client;
        this.target = client.unwrap(CheckTarget.class).orElse(null);
        this.model = model;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /**
     * Builds the backend the settings select and checks it within {@link #DEFAULT_BUDGET}. Never
     * throws for a failed check: the report says what failed and how to fix it.
     *
     * @param model the model the test request asks
     */
    public static ConnectionReport run(Settings settings, String model) {
        return run(settings, model, DEFAULT_BUDGET);
    }

    /**
     * Builds the backend the settings select and checks it. A bad setting is the failed
     * {@code settings} step (naming the variable), never an exception.
     */
    public static ConnectionReport run(Settings settings, String model, Duration budget) {
        Objects.requireNonNull(model, "model");
        ChatClient client;
        try {
            client = ChatClients.fromSettingsWithoutDecorators(settings);
        } catch (LlmException e) {
            return new ConnectionReport(
                    "",
                    model,
                    List.of(
                            CheckStep.failed(SETTINGS, e.getMessage(), "fix the variable named above"),
                            skipped(DNS),
                            skipped(CONNECT),
                            skipped(TLS),
                            skipped(HTTP),
                            skipped(AUTH),
                            skipped(MODEL),
                            skipped(REPLY)));
        }
        try (client) {
            return run(client, model, budget);
        }
    }

    /**
     * Checks a client already built. The test request goes to the backend beneath any decorator
     * ({@code unwrap(CheckTarget.class)}), so it is sent once; a client that is no
     * {@link CheckTarget} is asked as it is, and the network steps are skipped.
     */
    public static ConnectionReport run(ChatClient client, String model, Duration budget) {
        ConnectionCheck check = new ConnectionCheck(client, Objects.requireNonNull(model, "model"), budget);
        check.steps.add(CheckStep.ok(SETTINGS, client.backend() + " client built"));
        boolean networkOk = check.target == null ? check.skipNetwork() : check.network();
        if (networkOk && check.target != null) {
            check.steps.addAll(check.target.healthSteps(check.probeTime()));
        }
        if (networkOk) {
            check.request();
        } else {
            for (String name : List.of(HTTP, AUTH, MODEL, REPLY)) {
                check.steps.add(CheckStep.skipped(name, "an earlier step failed"));
            }
        }
        return new ConnectionReport(client.backend(), model, check.steps);
    }

    private boolean skipNetwork() {
        for (String name : List.of(DNS, CONNECT, TLS)) {
            steps.add(CheckStep.skipped(name, client.backend() + " does not say where it connects"));
        }
        return true;
    }

    /** DNS, TCP and TLS, one step each; returns whether the request is worth sending. */
    private boolean network() {
        URI endpoint = target.endpoint();
        String host = endpoint.getHost();
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        int port = HostAndPort.port(endpoint);
        ProxyRoute route = target.proxySetup().route(endpoint);
        String hopHost = route.isDirect() ? host : route.proxy().getHostString();
        int hopPort = route.isDirect() ? port : route.proxy().getPort();
        String url = target.urlSetting() + " " + Secrets.displayUrl(endpoint.toString());

        InetAddress[] addresses;
        try {
            addresses = NetworkProbe.resolve(hopHost, probeTime());
            String shown = Arrays.stream(addresses)
                    .limit(3)
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", "));
            steps.add(CheckStep.ok(
                    DNS,
                    hopHost + " -> " + shown
                            + (route.isDirect() ? "" : " (the proxy; it resolves " + host + " itself)")));
        } catch (UnknownHostException | TimeoutException e) {
            String what = e instanceof TimeoutException ? "did not resolve in time" : "does not resolve";
            steps.add(CheckStep.failed(
                    DNS,
                    hopHost + " " + what,
                    route.isDirect()
                            ? "check the host name in " + url
                            : "check the proxy's host name in " + route.reason() + " (" + route.proxyUrl() + ")"));
            return skipRest(CONNECT, TLS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            steps.add(CheckStep.failed(DNS, "interrupted", "run the check again"));
            return skipRest(CONNECT, TLS);
        }

        String hop = (hopHost.indexOf(':') >= 0 ? "[" + hopHost + "]" : hopHost) + ":" + hopPort;
        try (Socket socket = NetworkProbe.connect(addresses[0], hopPort, probeTime())) {
            if (route.isDirect()) {
                steps.add(CheckStep.ok(CONNECT, "connected to " + hop + " (direct: " + route.reason() + ")"));
            } else if (!https) {
                steps.add(CheckStep.ok(
                        CONNECT,
                        "connected to the proxy " + route.proxyUrl() + " (" + route.reason()
                                + "); it forwards the http request"));
            } else if (!tunnel(socket, route, host, port)) {
                return skipRest(TLS);
            }
            if (!https) {
                steps.add(CheckStep.skipped(TLS, "plain http"));
                return true;
            }
            String protocol = NetworkProbe.handshake(socket, host, port, probeTime());
            steps.add(CheckStep.ok(TLS, protocol + ", certificate valid for " + host));
            return true;
        } catch (ConnectException e) {
            steps.add(CheckStep.failed(
                    CONNECT,
                    hop + " refused the connection",
                    route.isDirect()
                            ? url + " refused the connection: " + target.whenRefused()
                            : "the proxy " + route.proxyUrl() + " (" + route.reason()
                                    + ") refused the connection: is it" + " running, and is " + route.reason()
                                    + " right?"));
            return skipRest(TLS);
        } catch (SocketTimeoutException e) {
            boolean connected = steps.stream().anyMatch(s -> s.name().equals(CONNECT));
            if (connected) {
                steps.add(CheckStep.failed(
                        TLS, "no TLS answer from " + host + ":" + port + " in time", "is " + url + " really https?"));
                return false;
            }
            steps.add(CheckStep.failed(
                    CONNECT,
                    "no answer from " + hop + " in time",
                    "a firewall may drop the traffic"
                            + (route.isDirect()
                                    ? "; behind a corporate proxy set HTTPS_PROXY (and NO_PROXY for local hosts)"
                                    : "; check " + route.reason())));
            return skipRest(TLS);
        } catch (SSLException e) {
            steps.add(CheckStep.failed(
                    TLS,
                    "TLS handshake with " + host + " failed: " + e.getMessage(),
                    "if a proxy or firewall inspects TLS, add its CA certificate to the JVM's truststore"
                            + " (-Djavax.net.ssl.trustStore=...); otherwise check that " + url + " is right"));
            return false;
        } catch (IOException e) {
            boolean connected = steps.stream().anyMatch(s -> s.name().equals(CONNECT));
            steps.add(CheckStep.failed(
                    connected ? TLS : CONNECT,
                    hop + ": " + e.getMessage(),
                    "check " + (route.isDirect() ? url : route.reason())));
            return connected ? false : skipRest(TLS);
        }
    }

    /** Opens the proxy's tunnel to the https target; adds the connect step either way. */
    private boolean tunnel(Socket socket, ProxyRoute route, String host, int port) throws IOException {
        String auth = target.proxySetup().proxyAuthorization(target.endpoint()).orElse(null);
        int status = NetworkProbe.openTunnel(socket, host, port, auth, probeTime());
        String proxy = "the proxy " + route.proxyUrl() + " (" + route.reason() + ")";
        if (status == 200) {
            steps.add(
                    CheckStep.ok(CONNECT, "connected to " + proxy + ", which opened a tunnel to " + host + ":" + port));
            return true;
        }
        String fix = switch (status) {
            case 407, 401 ->
                auth == null
                        ? proxy + " wants credentials: write them in the proxy URL (http://user:password@host:port)"
                        : proxy + " rejected the credentials: check user:password in " + route.reason();
            case 403 ->
                proxy + " does not allow tunnels to " + host + ":" + port + ": ask its administrators, or" + " add "
                        + host + " to NO_PROXY if it is reachable directly";
            default -> proxy + " could not reach " + host + ":" + port + ": check its network";
        };
        steps.add(CheckStep.failed(
                CONNECT, proxy + " answered HTTP " + status + " to CONNECT " + host + ":" + port, fix));
        return false;
    }

    private void request() {
        Duration remaining = remaining();
        if (remaining.isZero()) {
            for (String name : List.of(HTTP, AUTH, MODEL, REPLY)) {
                steps.add(CheckStep.skipped(name, "the check's time budget ran out"));
            }
            return;
        }
        ChatClient backend = target != null ? target.backend() : client;
        ChatRequest ping = ChatRequest.builder()
                .model(model)
                .user("Reply with the single word: ok")
                .temperature(0.0)
                .maxTokens(MAX_TOKENS)
                .timeout(remaining)
                .build();
        long started = System.nanoTime();
        try {
            ChatResponse reply = backend.chat(ping);
            steps.addAll(CheckOutcomes.success(reply, Duration.ofNanos(System.nanoTime() - started)));
        } catch (LlmException e) {
            steps.addAll(CheckOutcomes.failure(e, model, target, remaining));
        }
    }

    private boolean skipRest(String... networkSteps) {
        for (String name : networkSteps) {
            steps.add(CheckStep.skipped(name, "an earlier step failed"));
        }
        return false;
    }

    private Duration remaining() {
        long left = deadline - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    private Duration probeTime() {
        Duration left = remaining();
        if (left.isZero()) {
            return Duration.ofMillis(1);
        }
        return left.compareTo(MAX_PROBE) < 0 ? left : MAX_PROBE;
    }

    private static CheckStep skipped(String name) {
        return CheckStep.skipped(name, "an earlier step failed");
    }
}
