package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client whose calls stay pending until the test completes them, so a test decides when each
 * round's reply arrives (and can see whether the loop cancelled it).
 */
final class ManualChatClient implements ChatClient {

    /** One call: its request and the future the loop holds. */
    record Pending(ChatRequest request, CompletableFuture<ChatResponse> reply) {}

    private final List<Pending> calls = new ArrayList<>();
    private final BlockingQueue<Pending> arrivals = new LinkedBlockingQueue<>();

    @Override
    public synchronized CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Pending p = new Pending(request, new CompletableFuture<>());
        calls.add(p);
        arrivals.add(p);
        return p.reply();
    }

    /** Waits (at most 10 s) for the next call to arrive. */
    Pending next() throws InterruptedException {
        Pending p = arrivals.poll(10, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("no call arrived within 10 s");
        }
        return p;
    }

    synchronized List<Pending> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String backend() {
        return "manual";
    }

    @Override
    public void close() {}
}
