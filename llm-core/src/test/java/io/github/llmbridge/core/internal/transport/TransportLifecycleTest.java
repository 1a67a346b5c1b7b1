package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TransportLifecycleTest {

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("m").user("hi").build();

    @Test
    void callsAfterCloseFailAsCancelledWithoutTouchingTheNetwork() {
        OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build();
        transport.close();
        CompletableFuture<ChatResponse> call =
                transport.sendChat(URI.create("http://127.0.0.1:9/v1/chat/completions"), Map.of(), REQUEST, body -> {});
        assertThat(call).isCompletedExceptionally();
        LlmException failure = LlmException.from(call.handle((r, e) -> e).join());
        assertThat(failure.category()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(failure.getMessage()).contains("closed");
        assertThat(failure.attemptCount()).isZero();
    }

    @Test
    void aBackendFieldThatCannotBeWrittenFailsAsBadRequestBeforeTheWire() {
        try (OpenAiHttpTransport transport =
                OpenAiHttpTransport.builder().backend("test").build()) {
            CompletableFuture<ChatResponse> call = transport.sendChat(
                    URI.create("http://127.0.0.1:9/v1/chat/completions"), Map.of(), REQUEST, body -> {
                        throw new IllegalArgumentException("metadata mode 'x' is unknown");
                    });
            LlmException failure = LlmException.from(call.handle((r, e) -> e).join());
            assertThat(failure.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
            assertThat(failure.getMessage()).contains("metadata mode 'x' is unknown");
            assertThat(failure.isRetryable()).isFalse();
            assertThat(failure.attemptCount()).isZero();
        }
    }

    @Test
    void builderRejectsNonsenseLimits() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OpenAiHttpTransport.builder().maxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConcurrency");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OpenAiHttpTransport.builder().maxResponseBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxResponseBytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OpenAiHttpTransport.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backend");
    }
}
