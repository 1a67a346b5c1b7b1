package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.ChunkAssembler;
import io.github.llmbridge.core.internal.SharedScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays one {@link ScriptedStream}: each step on the calling thread when it has no delay, else
 * on a library thread once its delay passed; the future completes with the assembled reply, fails
 * with the scripted failure (the text so far as its partial content), or stays pending on a
 * stall. Cancelling the future stops the playing.
 */
final class StreamPlayer {

    private final List<ScriptedStream.Event> events;
    private final ChatRequest request;
    private final Consumer<? super ChatChunk> onChunk;
    private final String backend;
    private final Duration firstDelay;
    private final ChunkAssembler assembler = new ChunkAssembler();
    private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    private final long started = System.nanoTime();

    StreamPlayer(
            ScriptedStream stream,
            ChatRequest request,
            Consumer<? super ChatChunk> onChunk,
            String backend,
            Duration firstDelay) {
        this.events = stream.events();
        this.request = request;
        this.onChunk = onChunk;
        this.backend = backend;
        this.firstDelay = firstDelay;
    }

    CompletableFuture<ChatResponse> start() {
        later(firstDelay, () -> play(0));
        return result;
    }

    // the timer task settles result on every path; nothing waits on the task itself.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void later(Duration delay, Runnable step) {
        if (delay.isZero()) {
            step.run();
        } else {
            SharedScheduler.runLater(step, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void play(int from) {
        for (int i = from; i < events.size(); i++) {
            if (result.isDone()) {
                return; // cancelled
            }
            ScriptedStream.Event e = events.get(i);
            if (!e.delay().isZero()) {
                int next = i;
                later(e.delay(), () -> playOne(next));
                return;
            }
            if (!apply(e)) {
                return;
            }
        }
        finish();
    }

    private void playOne(int index) {
        if (result.isDone()) {
            return;
        }
        if (apply(events.get(index))) {
            play(index + 1);
        }
    }

    /** Applies one step; returns whether to go on. */
    private boolean apply(ScriptedStream.Event e) {
        if (e.stall()) {
            return false;
        }
        if (e.failure() != null) {
            String partial = assembler.partialContent();
            LlmException f = e.failure();
            result.completeExceptionally(
                    partial.isEmpty() || f.partialContent().isPresent()
                            ? f
                            : f.toBuilder().partialContent(partial).build());
            return false;
        }
        assembler.add(e.chunk());
        try {
            ChatChunks.deliver(onChunk, e.chunk());
        } catch (LlmException failure) {
            result.completeExceptionally(failure);
            return false;
        }
        return true;
    }

    private void finish() {
        result.complete(assembler.response(backend, request.model(), Duration.ofNanos(System.nanoTime() - started)));
    }
}
