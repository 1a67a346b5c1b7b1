package io.github.llmbridge.tracing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.Json;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** A backend double: answers through a handler, no network. */
public final class FakeChatClient implements ChatClient {

    public final AtomicBoolean closed = new AtomicBoolean();
    private final String backend;
    private final Function<ChatRequest, CompletableFuture<ChatResponse>> handler;

    public FakeChatClient(String backend, Function<ChatRequest, CompletableFuture<ChatResponse>> handler) {
        this.backend = backend;
        this.handler = handler;
    }

    /** Answers every request at once, on the calling thread, with {@link #reply(ChatRequest)}. */
    public static FakeChatClient answering() {
        return new FakeChatClient("fake", r -> CompletableFuture.completedFuture(reply(r)));
    }

    /** A reply echoing the request's last message, with usage, cost and a raw body. */
    public static ChatResponse reply(ChatRequest r) {
        String content = "echo: " + r.messages().get(r.messages().size() - 1).content();
        JsonNode raw = Json.MAPPER
                .createObjectNode()
                .put("id", "chatcmpl-1")
                .put("model", r.model() + "-2024")
                .set(
                        "choices",
                        Json.MAPPER
                                .createArrayNode()
                                .add(Json.MAPPER
                                        .createObjectNode()
                                        .put("finish_reason", "stop")
                                        .set(
                                                "message",
                                                Json.MAPPER
                                                        .createObjectNode()
                                                        .put("role", "assistant")
                                                        .put("content", content))));
        return ChatResponse.builder()
                .id("chatcmpl-1")
                .model(r.model() + "-2024")
                .content(content)
                .usage(new Usage(10, 5, 15, 2, 1))
                .cost(0.25)
                .backend("fake")
                .raw(raw)
                .build();
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return handler.apply(request);
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
