package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Backends that answer (or fail, or throw) on the calling thread, several clients in one JVM,
 * and callers that give up while queued: the paths an HTTP backend rarely takes. Each test was
 * written against a defect a review found; each failed before its fix.
 */
class EdgeCasesTest {

    /** A backend whose reply is decided on the calling thread. */
    private static final class Inline implements ChatClient {
        private final Function<ChatRequest, CompletableFuture<ChatResponse>> answer;

        Inline(Function<ChatRequest, CompletableFuture<ChatResponse>> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return answer.apply(request);
        }

        @Override
        public String backend() {
            return "inline";
        }

        @Override
        public void close() {}
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().model("a/m").user(text).build();
    }

    private static String lastUser(ChatRequest r) {
        return r.messages().get(r.messages().size() - 1).content();
    }

    private static final Backoff NO_WAIT = new Backoff(Duration.ZERO, 1, Duration.ZERO);

    @Test
    void continuationsNeverRunOnTheSharedTimerThreadEvenWhenARetryAnswersAtOnce() throws Exception {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(
                        r -> seen.putIfAbsent(lastUser(r), true) == null
                                ? CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.SERVER_ERROR, "503")
                                        .httpStatus(503)
                                        .build())
                                : CompletableFuture.completedFuture(
                                        ChatResponse.builder().content("ok").build())))
                .maxConcurrentCalls(64)
                .backoff(NO_WAIT)
                .retryBudget(RetryBudget.UNLIMITED) // every call fails once: the retries are the point here
                .build();
        Map<String, LongAdder> threads = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            all.add(client.chatAsync(ask("q" + i))
                    .whenComplete((r, t) -> threads.computeIfAbsent(
                                    Thread.currentThread().getName().replaceAll("-?\\d+$", ""), k -> new LongAdder())
                            .increment()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(threads).doesNotContainKey("llm-bridge-timer");
        assertThat(client.stats().retries()).isEqualTo(5000);
    }

    @Test
    void aCallerBlockingInAContinuationDoesNotStallOtherDeadlines() throws Exception {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(
                        r -> seen.putIfAbsent(lastUser(r), true) == null
                                ? CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.SERVER_ERROR, "503")
                                        .httpStatus(503)
                                        .build())
                                : CompletableFuture.completedFuture(
                                        ChatResponse.builder().content("ok").build())))
                .maxConcurrentCalls(64)
                .backoff(NO_WAIT)
                .retryBudget(RetryBudget.UNLIMITED) // every call fails once: the retries are the point here
                .deadline(Duration.ofSeconds(2))
                .build();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int k = i;
            all.add(client.chatAsync(ask("q" + k)).thenApply(r -> client.chat(ask("follow-up " + k))));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(all).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    @Test
    // the holder call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void manyQueuedCallsFailingAtOnceKeepTheStackFlatAndLeakNoPermit() throws Exception {
        CompletableFuture<ChatResponse> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(r -> {
                    if (calls.getAndIncrement() == 0) {
                        return first;
                    }
                    maxDepth.accumulateAndGet(StackWalker.getInstance().walk(s -> (int) s.count()), Math::max);
                    return CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.BAD_REQUEST, "bad")
                            .build());
                }))
                .maxConcurrentCalls(1)
                .maxAttempts(1)
                .build();
        ChatRequest req = ask("q").toBuilder().timeout(Duration.ofSeconds(5)).build();
        client.chatAsync(req); // holds the only permit
        List<CompletableFuture<?>> all = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // "keep N in flight": each finished call starts the next one from its continuation
            all.add(client.chatAsync(req).handle((r, t) -> all.add(client.chatAsync(req))));
        }
        Thread releaser = new Thread(
                null, () -> first.complete(ChatResponse.builder().content("ok").build()), "releaser", 1 << 20);
        releaser.start();
        releaser.join();

        for (CompletableFuture<?> f : all) {
            f.handle((r, t) -> null).get(10, TimeUnit.SECONDS); // each call fails (bad request) or succeeds
        }
        assertThat(maxDepth.get()).as("stack depth").isLessThan(300);
        assertThat(client.stats().inFlight()).isZero();
        assertThat(client.stats().waitingForPermit()).isZero();
    }

    @Test
    // the held calls only occupy permits and the continuation only releases one; the queued call is what is checked.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aReleaseOfOneClientInsideAnotherClientsGrantIsNotLost() throws Exception {
        CompletableFuture<ChatResponse> policyHeld = new CompletableFuture<>();
        CompletableFuture<ChatResponse> judgeHeld = new CompletableFuture<>();
        Function<CompletableFuture<ChatResponse>, Inline> backend =
                held -> new Inline(r -> lastUser(r).equals("hold")
                        ? held
                        : CompletableFuture.completedFuture(
                                ChatResponse.builder().content(lastUser(r)).build()));
        ResilientChatClient policy = ResilientChatClient.builder(backend.apply(policyHeld))
                .maxConcurrentCalls(1)
                .build();
        ResilientChatClient judge = ResilientChatClient.builder(backend.apply(judgeHeld))
                .maxConcurrentCalls(1)
                .build();
        judge.chatAsync(ask("hold"));
        CompletableFuture<ChatResponse> queuedJudgeCall = judge.chatAsync(ask("judge-2"));
        policy.chatAsync(ask("hold"));
        policy.chatAsync(ask("policy-2"))
                .thenRun(() -> judgeHeld.complete(
                        ChatResponse.builder().content("done").build()));

        policyHeld.complete(ChatResponse.builder().content("done").build());

        assertThat(queuedJudgeCall.get(2, TimeUnit.SECONDS).content()).isEqualTo("judge-2");
    }

    @Test
    void anErrorThrownByTheBackendFailsTheCallAndReturnsThePermit() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(r -> {
                    if (n.getAndIncrement() < 2) {
                        throw new ExceptionInInitializerError("provider class failed to initialise");
                    }
                    return n.get() == 3
                            ? null
                            : CompletableFuture.completedFuture(
                                    ChatResponse.builder().content("ok").build());
                }))
                .maxConcurrentCalls(2)
                .build();
        ChatRequest req = ask("q").toBuilder().timeout(Duration.ofSeconds(5)).build();

        LlmException first =
                LlmException.from(client.chatAsync(req).handle((r, t) -> t).get(2, TimeUnit.SECONDS));
        client.chatAsync(req).handle((r, t) -> t).get(2, TimeUnit.SECONDS);
        LlmException nullFuture =
                LlmException.from(client.chatAsync(req).handle((r, t) -> t).get(2, TimeUnit.SECONDS));

        assertThat(first.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(first.getMessage()).contains("ExceptionInInitializerError", "provider class failed to initialise");
        assertThat(first.attemptCount()).isEqualTo(1);
        assertThat(nullFuture.getMessage()).contains("returned no future");
        assertThat(client.chat(req).content()).isEqualTo("ok");
        assertThat(client.stats().inFlight()).isZero();
    }

    @Test
    // the holder call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aQueuedCallsOwnContinuationNoLongerCountsItAsWaiting() throws Exception {
        CompletableFuture<ChatResponse> first = new CompletableFuture<>();
        AtomicInteger n = new AtomicInteger();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(r -> n.getAndIncrement() == 0
                        ? first
                        : CompletableFuture.completedFuture(
                                ChatResponse.builder().content("ok").build())))
                .maxConcurrentCalls(1)
                .build();
        client.chatAsync(ask("holder"));
        CompletableFuture<ResilienceStats> seen =
                client.chatAsync(ask("queued")).thenApply(r -> client.stats());

        first.complete(ChatResponse.builder().content("ok").build());

        assertThat(seen.get(2, TimeUnit.SECONDS).waitingForPermit()).isZero();
    }

    @Test
    // the holder call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aCallerGivingUpWhileQueuedLeavesTheQueueAndNothingLeaks() throws Exception {
        CompletableFuture<ChatResponse> first = new CompletableFuture<>();
        AtomicInteger n = new AtomicInteger();
        ResilientChatClient client = ResilientChatClient.builder(new Inline(r -> n.getAndIncrement() == 0
                        ? first
                        : CompletableFuture.completedFuture(
                                ChatResponse.builder().content(lastUser(r)).build())))
                .maxConcurrentCalls(1)
                .build();
        client.chatAsync(ask("holder"));
        CompletableFuture<ChatResponse> cancelled = client.chatAsync(ask("cancelled"));
        CompletableFuture<ChatResponse> timedOut = client.chatAsync(ask("timed-out"));
        CompletableFuture<ChatResponse> kept = client.chatAsync(ask("kept"));
        assertThat(client.stats().waitingForPermit()).isEqualTo(3);

        // The caller's own time limit, armed only now: armed at the call, it raced the count above.
        timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
        cancelled.cancel(true);
        assertThat(timedOut.handle((r, t) -> t).get(2, TimeUnit.SECONDS)).isNotNull();
        assertThat(client.stats().waitingForPermit()).isEqualTo(1);
        first.complete(ChatResponse.builder().content("holder").build());

        assertThat(kept.get(2, TimeUnit.SECONDS).content()).isEqualTo("kept");
        assertThat(n.get()).as("the abandoned calls never reached the backend").isEqualTo(2);
        assertThat(client.stats().inFlight()).isZero();
        assertThat(client.stats().waitingForPermit()).isZero();
    }

    @Test
    // the holder call only occupies the permit; its outcome is not under test.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aCallRefusedByAFullQueueTriesNoFallback() {
        ScriptedChatClient slow = new ScriptedChatClient()
                .after(Duration.ofMillis(300))
                .reply("ok")
                .otherwise(r -> "never");
        ResilientChatClient client = ResilientChatClient.builder(slow)
                .maxConcurrentCalls(1)
                .maxWaitingCalls(0)
                .build();
        client.chatAsync(ask("holder"));

        LlmException e = LlmException.from(client.chatAsync(
                        ask("refused").toBuilder().fallbackModels("b/other").build())
                .handle((r, t) -> t)
                .join());

        assertThat(e.getMessage()).contains("bulkhead queue full");
        assertThat(e.model()).isEqualTo("a/m");
        assertThat(client.stats().fallbacks()).isZero();
        assertThat(slow.requests()).hasSize(1);
    }

    @Test
    void aRetryAfterTooLongForTheDeadlineStillLetsTheFallbackAnswer() {
        ScriptedChatClient backend = new ScriptedChatClient()
                .fail(LlmException.builder(ErrorCategory.RATE_LIMITED, "slow down")
                        .httpStatus(429)
                        .retryAfter(Duration.ofSeconds(30))
                        .build())
                .reply("from the fallback");
        ResilientChatClient client = ResilientChatClient.builder(backend)
                .deadline(Duration.ofSeconds(10))
                .build();

        ChatResponse r =
                client.chat(ask("q").toBuilder().fallbackModels("b/other").build());

        assertThat(r.content()).isEqualTo("from the fallback");
        assertThat(backend.requests()).extracting(ChatRequest::model).containsExactly("a/m", "b/other");
    }
}
