package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The default {@link ChatClient#chat} contract: the LlmException itself, never a wrapper. */
class ChatClientContractTest {

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("m").user("hi").build();

    @Test
    void chatThrowsTheLlmExceptionItselfNotACompletionException() {
        LlmException failure = new LlmException(ErrorCategory.RATE_LIMITED, "slow down");
        ChatClient client = clientReturning(r -> CompletableFuture.supplyAsync(() -> {
            throw failure;
        }));
        assertThatThrownBy(() -> client.chat(REQUEST)).isSameAs(failure);
    }

    @Test
    void chatWrapsUnexpectedFailuresInAnLlmException() {
        ChatClient client = clientReturning(r -> CompletableFuture.failedFuture(new IllegalStateException("bug")));
        assertThatThrownBy(() -> client.chat(REQUEST))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.getCause()).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void chatOnACancelledCallThrowsCancelled() {
        CompletableFuture<ChatResponse> never = new CompletableFuture<>();
        never.cancel(true);
        ChatClient client = clientReturning(r -> never);
        assertThatThrownBy(() -> client.chat(REQUEST))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED));
    }

    @Test
    void interruptingAWaitingCallerCancelsTheCallAndKeepsTheInterruptFlag() throws Exception {
        CompletableFuture<ChatResponse> pending = new CompletableFuture<>();
        ChatClient client = clientReturning(r -> pending);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                client.chat(REQUEST);
            } catch (Throwable t) {
                thrown.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
            done.countDown();
        });
        caller.start();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (caller.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("caller waiting").isLessThan(giveUp);
            Thread.onSpinWait();
        }
        caller.interrupt();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get())
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED));
        assertThat(flagKept.get()).isTrue();
        assertThat(pending).isCancelled();
    }

    @Test
    void llmExceptionToStringShowsCategoryStatusAndRetryability() {
        LlmException e = LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                .httpStatus(429)
                .providerCode("429")
                .backend("litellm")
                .model("gpt-4o")
                .build();
        assertThat(e.toString())
                .isEqualTo(
                        "LlmException[RATE_LIMITED, HTTP 429, code=429, backend=litellm, model=gpt-4o, retryable]: slow down");
        assertThat(e.toBuilder().retryable(false).build().isRetryable()).isFalse();
        assertThat(e.attemptCount())
                .as("nothing reached the wire unless a layer says so")
                .isZero();
    }

    @Test
    void fromUnwrapsCompletionAndExecutionExceptions() {
        LlmException e = new LlmException(ErrorCategory.TIMEOUT, "late");
        assertThat(LlmException.from(new java.util.concurrent.CompletionException(e)))
                .isSameAs(e);
        assertThat(LlmException.from(
                        new java.util.concurrent.ExecutionException(new java.util.concurrent.CompletionException(e))))
                .isSameAs(e);
        assertThat(LlmException.from(new java.util.concurrent.CancellationException())
                        .category())
                .isEqualTo(ErrorCategory.CANCELLED);
        LlmException wrapped = LlmException.from(new IllegalStateException("bug"));
        assertThat(wrapped.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(wrapped.isRetryable()).isFalse();
        assertThat(wrapped.getCause()).isInstanceOf(IllegalStateException.class);
    }

    private static ChatClient clientReturning(
            java.util.function.Function<ChatRequest, CompletableFuture<ChatResponse>> handler) {
        return new ChatClient() {
            @Override
            public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
                return handler.apply(request);
            }

            @Override
            public String backend() {
                return "fake";
            }

            @Override
            public void close() {}
        };
    }
}
