package io.github.llmbridge.benchmarks;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.litellm.LiteLlmVariables;
import io.github.llmbridge.tracing.TracingVariables;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * (b) LLM Bridge as a trainer gets it from {@code ChatClients.fromEnv}: the LiteLLM backend
 * pointed at the stub, wrapped in resilience (retry, deadline, bulkhead sized to the concurrency)
 * and, for (c), SQLite tracing to a temporary file. Driven with {@code chatAsync}: each completed
 * call starts the next from its continuation, the way reward code fans out judge calls.
 */
final class BridgeContender implements Contender {

    private final boolean traced;

    BridgeContender(boolean traced) {
        this.traced = traced;
    }

    @Override
    public String id() {
        return traced ? "c" : "b";
    }

    @Override
    public String label() {
        return traced ? "LLM Bridge + resilience + SQLite tracing" : "LLM Bridge + resilience";
    }

    @Override
    public Driver open(URI stubBaseUrl, int concurrency) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put(CoreVariables.LLM_BACKEND.name(), "litellm");
        env.put(LiteLlmVariables.LITELLM_PROXY_URL.name(), stubBaseUrl.toString());
        env.put(LiteLlmVariables.LITELLM_API_KEY.name(), Payloads.API_KEY);
        env.put(
                LiteLlmVariables.LITELLM_MAX_CONCURRENT_CALLS.name(),
                Integer.toString(concurrency)); // bulkhead and HTTP pool
        Path dir = traced ? Files.createTempDirectory("llm-bridge-bench") : null;
        if (traced) {
            env.put(
                    TracingVariables.LLM_TRACE_DB.name(),
                    dir.resolve("traces.db").toString());
        }
        ChatClient client = ChatClients.fromEnv(env);
        ChatRequest request = Payloads.bridgeRequest();
        return new Async() {
            @Override
            public CompletableFuture<String> call() {
                return client.chatAsync(request).thenApply(r -> r.usage().totalTokens() > 0 ? r.content() : null);
            }

            @Override
            public void close() throws Exception {
                client.close(); // with tracing: flushes the store
                if (dir != null) {
                    try (var files = Files.list(dir)) {
                        for (Path f : files.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(dir);
                }
            }
        };
    }
}
