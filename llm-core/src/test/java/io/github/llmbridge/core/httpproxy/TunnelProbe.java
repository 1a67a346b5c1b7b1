package io.github.llmbridge.core.httpproxy;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import java.net.URI;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link TinyproxyIntegrationTest}: one call to an https target through a
 * proxy, printing {@code OK} or {@code <category>|<message>}. A fresh JVM because the JDK reads
 * {@code jdk.http.auth.tunneling.disabledSchemes} once, when its HTTP client first loads; only a
 * process in which LLM Bridge builds the first client shows what a trainer sees.
 */
public final class TunnelProbe {

    private TunnelProbe() {}

    /** Args: proxy URL, target URL. */
    public static void main(String[] args) {
        EnvProxySelector proxies = EnvProxySelector.builder()
                .httpsProxy(args[0])
                .proxyLoopback(true)
                .build();
        try (OpenAiHttpTransport transport = OpenAiHttpTransport.builder()
                .backend("test")
                .proxySelector(proxies)
                .build()) {
            Futures.await(transport.sendChat(
                    URI.create(args[1]),
                    Map.of(),
                    ChatRequest.builder().model("m").user("hi").build(),
                    body -> {}));
            System.out.println("RESULT OK");
        } catch (LlmException e) {
            System.out.println("RESULT " + e.category() + "|" + e.getMessage());
        }
    }
}
