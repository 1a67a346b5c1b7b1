package io.github.llmbridge.core.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.core.internal.errors.CallContext;
import io.github.llmbridge.core.internal.errors.ErrorResponses;
import io.github.llmbridge.core.internal.errors.ResponseTooLargeException;
import io.github.llmbridge.core.internal.errors.TransportFailures;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed chat-completion exchange: sends, reads the server-sent events as they arrive on
 * the transport's pool thread, hands each one to the caller's handler as a {@link ChatChunk}, and
 * settles {@link #result} with the reply the events add up to ({@link StreamedCompletion}).
 *
 * <p><b>Memory.</b> The body is read through the JDK's {@code ofInputStream}, whose subscriber
 * asks the connection for one more buffer only when the previous one was read, and this thread
 * reads only after the handler returned. A slow handler (the blocking {@code ChatStream}'s queue
 * when full) therefore pauses the connection; nothing buffers without bound.
 *
 * <p><b>Endings.</b> {@code data: [DONE]} ends the stream; so does the end of the body after a
 * finish reason (some servers omit {@code [DONE]}). The body ending before either is a
 * {@link ErrorCategory#CONNECTION} failure, and an event carrying {@code error} (LiteLLM's last
 * event, OpenRouter's mid-stream error with finish reason {@code error}) is classified as the same
 * error in a non-streamed reply would be. Either way the text that arrived is kept as
 * {@link LlmException#partialContent()}. Cancelling the result (the caller, the stream's
 * {@code close()}, the time limit) interrupts the read and closes the connection.
 */
final class StreamExchange implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OpenAiHttpTransport.class);

    private final HttpClient http;
    private final HttpRequest request;
    private final CallContext ctx;
    private final Duration limit;
    private final long maxBytes;
    private final Consumer<? super ChatChunk> onChunk;
    private final AbandonableFuture<ChatResponse> result = new AbandonableFuture<>(this::stop);
    private volatile Future<?> task;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean onTheWire;
    /** The body being read, for {@link #stop} to close from the cancelling thread. */
    private volatile InputStream openBody;

    StreamExchange(
            HttpClient http,
            HttpRequest request,
            CallContext ctx,
            Duration limit,
            long maxBytes,
            Consumer<? super ChatChunk> onChunk) {
        this.http = http;
        this.request = request;
        this.ctx = ctx;
        this.limit = limit;
        this.maxBytes = maxBytes;
        this.onChunk = onChunk;
    }

    CompletableFuture<ChatResponse> result() {
        return result;
    }

    void startTimer() {
        timer = SharedScheduler.runLater(this::timeUp, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    void queued(Future<?> queuedTask) {
        task = queuedTask;
        if (result.isAbandoned()) {
            queuedTask.cancel(true);
        }
    }

    @Override
    public void run() {
        onTheWire = true;
        if (result.isDone()) {
            return;
        }
        long started = System.nanoTime();
        StreamedCompletion completion = new StreamedCompletion();
        Map<String, String> headers = Map.of();
        InputStream body = null;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            openBody = body;
            if (result.isDone()) {
                return; // abandoned while the head arrived: the finally closes the body
            }
            headers = HeadersOfInterest.select(response.headers(), ctx.secrets());
            int status = response.statusCode();
            if (status < 200 || status >= 300) {
                fail(ErrorResponses.fromHttpError(status, headers, readCapped(body), ctx));
                return;
            }
            String type =
                    response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("application/json")) {
                // The server answered without streaming (it ignored "stream": true): one whole reply.
                ChatResponse whole = ChatCompletionReader.read(
                        status, readCapped(body), headers, Duration.ofNanos(System.nanoTime() - started), ctx);
                ChatChunks.deliver(onChunk, ChatChunks.whole(whole));
                succeed(whole);
                return;
            }
            readEvents(new SseReader(body, maxBytes), completion, status, headers, started);
        } catch (LlmException e) {
            fail(withPartial(e, completion));
        } catch (ResponseTooLargeException e) {
            fail(withPartial(TransportFailures.fromIOException(e, ctx), completion));
        } catch (IOException e) {
            fail(withPartial(TransportFailures.fromIOException(e, ctx), completion));
        } catch (InterruptedException e) {
            fail(LlmException.builder(ErrorCategory.CANCELLED, "the call was cancelled")
                    .backend(ctx.backend())
                    .model(ctx.model())
                    .attemptCount(1)
                    .build());
        } catch (Throwable e) {
            fail(LlmException.builder(
                            ErrorCategory.INVALID_RESPONSE,
                            Secrets.scrub(
                                    "could not process the streamed reply from " + ctx.backend() + ": " + e,
                                    ctx.secrets()))
                    .cause(e)
                    .backend(ctx.backend())
                    .model(ctx.model())
                    .retryable(false)
                    .attemptCount(1)
                    .partialContent(completion.partialContent())
                    .build());
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            closeQuietly(body); // before the end: cancels the subscription, which closes the connection
        }
    }

    private void readEvents(
            SseReader events, StreamedCompletion completion, int status, Map<String, String> headers, long started)
            throws IOException {
        while (true) {
            SseReader.Event event = events.next();
            if (event == null) {
                if (completion.finished()) {
                    break; // no [DONE], but every choice said why it stopped: a complete reply
                }
                throw LlmException.builder(
                                ErrorCategory.CONNECTION,
                                ctx.backend() + " closed the stream" + forModel() + " after " + completion.events()
                                        + " event(s), without [DONE] and without a finish reason: the reply is"
                                        + " incomplete")
                        .backend(ctx.backend())
                        .model(ctx.model())
                        .httpStatus(status)
                        .headers(headers)
                        .attemptCount(1)
                        .build();
            }
            String data = event.data();
            if (data.equals("[DONE]")) {
                break;
            }
            if (data.isBlank()) {
                continue;
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw LlmException.builder(
                                ErrorCategory.INVALID_RESPONSE,
                                Secrets.scrub(
                                        ctx.backend() + " sent a stream event that is not JSON" + forModel() + ": "
                                                + (data.length() > 200 ? data.substring(0, 200) + "..." : data),
                                        ctx.secrets()))
                        .backend(ctx.backend())
                        .model(ctx.model())
                        .httpStatus(status)
                        .headers(headers)
                        .attemptCount(1)
                        .build();
            }
            if (json == null || !json.isObject()) {
                continue;
            }
            LlmException inEvent = ErrorResponses.fromSuccessBody(json, status, headers, ctx);
            if (inEvent != null) {
                completion.add(json); // the error event may still carry the last text
                throw inEvent;
            }
            ChatChunk chunk = completion.add(json);
            ChatChunks.deliver(onChunk, chunk);
        }
        ChatResponse reply = ChatCompletionReader.read(
                status,
                completion.completion(),
                new byte[0],
                headers,
                Duration.ofNanos(System.nanoTime() - started),
                ctx);
        if (log.isDebugEnabled()) {
            log.debug(
                    "{} streamed {} event(s), {} keep-alive comment(s), {} bytes in {} ms",
                    ctx.backend(),
                    completion.events(),
                    events.comments(),
                    events.bytesRead(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        succeed(reply);
    }

    private byte[] readCapped(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new ResponseTooLargeException(maxBytes);
        }
        return bytes;
    }

    private LlmException withPartial(LlmException e, StreamedCompletion completion) {
        String partial = completion.partialContent();
        if (partial == null || e.partialContent().isPresent()) {
            return e;
        }
        return e.toBuilder()
                .partialContent(Secrets.scrub(partial, ctx.secrets()))
                .build();
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
        result.completeExceptionally(LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        (onTheWire
                                        ? "the stream from " + ctx.backend() + " at " + ctx.hostAndPort()
                                                + " did not end"
                                        : "the stream never got one of the " + ctx.backend() + " connection slots")
                                + forModel() + " within " + Exchange.describe(limit) + " (the call's time limit)")
                .backend(ctx.backend())
                .model(ctx.model())
                .attemptCount(onTheWire ? 1 : 0)
                .build());
    }

    private void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        Future<?> queuedTask = task;
        if (queuedTask != null) {
            queuedTask.cancel(true);
        }
        closeQuietly(openBody); // cancels the body's subscription, which closes the connection, whatever the read does
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing the stream's body failed: {}", e.toString());
        }
    }

    private String forModel() {
        return ctx.model().isEmpty() ? "" : " for model '" + ctx.model() + "'";
    }
}
