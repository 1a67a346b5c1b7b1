package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.settings.CoreVariables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The attempts of one streamed call through a {@link ResilientChatClient}: {@link ResilientCall}
 * runs them as it runs any attempt (permit, retry, deadline, fallback), and this class makes each
 * one a stream watched by the {@link StreamPolicy}'s two timers, set on the client's
 * {@link Scheduler}. An attempt's future completes when its stream ends, so the concurrency
 * permit is held for the stream's life, and cancelling it (the deadline, the caller, the stream's
 * {@code close()}) cancels the stream beneath.
 *
 * <p>Chunks without output (a first chunk with only the role) are held back until output begins,
 * so an attempt that fails before its first output leaves no trace with the caller and is
 * retried like any attempt. Once output began, a failure is not retried (the error says why, and
 * carries the text so far as its partial content) unless the policy restarts it; the restarted
 * attempt's first chunk then says {@link ChatChunk#restart()}.
 */
final class StreamAttempts implements Function<ChatRequest, CompletableFuture<ChatResponse>> {

    /** Chunks without output held back at most; past that, output is taken to have begun. */
    private static final int MAX_HELD = 16;

    private final ResilientChatClient client;
    private final StreamPolicy policy;
    private final Consumer<? super ChatChunk> onChunk; // null: an ordinary call under stall protection
    private volatile boolean outputDelivered;

    StreamAttempts(ResilientChatClient client, Consumer<? super ChatChunk> onChunk) {
        this.client = client;
        this.policy = client.streamPolicy;
        this.onChunk = onChunk;
    }

    @Override
    public CompletableFuture<ChatResponse> apply(ChatRequest attemptRequest) {
        return new Attempt(attemptRequest).start();
    }

    private final class Attempt {
        private final ChatRequest request;
        private final AbandonableFuture<ChatResponse> result = new AbandonableFuture<>(this::abandoned);
        private final List<ChatChunk> held = new ArrayList<>(2);
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<ChatResponse> inner;
        // Guarded by this.
        private ScheduledFuture<?> timer;
        private boolean started;
        private boolean inHandler;
        private long lastChunkNanos;
        private boolean forwardedAny;
        private int chunks;

        Attempt(ChatRequest request) {
            this.request = request;
        }

        // whenComplete is a listener here: innerDone settles result, which ResilientCall waits on.
        @SuppressWarnings("FutureReturnValueIgnored")
        CompletableFuture<ChatResponse> start() {
            arm(policy.firstTokenTimeout());
            CompletableFuture<ChatResponse> stream;
            try {
                stream = client.delegate.streamAsync(request, this::onChunk);
                if (stream == null) {
                    throw new IllegalStateException(client.delegate + " returned no future for the stream");
                }
            } catch (LlmException e) {
                stream = CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                stream = CompletableFuture.failedFuture(
                        LlmException.builder(ErrorCategory.INVALID_RESPONSE, client.backend() + " backend threw " + e)
                                .backend(client.backend())
                                .model(request.model())
                                .retryable(false)
                                .cause(e)
                                .build());
            }
            inner = stream;
            if (result.isDone()) {
                stream.cancel(true); // abandoned while the stream was being started
            }
            stream.whenComplete(this::innerDone);
            return result;
        }

        /** Runs on the thread that reads the stream; what it throws ends the stream beneath. */
        private void onChunk(ChatChunk chunk) {
            if (result.isDone()) {
                throw LlmException.builder(ErrorCategory.CANCELLED, "the attempt already ended")
                        .retryable(false)
                        .build();
            }
            List<ChatChunk> toForward;
            boolean first;
            synchronized (this) {
                chunks++;
                boolean output = chunk.hasOutput()
                        || chunk.finishReason().isPresent()
                        || chunk.usage().isPresent();
                if (!started && !output && held.size() < MAX_HELD) {
                    held.add(chunk); // the first-output timer keeps running
                    return;
                }
                first = !started;
                if (first) {
                    cancelTimer(); // the first-output timer is done; the idle timer starts below
                    started = true;
                    toForward = new ArrayList<>(held.size() + 1);
                    toForward.addAll(held);
                    toForward.add(chunk);
                    held.clear();
                } else {
                    toForward = List.of(chunk);
                }
                inHandler = true;
            }
            try {
                forward(toForward);
            } finally {
                synchronized (this) {
                    inHandler = false;
                    // The caller's handler time does not count as idle: the gap starts when it returned.
                    lastChunkNanos = client.scheduler.nanoTime();
                    if (first && !result.isDone()) {
                        arm(policy.idleTimeout());
                    }
                }
            }
        }

        private void forward(List<ChatChunk> list) {
            for (ChatChunk c : list) {
                synchronized (this) {
                    partial.append(c.content());
                }
                if (onChunk == null) {
                    continue;
                }
                ChatChunk out = c;
                if (!forwardedAny) {
                    forwardedAny = true;
                    if (outputDelivered) {
                        out = c.asRestart(); // an earlier attempt's output reached the caller: start over
                    }
                }
                ChatChunks.deliver(onChunk, out);
                if (c.hasOutput()) {
                    outputDelivered = true;
                }
            }
        }

        private void innerDone(ChatResponse reply, Throwable failure) {
            boolean begun;
            List<ChatChunk> leftOver;
            synchronized (this) {
                cancelTimer();
                begun = started;
                leftOver = new ArrayList<>(held);
                held.clear();
            }
            if (failure == null) {
                try {
                    forward(leftOver); // a reply without output (empty text) still reaches the caller
                } catch (LlmException e) {
                    result.settleExceptionally(e);
                    return;
                }
                result.settle(reply);
                return;
            }
            LlmException error = LlmException.from(failure);
            if (begun && error.isRetryable() && !policy.restartAfterOutput()) {
                error = error.toBuilder()
                        .message(error.getMessage() + " (the stream's output had begun: not retried, which would"
                                + " bill it again; " + CoreVariables.LLM_STREAM_RESTART.name()
                                + "=true restarts it)")
                        .retryable(false)
                        .build();
            }
            result.settleExceptionally(withPartial(error));
        }

        private LlmException withPartial(LlmException error) {
            String text = partialText();
            return text.isEmpty() || error.partialContent().isPresent()
                    ? error
                    : error.toBuilder().partialContent(text).build();
        }

        private synchronized String partialText() {
            return partial.toString();
        }

        /**
         * The timer fired. Once output began, one idle timer runs for the whole stream and chunks
         * only note their time (re-arming a timer per chunk would cost more than reading the
         * chunk): when it fires it looks at the last chunk and, if the stream was not quiet for
         * the whole limit, sets itself again for the rest of it.
         */
        private void stalled() {
            boolean begun;
            int seen;
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                begun = started;
                seen = chunks;
                if (begun) {
                    long quiet = client.scheduler.nanoTime() - lastChunkNanos;
                    long limit = policy.idleTimeout().toNanos();
                    if (inHandler) {
                        arm(policy.idleTimeout()); // the caller is still busy with the last chunk
                        return;
                    }
                    if (quiet < limit) {
                        arm(Duration.ofNanos(limit - quiet));
                        return;
                    }
                }
            }
            String message = begun
                    ? client.backend() + " stream for " + request.model() + " stalled: no chunk for "
                            + seconds(policy.idleTimeout()) + " after " + seen + " chunk(s) (the idle limit, "
                            + CoreVariables.LLM_STREAM_IDLE_TIMEOUT_SECONDS.name()
                            + "; keep-alive comments do not count)"
                    : client.backend() + " stream for " + request.model() + " sent no output within "
                            + seconds(policy.firstTokenTimeout()) + " (the first-output limit, "
                            + CoreVariables.LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS.name() + ")";
            if (begun && !policy.restartAfterOutput()) {
                message += "; not retried, the output had begun";
            }
            LlmException stall = LlmException.builder(ErrorCategory.TIMEOUT, message)
                    .backend(client.backend())
                    .model(request.model())
                    .retryable(!begun || policy.restartAfterOutput())
                    .attemptCount(1)
                    .build();
            result.completeExceptionally(withPartial(stall)); // runs abandoned(): cancels the stream
        }

        private void abandoned() {
            synchronized (this) {
                cancelTimer();
            }
            CompletableFuture<ChatResponse> stream = inner;
            if (stream != null) {
                stream.cancel(true);
            }
        }

        /** Arms the stall timer; caller holds the lock or is the only thread that knows this attempt. */
        private void arm(Duration limit) {
            synchronized (this) {
                cancelTimer();
                timer = client.scheduler.schedule(this::stalled, limit.toNanos());
            }
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
