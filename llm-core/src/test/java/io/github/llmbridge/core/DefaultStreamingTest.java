package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that cannot stream still streams: its whole reply arrives as one chunk. */
class DefaultStreamingTest {

    private final ChatRequest request =
            ChatRequest.builder().model("m").user("hi").build();

    @Test
    void aNonStreamingClientYieldsItsWholeReplyAsOneChunk() {
        try (ScriptedChatClient client = new ScriptedChatClient().reply("whole answer");
                ChatStream stream = client.stream(request)) {
            List<ChatChunk> chunks = new ArrayList<>();
            stream.forEach(chunks::add);

            assertThat(chunks).hasSize(1);
            assertThat(chunks.get(0).content()).isEqualTo("whole answer");
            assertThat(chunks.get(0).finishReason()).contains(FinishReason.STOP);
            assertThat(stream.response().join().content()).isEqualTo("whole answer");
        }
    }

    @Test
    void toolCallsOfAWholeReplyArriveAsCompletePieces() throws Exception {
        try (ScriptedChatClient client =
                new ScriptedChatClient().callTools(ToolCall.function("c1", "lookup", "{\"q\":1}"))) {
            List<ChatChunk> chunks = new ArrayList<>();
            ChatResponse reply = client.streamAsync(request, chunks::add).get(5, TimeUnit.SECONDS);

            assertThat(chunks.get(0).toolCalls()).containsExactly(new ToolCallDelta(0, "c1", "lookup", "{\"q\":1}"));
            assertThat(reply.toolCalls()).containsExactly(ToolCall.function("c1", "lookup", "{\"q\":1}"));
        }
    }

    @Test
    void iterationThrowsTheCallsFailure() {
        try (ScriptedChatClient client = new ScriptedChatClient().fail(ErrorCategory.RATE_LIMITED, "slow down");
                ChatStream stream = client.stream(request)) {
            assertThatThrownBy(() -> stream.iterator().hasNext())
                    .isInstanceOfSatisfying(
                            LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED));
        }
    }

    @Test
    void aHandlerThatThrowsFailsTheCallAsCancelledWithItsCause() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (ScriptedChatClient client = new ScriptedChatClient().reply("x")) {
            assertThatThrownBy(() -> client.streamAsync(request, chunk -> {
                                throw boom;
                            })
                            .join())
                    .hasCauseInstanceOf(LlmException.class)
                    .cause()
                    .satisfies(e -> {
                        assertThat(((LlmException) e).category()).isEqualTo(ErrorCategory.CANCELLED);
                        assertThat(e.getCause()).isSameAs(boom);
                    });
        }
    }

    @Test
    void aClosedStreamEndsItsIterationWithoutFailing() {
        try (ScriptedChatClient client = new ScriptedChatClient().reply("x")) {
            ChatStream stream = client.stream(request);
            stream.close();
            assertThat(stream.iterator().hasNext()).isFalse();
        }
    }

    /** A client that streams {@code n} one-character chunks on the caller's thread, then the reply. */
    private static ChatClient streamingChunks(int n) {
        return new ChatClient() {
            @Override
            public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
                throw new UnsupportedOperationException("streams only");
            }

            @Override
            public CompletableFuture<ChatResponse> streamAsync(
                    ChatRequest request, java.util.function.Consumer<? super ChatChunk> onChunk) {
                for (int i = 0; i < n; i++) {
                    onChunk.accept(ChatChunk.ofContent("x"));
                }
                return CompletableFuture.completedFuture(
                        ChatResponse.builder().model("m").content("x".repeat(n)).build());
            }

            @Override
            public String backend() {
                return "chunks";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // the old bound held the handler forever at the 257th chunk
    void aStreamWhoseChunksAreNotReadStillEndsAndKeepsThemForALateIterator() throws Exception {
        int chunks = 3 * io.github.llmbridge.core.internal.QueuedChatStream.CAPACITY;
        try (ChatStream stream = streamingChunks(chunks).stream(request)) {
            // Nobody iterates: the handler must not wait for a reader at the buffer's bound.
            assertThat(stream.response().get(5, TimeUnit.SECONDS).content()).hasSize(chunks);

            List<ChatChunk> late = new ArrayList<>();
            stream.forEach(late::add);
            assertThat(late).hasSize(chunks);
        }
    }
}
