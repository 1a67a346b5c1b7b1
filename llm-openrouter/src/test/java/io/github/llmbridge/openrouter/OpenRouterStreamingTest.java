package io.github.llmbridge.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.OpenAiRequestSchema;
import io.github.llmbridge.core.contract.SseServer;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.resilience.StreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenRouter's streams end to end through the resilience layer, against a raw-socket server that
 * sends OpenRouter's shapes: {@code : OPENROUTER PROCESSING} keep-alives, the mid-stream error
 * event with finish reason {@code error}, stalls. Time bounds are upper bounds with generous
 * slack for a loaded machine.
 */
class OpenRouterStreamingTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final String KEEP_ALIVE = ": OPENROUTER PROCESSING\n\n";

    private final SseServer server = newServer();
    private final CountDownLatch release = new CountDownLatch(1); // ends the server's stalls at teardown
    private final ChatRequest request =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("hi").build();

    @AfterEach
    void close() throws Exception {
        release.countDown();
        server.close();
    }

    static String chunk(String content, String finishReason) {
        return "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-4o-mini\","
                + "\"provider\":\"Azure\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\""
                + content + "\"},\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + ",\"native_finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    private ResilientChatClient client(StreamPolicy policy) {
        OpenRouterChatClient backend = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-key")
                .baseUrl(server.baseUri() + "/api/v1")
                .build();
        return ResilientChatClient.builder(backend)
                .backoff(new Backoff(Duration.ofMillis(10), 2, Duration.ofMillis(50)))
                .streamPolicy(policy)
                .build();
    }

    private static StreamPolicy policy() {
        return StreamPolicy.DEFAULT.withFirstTokenTimeout(IDLE).withIdleTimeout(IDLE);
    }

    @Test
    void keepAlivesAreSkippedAndTheReplyIsAssembledWithUsageAndCost() throws Exception {
        server.then(ex -> ex.streamHead()
                .write(KEEP_ALIVE)
                .data(chunk("Hel", null))
                .write(KEEP_ALIVE)
                .data(chunk("lo", null))
                .data(chunk("", "stop"))
                .data(
                        "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-4o-mini\","
                                + "\"provider\":\"Azure\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,"
                                + "\"total_tokens\":6,\"cost\":0.0001}}")
                .data("[DONE]"));
        List<String> pieces = new ArrayList<>();
        try (ChatClient client = client(policy());
                ChatStream stream = client.stream(request)) {
            for (ChatChunk c : stream) {
                pieces.add(c.content());
            }
            ChatResponse reply = stream.response().get(10, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("Hello");
            assertThat(reply.cost()).hasValue(0.0001);
            assertThat(reply.usage().totalTokens()).isEqualTo(6);
            assertThat(OpenRouterResponse.of(reply).provider()).contains("Azure");
            assertThat(reply.attempts()).hasSize(1);
        }
        assertThat(pieces).containsExactly("Hel", "lo", "", "");
        JsonNode body = new ObjectMapper().readTree(server.requestBodies().get(0));
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(OpenAiRequestSchema.violations(body, Set.of())).isEmpty();
    }

    @Test
    void aMidStreamErrorEventFailsWithItsCategoryAndThePartialTextAndIsNotRetried() {
        server.then(
                ex -> ex.streamHead()
                        .data(chunk("Par", null))
                        .data(chunk("tial", null))
                        .data(
                                "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-4o-mini\","
                                        + "\"provider\":\"Azure\",\"error\":{\"code\":\"server_error\",\"message\":\"Provider disconnected"
                                        + " unexpectedly\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"));
        try (ChatClient client = client(policy())) {
            assertThatThrownBy(() -> client.streamAsync(request, c -> {}).join())
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
                        assertThat(e.partialContent()).contains("Partial");
                        assertThat(e.attempts()).hasSize(1);
                        assertThat(e.isRetryable()).isFalse();
                        assertThat(e.getMessage()).contains("Provider disconnected unexpectedly");
                    });
        }
        assertThat(server.requestBodies()).hasSize(1);
    }

    @Test
    void a429BeforeTheFirstByteIsRetried() throws Exception {
        server.then(ex -> ex.reply(
                        429,
                        "application/json",
                        "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\","
                                + "\"metadata\":{\"error_type\":\"rate_limit_exceeded\"}}}"))
                .then(ex -> ex.streamHead()
                        .data(chunk("ok", null))
                        .data(chunk("", "stop"))
                        .data("[DONE]"));
        try (ChatClient client = client(policy())) {
            ChatResponse reply = client.streamAsync(request, c -> {}).get(10, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("ok");
            assertThat(reply.attempts()).hasSize(2);
            assertThat(reply.attempts().get(0).errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
        }
    }

    @Test
    void onlyKeepAlivesAfterTheFirstChunkIsAStallCaughtWithinTheIdleLimit() throws Exception {
        server.then(ex -> {
            ex.streamHead().data(chunk("thinking", null));
            for (int i = 0; i < 300 && release.getCount() > 0; i++) {
                ex.write(KEEP_ALIVE); // every 100 ms: a live connection that produces nothing
                release.await(100, TimeUnit.MILLISECONDS);
            }
        });
        try (ChatClient client = client(policy())) {
            long start = System.nanoTime();
            LlmException e = failure(client.streamAsync(request, c -> {}));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.partialContent()).contains("thinking");
            assertThat(e.attempts()).hasSize(1);
            assertThat(e.getMessage()).contains("keep-alive comments do not count");
            assertThat(took).isGreaterThanOrEqualTo(IDLE).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void aStreamOfOnlyKeepAlivesFailsAtTheFirstOutputLimit() throws Exception {
        server.then(ex -> {
            ex.streamHead();
            for (int i = 0; i < 300 && release.getCount() > 0; i++) {
                ex.write(KEEP_ALIVE);
                release.await(100, TimeUnit.MILLISECONDS);
            }
        });
        OpenRouterChatClient backend = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-key")
                .baseUrl(server.baseUri() + "/api/v1")
                .build();
        try (ChatClient client = ResilientChatClient.builder(backend)
                .maxAttempts(1)
                .streamPolicy(policy())
                .build()) {
            long start = System.nanoTime();
            LlmException e = failure(client.streamAsync(request, c -> {}));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.isRetryable()).isTrue(); // nothing was output: another attempt would be safe
            assertThat(e.partialContent()).isEmpty();
            assertThat(e.getMessage())
                    .contains("sent no output within 1.0 s", "LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS");
            assertThat(took).isGreaterThanOrEqualTo(IDLE).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void stallProtectionTurnsAThirtySecondStallIntoAFailureWithinTheIdleLimit() throws Exception {
        CompletableFuture<Boolean> closedByClient = new CompletableFuture<>();
        server.then(ex -> {
            ex.streamHead().data(chunk("The score is", null));
            closedByClient.complete(ex.clientClosedWithin(30_000)); // a 30 s stall unless the client leaves
        });
        try (ChatClient client = client(policy().withStallProtection(true))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.chat(request)).isInstanceOfSatisfying(LlmException.class, e -> {
                assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(e.partialContent()).contains("The score is");
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(IDLE).isLessThan(Duration.ofSeconds(6));
        }
        assertThat(closedByClient.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new ObjectMapper()
                        .readTree(server.requestBodies().get(0))
                        .get("stream")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void closingTheStreamClosesTheConnectionOnTheServerAndFreesThePermit() throws Exception {
        CompletableFuture<Boolean> closedByClient = new CompletableFuture<>();
        server.then(ex -> {
                    ex.streamHead().data(chunk("a", null));
                    closedByClient.complete(ex.clientClosedWithin(10_000));
                })
                .then(ex -> ex.streamHead()
                        .data(chunk("b", null))
                        .data(chunk("", "stop"))
                        .data("[DONE]"));
        StreamPolicy patient = StreamPolicy.DEFAULT; // no stall timer may end the first stream
        OpenRouterChatClient backend = OpenRouterChatClient.builder()
                .apiKey("sk-or-test-key")
                .baseUrl(server.baseUri() + "/api/v1")
                .build();
        try (ResilientChatClient client = ResilientChatClient.builder(backend)
                .maxConcurrentCalls(1)
                .streamPolicy(patient)
                .build()) {
            ChatStream first = client.stream(request);
            assertThat(first.iterator().next().content()).isEqualTo("a");
            CompletableFuture<ChatResponse> second = client.streamAsync(request, c -> {});
            assertThat(second).isNotDone();

            first.close();

            assertThat(closedByClient.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(10, TimeUnit.SECONDS).content()).isEqualTo("b");
            assertThat(first.response()).isCompletedExceptionally();
        }
    }

    private static LlmException failure(CompletableFuture<ChatResponse> call) {
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS))
                .getCause();
        assertThat(t).isInstanceOf(LlmException.class);
        return (LlmException) t;
    }

    private static SseServer newServer() {
        try {
            return new SseServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
