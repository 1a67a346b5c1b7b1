package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.internal.AttemptIds;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A backend that holds every attempt until the test answers it, so a test decides exactly how
 * many attempts are in flight and in which order they end: the limit tests count in rounds of
 * calls. Answers complete on the test's thread; everything they start (the next granted call)
 * runs there too, before the answer returns.
 */
final class HeldBackend implements ChatClient {

    /** An attempt waiting for its answer. */
    record Held(ChatRequest request, CompletableFuture<ChatResponse> reply) {
        String model() {
            return request.model();
        }
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final List<String> callIdsSeen = new ArrayList<>();

    /** Sends like a backend whose server logs a client's call id: it takes the id the resilience layer offers. */
    @Override
    public synchronized CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        callIdsSeen.add(AttemptIds.take());
        CompletableFuture<ChatResponse> reply = new CompletableFuture<>();
        held.addLast(new Held(request, reply));
        notifyAll();
        return reply;
    }

    /**
     * Waits until {@code n} attempts are in flight (a retry whose wait ended may start on another
     * thread), at most 10 s of real time.
     *
     * @throws AssertionError when they are not
     */
    synchronized void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(n + " attempts never were in flight; " + held.size() + " are");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Returns how many attempts are waiting for an answer. */
    synchronized int inFlight() {
        return held.size();
    }

    /** Returns how many attempts of this model are waiting for an answer. */
    synchronized long inFlight(String model) {
        return held.stream().filter(h -> h.model().equals(model)).count();
    }

    /** Answers the oldest attempt with a reply carrying these headers. */
    void succeedOldest(Map<String, String> headers) {
        next().reply()
                .complete(ChatResponse.builder()
                        .content("ok")
                        .headers(headers)
                        .usage(new Usage(10, 10, 20, 0, 0))
                        .latency(Duration.ZERO)
                        .build());
    }

    /** Answers the oldest attempt with a plain reply. */
    void succeedOldest() {
        succeedOldest(Map.of());
    }

    /** Answers the oldest {@code n} attempts with plain replies. */
    void succeed(int n) {
        for (int i = 0; i < n; i++) {
            succeedOldest();
        }
    }

    /** Fails the oldest attempt. */
    void failOldest(LlmException failure) {
        next().reply().completeExceptionally(failure);
    }

    /** Fails the oldest attempt of a model. */
    void failOldest(String model, LlmException failure) {
        Held h;
        synchronized (this) {
            h = held.stream()
                    .filter(x -> x.model().equals(model))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no attempt of " + model + " in flight"));
            held.remove(h);
        }
        h.reply().completeExceptionally(failure);
    }

    /** A 429 as error mapping reports it: a retryable rate limit that is an overload signal. */
    static LlmException rateLimited(Duration retryAfter) {
        return LlmException.builder(ErrorCategory.RATE_LIMITED, "429 Too Many Requests")
                .httpStatus(429)
                .retryAfter(retryAfter)
                .overloadSignal("429 rate limit")
                .build();
    }

    static LlmException rateLimited() {
        return rateLimited(null);
    }

    /** A failure that says nothing about load. */
    static LlmException serverError() {
        return LlmException.builder(ErrorCategory.SERVER_ERROR, "500 Internal Server Error")
                .httpStatus(500)
                .build();
    }

    private synchronized Held next() {
        Held h = held.pollFirst();
        if (h == null) {
            throw new AssertionError("no attempt in flight");
        }
        return h;
    }

    /** Returns the call ids the attempts were sent with, in order. */
    synchronized List<String> callIdsSeen() {
        return List.copyOf(callIdsSeen);
    }

    @Override
    public String backend() {
        return "held";
    }

    @Override
    public void close() {}
}
