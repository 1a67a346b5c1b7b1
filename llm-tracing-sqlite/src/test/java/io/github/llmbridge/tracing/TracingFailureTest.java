package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import io.github.llmbridge.tracing.contract.Traces;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure to build or queue a trace never breaks, or hangs, the call it traces. */
class TracingFailureTest {

    @TempDir
    Path dir;

    @Test
    void aBackendOfNullStillCompletesTheCallAndCountsItUntraced() throws Exception {
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
            TracingChatClient client = TracingChatClient.wrap(
                    new FakeChatClient(null, r -> CompletableFuture.completedFuture(FakeChatClient.reply(r))), store);
            CompletableFuture<ChatResponse> call = client.chatAsync(Traces.request("m", "x"));
            assertThat(call.get(5, TimeUnit.SECONDS).content()).isEqualTo("echo: x");
            assertThat(client.untracedCount()).isEqualTo(1);
        }
    }

    @Test
    void aStoreWhoseEnqueueReturnsNullStillCompletesTheCall() throws Exception {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), storeEnqueueing(t -> null));
        CompletableFuture<ChatResponse> call = client.chatAsync(Traces.request("m", "x"));
        assertThat(call.get(5, TimeUnit.SECONDS).content()).isEqualTo("echo: x");
        assertThat(client.untracedCount()).isEqualTo(1);
    }

    @Test
    void aStoreWhoseEnqueueThrowsStillCompletesTheCall() throws Exception {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), storeEnqueueing(t -> {
            throw new IllegalStateException("broken store");
        }));
        CompletableFuture<ChatResponse> call = client.chatAsync(Traces.request("m", "x"));
        assertThat(call.get(5, TimeUnit.SECONDS).content()).isEqualTo("echo: x");
        assertThat(client.untracedCount()).isEqualTo(1);
    }

    /** A store whose enqueue does this; every other method is unsupported. */
    private static TraceStore storeEnqueueing(Function<CallTrace, CompletionStage<Void>> enqueue) {
        return (TraceStore) Proxy.newProxyInstance(
                TraceStore.class.getClassLoader(),
                new Class<?>[] {TraceStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "enqueue" -> enqueue.apply((CallTrace) args[0]);
                    case "toString" -> "a custom store";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
