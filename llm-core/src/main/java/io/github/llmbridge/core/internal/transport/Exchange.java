package io.github.llmbridge.core.internal.transport;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.core.internal.errors.BodyExcerpt;
import io.github.llmbridge.core.internal.errors.CallContext;
import io.github.llmbridge.core.internal.errors.ErrorResponses;
import io.github.llmbridge.core.internal.errors.TransportFailures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat-completion exchange: waits for a slot, sends, reads, and settles {@link #result}.
 *
 * <p>Whoever settles {@code result} first wins: the exchange with the reply or its failure, the
 * time limit, or the caller (cancel, {@code orTimeout}, {@code completeOnTimeout}). In the last two
 * cases the exchange is abandoned and its thread interrupted, which makes the JDK abort the HTTP
 * request and close the connection, before the caller's stages run. The time limit is completed
 * on a helper thread, never on the shared timer thread: the caller's dependent stages run on
 * whichever thread completes the future, and a blocking one must not stall every other call's
 * timer.
 */
final class Exchange implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OpenAiHttpTransport.class);
    /** How much of a body a DEBUG line shows. */
    private static final int LOGGED_BODY_CHARS = 2_000;

    private final HttpClient http;
    private final HttpRequest request;
    private final byte[] requestBody;
    private final HttpResponse.BodyHandler<byte[]> bodyHandler;
    private final CallContext ctx;
    private final Duration limit;
    private final int slots;
    private final AbandonableFuture<ChatResponse> result = new AbandonableFuture<>(this::stop);
    private volatile boolean onTheWire;
    private volatile Future<?> task;
    private volatile ScheduledFuture<?> timer;

    Exchange(
            HttpClient http,
            HttpRequest request,
            byte[] requestBody,
            HttpResponse.BodyHandler<byte[]> bodyHandler,
            CallContext ctx,
            Duration limit,
            int slots) {
        this.http = http;
        this.request = request;
        this.requestBody = requestBody;
        this.bodyHandler = bodyHandler;
        this.ctx = ctx;
        this.limit = limit;
        this.slots = slots;
    }

    CompletableFuture<ChatResponse> result() {
        return result;
    }

    /** Starts the time limit; call before the task is queued, so a stuck queue still times out. */
    void startTimer() {
        timer = SharedScheduler.runLater(this::timeUp, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records the queued task, and cancels it at once if the call was abandoned meanwhile. */
    void queued(Future<?> queuedTask) {
        task = queuedTask;
        if (result.isAbandoned()) {
            queuedTask.cancel(true);
        }
    }

    @Override
    public void run() {
        onTheWire = true; // before the check: a time limit passing now must not claim "never sent"
        if (result.isDone()) {
            return; // timed out or cancelled while queued: never reaches the wire
        }
        long started = System.nanoTime();
        try {
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} POST {} model={} body: {}",
                        ctx.backend(),
                        Secrets.displayUrl(ctx.uri().toString()),
                        ctx.model(),
                        BodyExcerpt.of(requestBody, ctx, LOGGED_BODY_CHARS));
            }
            HttpResponse<byte[]> response = http.send(request, bodyHandler);
            Map<String, String> headers = HeadersOfInterest.select(response.headers(), ctx.secrets());
            int status = response.statusCode();
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} answered HTTP {} in {} ms, body: {}",
                        ctx.backend(),
                        status,
                        (System.nanoTime() - started) / 1_000_000,
                        BodyExcerpt.of(response.body(), ctx, LOGGED_BODY_CHARS));
            }
            if (status >= 200 && status < 300) {
                Duration latency = Duration.ofNanos(System.nanoTime() - started);
                succeed(ChatCompletionReader.read(status, response.body(), headers, latency, ctx));
            } else {
                fail(ErrorResponses.fromHttpError(status, headers, response.body(), ctx));
            }
        } catch (LlmException e) {
            fail(e);
        } catch (IOException e) {
            fail(TransportFailures.fromIOException(e, ctx));
        } catch (InterruptedException e) {
            // Only an abandoned call is interrupted, and whoever abandoned it has settled the result.
            fail(LlmException.builder(ErrorCategory.CANCELLED, "the call was cancelled")
                    .backend(ctx.backend())
                    .model(ctx.model())
                    .attemptCount(1)
                    .build());
        } catch (Throwable e) { // an Error must not leave the caller waiting for the time limit
            fail(LlmException.builder(
                            ErrorCategory.INVALID_RESPONSE,
                            Secrets.scrub(
                                    "could not process the reply from " + ctx.backend() + ": " + e, ctx.secrets()))
                    .cause(e)
                    .backend(ctx.backend())
                    .model(ctx.model())
                    .retryable(false)
                    .attemptCount(1)
                    .build());
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    private void succeed(ChatResponse reply) {
        timer.cancel(false);
        result.settle(reply);
    }

    private void fail(LlmException failure) {
        timer.cancel(false);
        result.settleExceptionally(failure);
    }

    private void timeUp() {
        result.completeExceptionally(onTheWire ? noReplyInTime() : noSlotInTime());
    }

    /**
     * Someone other than this exchange settled the call (caller or time limit): stop the timer
     * and interrupt send(), which aborts the HTTP exchange and frees the slot. Runs before the
     * caller's stages do (see {@link AbandonableFuture}).
     */
    private void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        Future<?> queuedTask = task;
        if (queuedTask != null) {
            queuedTask.cancel(true);
        }
    }

    private LlmException noReplyInTime() {
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        "no reply from " + ctx.backend() + " at " + ctx.hostAndPort() + forModel() + " within "
                                + describe(limit) + " (the call's time limit)")
                .backend(ctx.backend())
                .model(ctx.model())
                .attemptCount(1)
                .build();
    }

    private LlmException noSlotInTime() {
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        "waited " + describe(limit) + " for one of the "
                                + slots + " " + ctx.backend() + " connection slots" + forModel()
                                + "; the call never reached the server (raise the concurrency or the time limit)")
                .backend(ctx.backend())
                .model(ctx.model())
                .attemptCount(0)
                .build();
    }

    private String forModel() {
        return ctx.model().isEmpty() ? "" : " for model '" + ctx.model() + "'";
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
