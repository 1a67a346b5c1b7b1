package io.github.llmbridge.core.testing;

import static io.github.llmbridge.core.settings.CoreVariables.MOCK_LATENCY_MS;
import static io.github.llmbridge.core.settings.CoreVariables.MOCK_REPLY;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code mock} backend: answers every request at once (or after a fixed latency) with a
 * canned reply, or echoes the last user message, so a trainer's pipeline runs end to end with no
 * network and no key. Select it with {@code LLM_BACKEND=mock}; {@code MOCK_REPLY} sets the canned
 * reply (e.g. {@code {"score": 5}}), {@code MOCK_LATENCY_MS} a delay. Token counts are estimated
 * as one token per four characters. Deterministic: the same request always gets the same reply.
 */
public final class MockChatClient implements ChatClient {

    private final String cannedReply;
    private final Duration latency;
    private final AtomicLong ids = new AtomicLong();

    /**
     * Creates a mock backend.
     *
     * @param cannedReply the reply to every request, or {@code null} to echo the last user message
     * @param latency     how long each reply takes
     */
    public MockChatClient(String cannedReply, Duration latency) {
        this.cannedReply = cannedReply;
        this.latency = latency.isNegative() ? Duration.ZERO : latency;
    }

    /** Creates a mock backend from {@code MOCK_REPLY} and {@code MOCK_LATENCY_MS}. */
    public static MockChatClient fromSettings(Settings settings) {
        String reply = settings.get(MOCK_REPLY).orElse(null);
        int latencyMs = settings.get(MOCK_LATENCY_MS).isPresent() ? settings.positiveInt(MOCK_LATENCY_MS, 1) : 0;
        return new MockChatClient(reply, Duration.ofMillis(latencyMs));
    }

    @Override
    // the timer task only completes later (a no-op once the caller cancelled it); nothing waits on the task.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        String content = cannedReply != null ? cannedReply : "echo: " + lastUserMessage(request.messages());
        long prompt =
                request.messages().stream().mapToLong(m -> m.content().length()).sum() / 4 + 1;
        long completion = content.length() / 4L + 1;
        ChatResponse response = ChatResponse.builder()
                .id("mock-" + ids.incrementAndGet())
                .model(request.model())
                .backend("mock")
                .content(content)
                .usage(new Usage(prompt, completion, prompt + completion, 0, 0))
                .latency(latency)
                .build();
        if (latency.isZero()) {
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<ChatResponse> later = new CompletableFuture<>();
        SharedScheduler.runLater(() -> later.complete(response), latency.toNanos(), TimeUnit.NANOSECONDS);
        return later;
    }

    private static String lastUserMessage(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    @Override
    public String backend() {
        return "mock";
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "MockChatClient[" + (cannedReply == null ? "echo" : "canned reply") + ", latency=" + latency.toMillis()
                + " ms]";
    }
}
