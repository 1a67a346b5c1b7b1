package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A minimal OpenAI-compatible backend over the real transport, for resilience tests against stubs. */
final class HttpTestBackend implements ChatClient {

    static final String KEY = "sk-test-SECRET-resilience-0123456789";

    private final OpenAiHttpTransport transport;
    private final URI endpoint;

    HttpTestBackend(String baseUrl, int maxConcurrency) {
        this.transport = OpenAiHttpTransport.builder()
                .backend("test")
                .secret(KEY)
                .maxConcurrency(maxConcurrency)
                .build();
        this.endpoint = URI.create(baseUrl + "/v1/chat/completions");
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return transport.sendChat(endpoint, Map.of("Authorization", "Bearer " + KEY), request, body -> {});
    }

    @Override
    public String backend() {
        return "test";
    }

    @Override
    public void close() {
        transport.close();
    }
}
