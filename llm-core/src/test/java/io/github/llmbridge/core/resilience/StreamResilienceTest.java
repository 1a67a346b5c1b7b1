package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.testing.ScriptedStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The resilience layer's rules for streamed calls, on virtual time: the two stall timers, retry
 * before the first output and not after it (unless restarting), the permit held for the stream's
 * life, and stall protection for ordinary calls.
 */
class StreamResilienceTest {

    private static final Duration FIRST = Duration.ofSeconds(20);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final StreamPolicy POLICY =
            StreamPolicy.DEFAULT.withFirstTokenTimeout(FIRST).withIdleTimeout(IDLE);

    private final ChatRequest request =
            ChatRequest.builder().model("m").user("hi").build();
    private final VirtualTime time = new VirtualTime();
    private final List<ChatChunk> received = new CopyOnWriteArrayList<>();

    private ResilientChatClient.Builder client(ScriptedChatClient backend) {
        return ResilientChatClient.builder(backend)
                .scheduler(time)
                .random(new Random(7))
                .backoff(new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(8)))
                .streamPolicy(POLICY);
    }

    @Test
    void aStallAfterThreeChunksFailsAtTheIdleLimitWithThePartialText() throws Exception {
        ScriptedChatClient backend =
                new ScriptedChatClient().stream(ScriptedStream.of("a", "b", "c").stall());
        try (ResilientChatClient client = client(backend).build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            assertThat(received).extracting(ChatChunk::content).containsExactly("a", "b", "c");

            time.advance(IDLE.minusMillis(1));
            assertThat(call).isNotDone();
            time.advance(Duration.ofMillis(1));

            LlmException e = failure(call);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.partialContent()).contains("abc");
            assertThat(e.attempts())
                    .singleElement()
                    .extracting(Attempt::errorCategory)
                    .isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage())
                    .contains("no chunk for 5.0 s after 3 chunk(s)", "LLM_STREAM_IDLE_TIMEOUT_SECONDS");
            assertThat(time.elapsed()).isEqualTo(IDLE);
            assertThat(backend.remaining()).isZero();
        }
    }

    @Test
    void eachChunkRestartsTheIdleLimitSoAStallIsMeasuredFromTheLastChunk() throws Exception {
        ManualStream backend = new ManualStream();
        try (ResilientChatClient client = ResilientChatClient.builder(backend)
                .scheduler(time)
                .streamPolicy(POLICY)
                .build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            backend.push(ChatChunk.ofContent("a"));
            time.advance(Duration.ofSeconds(4));
            backend.push(ChatChunk.ofContent("b")); // 4 s after the first: within the limit
            time.advance(Duration.ofSeconds(4));
            assertThat(call).as("8 s after the first chunk, 4 s after the last").isNotDone();
            time.advance(IDLE.minusSeconds(4).minusMillis(1));
            assertThat(call).isNotDone();
            time.advance(Duration.ofMillis(1));

            LlmException e = failure(call);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.partialContent()).contains("ab");
            assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(4).plus(IDLE));
            assertThat(backend.cancelled()).isTrue();
        }
    }

    /** A backend whose one stream the test feeds chunk by chunk, on the test's thread. */
    private static final class ManualStream implements io.github.llmbridge.core.ChatClient {
        private volatile java.util.function.Consumer<? super ChatChunk> handler;
        private volatile CompletableFuture<ChatResponse> future;

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            throw new UnsupportedOperationException("streams only");
        }

        @Override
        public CompletableFuture<ChatResponse> streamAsync(
                ChatRequest request, java.util.function.Consumer<? super ChatChunk> onChunk) {
            handler = onChunk;
            future = new CompletableFuture<>();
            return future;
        }

        void push(ChatChunk chunk) {
            handler.accept(chunk);
        }

        boolean cancelled() {
            return future.isCancelled();
        }

        @Override
        public String backend() {
            return "manual";
        }

        @Override
        public void close() {}
    }

    @Test
    void aStallBeforeTheFirstOutputIsRetriedAfterTheFirstTokenLimit() throws Exception {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.create().stall()).stream(
                        ScriptedStream.of("fine").finish(FinishReason.STOP));
        try (ResilientChatClient client = client(backend).build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            time.advance(FIRST);
            time.runThroughWaits(call);

            ChatResponse reply = call.get(5, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("fine");
            assertThat(reply.attempts())
                    .extracting(Attempt::errorCategory)
                    .containsExactly(ErrorCategory.TIMEOUT, null);
            assertThat(reply.attempts().get(0).duration()).isEqualTo(FIRST);
            assertThat(received).extracting(ChatChunk::restart).containsOnly(false);
        }
    }

    @Test
    void aRateLimitBeforeTheFirstOutputIsRetriedAndTheCallerSeesOnlyTheGoodStream() throws Exception {
        ScriptedChatClient backend = new ScriptedChatClient()
                .fail(ErrorCategory.RATE_LIMITED, "429").stream(
                        ScriptedStream.of("Hel", "lo").finish(FinishReason.STOP));
        try (ResilientChatClient client = client(backend).build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            time.runThroughWaits(call);

            ChatResponse reply = call.get(5, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("Hello");
            assertThat(reply.attempts()).hasSize(2);
            assertThat(received).extracting(ChatChunk::content).containsExactly("Hel", "lo", "");
        }
    }

    @Test
    void aMidStreamErrorAfterOutputIsNotRetriedAndKeepsThePartialOutput() throws Exception {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.of("Hal").fail(ErrorCategory.SERVER_ERROR, "upstream died")).stream(
                        ScriptedStream.of("unused"));
        try (ResilientChatClient client = client(backend).build()) {
            LlmException e = failure(client.streamAsync(request, received::add));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.partialContent()).contains("Hal");
            assertThat(e.attempts()).hasSize(1);
            assertThat(e.getMessage()).contains("output had begun", "LLM_STREAM_RESTART");
            assertThat(backend.remaining()).isEqualTo(1);
        }
    }

    @Test
    void withRestartAFailedStreamStartsOverAndItsFirstChunkSaysSo() throws Exception {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.of("Hal").fail(ErrorCategory.SERVER_ERROR, "upstream died")).stream(
                        ScriptedStream.of("Whole").finish(FinishReason.STOP));
        try (ResilientChatClient client = client(backend)
                .streamPolicy(POLICY.withRestartAfterOutput(true))
                .build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            time.runThroughWaits(call);

            assertThat(call.get(5, TimeUnit.SECONDS).content()).isEqualTo("Whole");
            assertThat(received).extracting(ChatChunk::content).containsExactly("Hal", "Whole", "");
            assertThat(received).extracting(ChatChunk::restart).containsExactly(false, true, false);
        }
    }

    @Test
    void thePermitIsHeldForTheStreamsLifeAndReleasedWhenItIsClosed() throws Exception {
        ScriptedChatClient backend =
                new ScriptedChatClient().stream(ScriptedStream.of("a").stall()).reply("second");
        try (ResilientChatClient client = client(backend).maxConcurrentCalls(1).build()) {
            ChatStream first = client.stream(request);
            assertThat(first.iterator().next().content()).isEqualTo("a");

            CompletableFuture<ChatResponse> second = client.chatAsync(request);
            assertThat(second).isNotDone();
            assertThat(client.stats().waitingForPermit()).isEqualTo(1);

            first.close();
            assertThat(second.get(5, TimeUnit.SECONDS).content()).isEqualTo("second");
            assertThat(first.response()).isCompletedExceptionally();
            assertThat(client.stats().inFlight()).isZero();
        }
    }

    @Test
    void theWholeCallDeadlineEndsAStreamThatKeepsTrickling() throws Exception {
        ScriptedStream trickle = ScriptedStream.create();
        for (int i = 0; i < 50; i++) {
            trickle = trickle.chunk("x");
        }
        ScriptedChatClient backend = new ScriptedChatClient().stream(trickle.stall());
        try (ResilientChatClient client =
                client(backend).deadline(Duration.ofSeconds(3)).build()) {
            CompletableFuture<ChatResponse> call = client.streamAsync(request, received::add);
            time.advance(Duration.ofSeconds(3));

            LlmException e = failure(call);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage()).contains("deadline");
        }
    }

    @Test
    void stallProtectionSendsAnOrdinaryCallAsAStreamAndFailsItsStallAtTheIdleLimit() throws Exception {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.of("thinking", "...").stall());
        try (ResilientChatClient client =
                client(backend).streamPolicy(POLICY.withStallProtection(true)).build()) {
            CompletableFuture<ChatResponse> call = client.chatAsync(request);
            time.advance(IDLE);

            LlmException e = failure(call);
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.partialContent()).contains("thinking...");
            assertThat(time.elapsed()).isEqualTo(IDLE);
        }
    }

    @Test
    void stallProtectionReturnsTheAssembledReplyOfAHealthyStream() throws Exception {
        ScriptedChatClient backend =
                new ScriptedChatClient().stream(ScriptedStream.of("4").finish(FinishReason.STOP));
        try (ResilientChatClient client =
                client(backend).streamPolicy(POLICY.withStallProtection(true)).build()) {
            ChatResponse reply = client.chatAsync(request).get(5, TimeUnit.SECONDS);
            assertThat(reply.content()).isEqualTo("4");
            assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(reply.attempts()).hasSize(1);
        }
    }

    private static LlmException failure(CompletableFuture<ChatResponse> call) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(LlmException.class);
        return (LlmException) e.getCause();
    }
}
