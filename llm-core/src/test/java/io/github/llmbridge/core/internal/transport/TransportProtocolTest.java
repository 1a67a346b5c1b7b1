package io.github.llmbridge.core.internal.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.Futures;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which HTTP version reaches the server: HTTP/2 over TLS at ordinary concurrency, HTTP/1.1 over
 * TLS above {@link OpenAiHttpTransport#MAX_HTTP2_CONCURRENCY} (JDK-8225647), HTTP/1.1 on plain http.
 */
class TransportProtocolTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("m").user("hi").build();

    @BeforeEach
    void stub() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}""")));
    }

    @Test
    void httpsUsesHttp2AtOrdinaryConcurrency() throws Exception {
        assertThat(protocolSeen(https(), 10)).isEqualTo("HTTP/2.0");
    }

    @Test
    void httpsUsesHttp11AboveTheServerStreamLimit() throws Exception {
        assertThat(protocolSeen(https(), OpenAiHttpTransport.MAX_HTTP2_CONCURRENCY + 1))
                .isEqualTo("HTTP/1.1");
    }

    @Test
    void plainHttpUsesHttp11WithoutAnUpgradeAttempt() throws Exception {
        assertThat(protocolSeen(URI.create("http://127.0.0.1:" + wm.getPort() + "/v1/chat/completions"), 10))
                .isEqualTo("HTTP/1.1");
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))
                        .get(0)
                        .containsHeader("Upgrade"))
                .isFalse();
    }

    private static URI https() {
        return URI.create("https://localhost:" + wm.getHttpsPort() + "/v1/chat/completions");
    }

    private static String protocolSeen(URI uri, int concurrency) throws Exception {
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("test")
                .maxConcurrency(concurrency)
                .httpClient(trustingClient())
                .build()) {
            assertThat(Futures.await(transport.sendChat(uri, Map.of(), REQUEST, body -> {}))
                            .content())
                    .isEqualTo("ok");
        }
        var requests = wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(requests).hasSize(1);
        return requests.get(0).getProtocol();
    }

    /** Same settings as the transport's own client, but trusting WireMock's self-signed certificate. */
    private static HttpClient trustingClient() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        // An extended trust manager that accepts everything also skips the host-name check (the
        // JDK wraps a plain X509TrustManager in one that checks it): WireMock's certificate is
        // not issued for localhost.
        tls.init(
                null,
                new TrustManager[] {
                    new X509ExtendedTrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                new SecureRandom());
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
