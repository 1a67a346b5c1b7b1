package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClientProvider;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import java.util.concurrent.CompletableFuture;

/**
 * A backend named {@code fake-tracing} for the {@code fromEnv} tests (registered in this module's
 * test resources). Like a careless server, it echoes the configured key back: in the reply text
 * and raw body when the prompt says {@code echo}, in an error message when it says {@code fail}.
 */
public class FakeBackendProvider implements ChatClientProvider {

    /** Creates the provider (called by {@code ServiceLoader}). */
    public FakeBackendProvider() {}

    @Override
    public String name() {
        return "fake-tracing";
    }

    @Override
    public ChatClient create(Settings settings) {
        String key = settings.get("OPENROUTER_API_KEY").orElse("no-key");
        return new FakeChatClient("fake-tracing", request -> {
            String prompt = request.messages().get(0).content();
            if (prompt.contains("fail")) {
                return CompletableFuture.failedFuture(
                        LlmException.builder(ErrorCategory.AUTHENTICATION, "invalid key " + key)
                                .httpStatus(401)
                                .build());
            }
            String content = "you sent " + key;
            return CompletableFuture.completedFuture(ChatResponse.builder()
                    .model(request.model())
                    .content(content)
                    .backend("fake-tracing")
                    .raw(Json.MAPPER.createObjectNode().put("echo", content))
                    .build());
        });
    }
}
