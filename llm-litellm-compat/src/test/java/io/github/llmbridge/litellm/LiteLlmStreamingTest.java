package io.github.llmbridge.litellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.SseServer;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.resilience.StreamPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LiteLLM's streams through the resilience layer: a failure after the stream began arrives as
 * the proxy's last event, {@code data: {"error": ...}} with the status as a string code (LiteLLM's
 * {@code async_data_generator} yields {@code ProxyException.to_dict()} and ends without
 * {@code [DONE]}), classified as the same error without streaming.
 */
class LiteLlmStreamingTest {

    private final SseServer server = newServer();
    private final ChatRequest request =
            ChatRequest.builder().model("gpt-4o-mini").user("hi").build();

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    static String chunk(String content, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    static String errorEvent(String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"None\",\"param\":\"None\",\"code\":\"" + code
                + "\"}}";
    }

    private ChatClient client() {
        LiteLlmChatClient backend = LiteLlmChatClient.builder()
                .serverUrl(server.baseUri().toString())
                .apiKey("sk-litellm-test")
                .build();
        return ResilientChatClient.builder(backend)
                .backoff(new Backoff(Duration.ofMillis(10), 2, Duration.ofMillis(50)))
                .streamPolicy(StreamPolicy.DEFAULT.withIdleTimeout(Duration.ofSeconds(5)))
                .build();
    }

    @Test
    void theLastEventsErrorAfterOutputFailsWithItsCategoryAndThePartialTextOnce() {
        server.then(ex -> ex.streamHead()
                .data(chunk("Half an", null))
                .data(chunk(" answer", null))
                .data(errorEvent("429", "litellm.RateLimitError: Rate limit reached")));
        try (ChatClient client = client()) {
            assertThatThrownBy(() -> client.streamAsync(request, c -> {}).join())
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
                        assertThat(e.partialContent()).contains("Half an answer");
                        assertThat(e.attempts()).hasSize(1);
                        assertThat(e.isRetryable()).isFalse();
                    });
        }
        assertThat(server.requestBodies()).hasSize(1);
    }

    @Test
    void anErrorEventBeforeAnyOutputIsRetriedLikeAnyFailedAttempt() throws Exception {
        server.then(ex -> ex.streamHead().data(errorEvent("500", "litellm.APIConnectionError: Connection error.")))
                .then(ex -> ex.streamHead()
                        .data(chunk("fine", null))
                        .data(chunk("", "stop"))
                        .data("[DONE]"));
        try (ChatClient client = client()) {
            ChatResponse reply = client.streamAsync(request, c -> {}).get(10, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("fine");
            assertThat(reply.attempts()).hasSize(2);
        }
    }

    @Test
    void eachStreamedAttemptSendsItsCallIdAndTheProxyKey() throws Exception {
        java.util.List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.then(ex -> {
            heads.add(ex.head().toLowerCase(Locale.ROOT));
            ex.streamHead().data(chunk("x", "stop")).data("[DONE]");
        });
        try (ChatClient client = client()) {
            ChatResponse reply = client.streamAsync(request, c -> {}).get(10, TimeUnit.SECONDS);
            assertThat(reply.attempts()).hasSize(1);
        }
        assertThat(heads.get(0)).contains("x-litellm-call-id: ", "authorization: bearer sk-litellm-test");
        assertThat(heads.get(0)).contains("accept: text/event-stream");
    }

    private static SseServer newServer() {
        try {
            return new SseServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
