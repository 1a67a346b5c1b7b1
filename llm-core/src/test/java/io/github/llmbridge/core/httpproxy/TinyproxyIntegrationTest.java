package io.github.llmbridge.core.httpproxy;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.settings.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls through a real forward proxy (tinyproxy, started per test on a free loopback port) to a
 * WireMock stub: the proxy's own log must show the request, and a wrong proxy password must be
 * reported as the proxy's refusal, not the LLM's. Loopback targets are direct by default, so the
 * selector is built with {@code proxyLoopback(true)}. Skipped, with the reason printed, when
 * tinyproxy is not installed.
 */
class TinyproxyIntegrationTest {

    private static final String PATH = "/v1/chat/completions";
    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("acme/judge").user("2+2?").build();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
            .build();

    @BeforeEach
    void stub() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("""
                {"model":"acme/judge","choices":[{"message":{"content":"4"},"finish_reason":"stop"}]}""")));
    }

    private static URI target() {
        return URI.create("http://127.0.0.1:" + wm.getPort() + PATH);
    }

    /** A transport routed by the proxy variables, as fromEnv would, but proxying loopback too. */
    private static OpenAiHttpTransport transportVia(String variable, String proxyUrl) {
        EnvProxySelector selector = EnvProxySelector.builder()
                .settings(Settings.of(Map.of(variable, proxyUrl)))
                .proxyLoopback(true)
                .build();
        return OpenAiHttpTransport.builder()
                .backend("test")
                .proxySelector(selector)
                .build();
    }

    @Test
    void callGoesThroughTheProxyFromHttpProxy() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start(null, null);
                OpenAiHttpTransport transport = transportVia("HTTP_PROXY", proxy.url(null, null))) {
            ChatResponse reply = Futures.await(transport.sendChat(target(), Map.of(), REQUEST, body -> {}));

            assertThat(reply.content()).isEqualTo("4");
            assertThat(proxy.log()).contains("POST http://127.0.0.1:" + wm.getPort() + PATH);
            wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        }
    }

    @Test
    void proxyWithBasicAuthAcceptsTheCredentialsFromTheUrl() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret-pw");
                OpenAiHttpTransport transport = transportVia("http_proxy", proxy.url("alice", "s3cret-pw"))) {
            ChatResponse reply = Futures.await(transport.sendChat(target(), Map.of(), REQUEST, body -> {}));

            assertThat(reply.content()).isEqualTo("4");
            assertThat(proxy.log()).contains("POST http://127.0.0.1:" + wm.getPort() + PATH);
        }
    }

    /**
     * tinyproxy answers a refused request and closes the connection before reading the POST body,
     * so the JDK often sees a reset instead of the status (on https, the CONNECT has no body and
     * the answer is clean: see the fresh-JVM test). Either way the failure names the proxy.
     */
    @Test
    void wrongProxyPasswordOnPlainHttpNamesTheProxy() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret-pw");
                OpenAiHttpTransport transport = transportVia("HTTP_PROXY", proxy.url("alice", "wrong-pw"))) {
            LlmException e = catchThrowableOfType(
                    () -> Futures.await(transport.sendChat(target(), Map.of(), REQUEST, body -> {})),
                    LlmException.class);

            assertThat(e.category()).as(e.getMessage()).isIn(ErrorCategory.AUTHENTICATION, ErrorCategory.CONNECTION);
            assertThat(e.getMessage())
                    .contains("HTTP proxy http://****@127.0.0.1:" + proxy.port() + " (from HTTP_PROXY)")
                    .doesNotContain("wrong-pw", "s3cret-pw");
            wm.verify(0, postRequestedFor(urlEqualTo(PATH)));
        }
    }

    @Test
    void refusedProxyPortIsNamedAsTheProxy() throws Exception {
        int closedPort;
        try (Tinyproxy proxy = Tinyproxy.start(null, null)) {
            closedPort = proxy.port();
        }
        try (OpenAiHttpTransport transport = transportVia("HTTPS_PROXY", "http://127.0.0.1:" + closedPort)) {
            URI https = URI.create("https://127.0.0.1:" + wm.getHttpsPort() + PATH);
            LlmException e = catchThrowableOfType(
                    () -> Futures.await(transport.sendChat(https, Map.of(), REQUEST, body -> {})), LlmException.class);

            assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
            assertThat(e.getMessage())
                    .contains(
                            "could not connect to the HTTP proxy http://127.0.0.1:" + closedPort,
                            "(from HTTPS_PROXY)",
                            "is the proxy running");
        }
    }

    /**
     * An https target: the JDK opens a CONNECT tunnel, on which it sends Basic credentials only
     * if allowed. Run in a fresh JVM, as a trainer would: the library allows it there before the
     * JDK's HTTP client loads. The tunnel opens (the proxy logs the CONNECT) and the call then fails
     * on WireMock's self-signed certificate, which proves the proxy let it through.
     */
    @Test
    void httpsTunnelThroughAnAuthenticatingProxyInAFreshJvm() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret-pw")) {
            String target = "https://localhost:" + wm.getHttpsPort() + PATH;

            String ok = runProbe(List.of(), proxy.url("alice", "s3cret-pw"), target);
            assertThat(ok).startsWith("CONNECTION|").contains("TLS");
            assertThat(proxy.log()).contains("CONNECT localhost:" + wm.getHttpsPort());

            String wrong = runProbe(List.of(), proxy.url("alice", "nope-nope"), target);
            assertThat(wrong)
                    .startsWith("AUTHENTICATION|")
                    .contains("rejected the proxy credentials", "the API key was not checked");

            String none = runProbe(List.of(), proxy.url(null, null), target);
            assertThat(none)
                    .startsWith("AUTHENTICATION|")
                    .contains(
                            "answered 407 Proxy Authentication Required",
                            "none are configured",
                            "http://user:password@host:port");

            String forbidden = runProbe(
                    List.of("-Djdk.http.auth.tunneling.disabledSchemes=Basic"),
                    proxy.url("alice", "s3cret-pw"),
                    target);
            assertThat(forbidden)
                    .startsWith("AUTHENTICATION|")
                    .contains("407", "jdk.http.auth.tunneling.disabledSchemes");
        }
    }

    private static String runProbe(List<String> jvmOptions, String proxyUrl, String target)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                classpath,
                TunnelProbe.class.getName(),
                proxyUrl,
                target));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.lines()
                .filter(l -> l.startsWith("RESULT "))
                .map(l -> l.substring(7))
                .findFirst()
                .orElseThrow(() -> new AssertionError("probe printed no result:\n" + output));
    }
}
