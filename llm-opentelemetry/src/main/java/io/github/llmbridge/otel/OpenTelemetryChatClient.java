package io.github.llmbridge.otel;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.LibraryVersion;
import io.github.llmbridge.core.internal.RequestHeaders;
import io.github.llmbridge.core.judge.Evaluation;
import io.github.llmbridge.core.judge.EvaluationListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Observes every call of a client with OpenTelemetry, in the terms of the GenAI semantic
 * conventions ({@link GenAi} lists the names and the version):
 * <ul>
 *   <li>a {@code CLIENT} span {@code chat {model}} per logical call, child of the context current
 *       on the calling thread, with the request's parameters, the reply's id, model, finish
 *       reasons and usage, {@code error.type} on failure, {@code server.address}/{@code port}, and
 *       the current {@link LlmSession}'s uid as {@code gen_ai.conversation.id};</li>
 *   <li>under it, a child span per HTTP attempt (retries and fallback models), with its model,
 *       HTTP status, {@code error.type} and the wait that followed it;</li>
 *   <li>W3C trace context ({@code traceparent}) on the HTTP request, through the configured
 *       propagators, so a LiteLLM proxy or gateway that traces joins the same trace;</li>
 *   <li>the metrics {@code gen_ai.client.operation.duration} and {@code gen_ai.client.token.usage}
 *       with the advised buckets, and the library's own ({@code llm_bridge.client.calls},
 *       {@code .retries}, {@code .fallbacks}, {@code .retries_refused}, {@code .concurrency.limit}, {@code .in_flight},
 *       {@code .queue.length}, {@code llm_bridge.trace.*}, {@code llm_bridge.budget.*});</li>
 *   <li>for a streamed call ({@link #streamAsync}, {@link #stream}), the same, with the chunks
 *       passed on one by one as they arrive, plus {@code gen_ai.request.stream},
 *       {@code gen_ai.response.time_to_first_chunk}, {@code llm_bridge.stream.chunks} and the
 *       histograms {@code gen_ai.client.operation.time_to_first_chunk} and
 *       {@code .time_per_output_chunk};</li>
 *   <li>a {@code gen_ai.evaluation.result} event for every judge verdict reported through this
 *       client ({@link io.github.llmbridge.core.judge.LabelScores},
 *       {@link io.github.llmbridge.core.judge.Evaluations#report}).</li>
 * </ul>
 * Message content is recorded only when asked ({@link Builder#captureContent}); keys never are
 * (headers are not recorded). It depends on the OpenTelemetry API only: bring the SDK and an
 * exporter, or nothing is exported.
 *
 * <pre>{@code
 * OpenTelemetry otel = ...;   // your SDK, e.g. OpenTelemetrySdk.builder()...build()
 * ChatClient judge = OpenTelemetryChatClient.wrap(ChatClients.fromEnv(), otel);
 * }</pre>
 *
 * <p>{@code ChatClients.fromEnv()} adds this layer, outermost, when {@code LLM_OTEL=true}, using
 * {@link io.opentelemetry.api.GlobalOpenTelemetry}. Outermost, its span covers everything the
 * caller waits for: the attempts, the backoff waits, the wait for a permit and the trace queue.
 */
public final class OpenTelemetryChatClient implements ChatClient, EvaluationListener {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(OpenTelemetryChatClient.class);

    private final ChatClient delegate;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final Logger events;
    private final ClientMetrics metrics;
    private final boolean captureContent;
    private final boolean addSystem;
    private final Endpoint endpoint;
    private final String provider;

    private OpenTelemetryChatClient(Builder b) {
        this.delegate = b.delegate;
        this.otel = b.otel;
        this.captureContent = b.captureContent;
        this.addSystem = !b.latestConventionsOnly;
        this.provider = delegate.backend();
        this.endpoint = Endpoint.of(delegate);
        this.tracer = otel.tracerBuilder(GenAi.SCOPE)
                .setSchemaUrl(GenAi.SCHEMA_URL)
                .setInstrumentationVersion(LibraryVersion.VERSION)
                .build();
        this.events = otel.getLogsBridge()
                .loggerBuilder(GenAi.SCOPE)
                .setSchemaUrl(GenAi.SCHEMA_URL)
                .setInstrumentationVersion(LibraryVersion.VERSION)
                .build();
        this.metrics = new ClientMetrics(
                otel.meterBuilder(GenAi.SCOPE)
                        .setSchemaUrl(GenAi.SCHEMA_URL)
                        .setInstrumentationVersion(LibraryVersion.VERSION)
                        .build(),
                delegate,
                provider);
    }

    /** Starts a builder around a client (usually a {@code fromEnv()} client or a resilient backend). */
    public static Builder builder(ChatClient delegate) {
        return new Builder(delegate);
    }

    /** Wraps a client with the defaults: no message content, {@code gen_ai.system} added beside the provider name. */
    public static OpenTelemetryChatClient wrap(ChatClient delegate, OpenTelemetry otel) {
        return builder(delegate).openTelemetry(otel).build();
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return observe(request, null, delegate::chatAsync);
    }

    /**
     * Streams through the layer beneath, passing each chunk on as it arrives, under the same call
     * span, attempt spans and metrics as {@link #chatAsync}, plus what the conventions define for a
     * streamed call: {@code gen_ai.request.stream} and {@code gen_ai.response.time_to_first_chunk}
     * on the span, the histograms {@code gen_ai.client.operation.time_to_first_chunk} and
     * {@code gen_ai.client.operation.time_per_output_chunk}, and the library's
     * {@code llm_bridge.stream.chunks} (chunks passed to the caller).
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        ChunkTimes times = new ChunkTimes();
        return observe(
                request,
                times,
                sent -> delegate.streamAsync(sent, chunk -> {
                    times.arrived();
                    onChunk.accept(chunk);
                }));
    }

    /**
     * What a streamed call saw of its chunks: when the first arrived, how many, and the gap before
     * each later one (recorded as {@code time_per_output_chunk} as it arrives, before the caller's
     * handler runs, so the caller's own time is not counted as the server's).
     */
    private final class ChunkTimes {
        /** When the request went down (set by {@link #observe} just before it calls the layer beneath). */
        private volatile long start;

        private final AtomicLong firstChunkNanos = new AtomicLong(-1);
        private final AtomicLong lastChunkAt = new AtomicLong(-1);
        private final AtomicInteger chunks = new AtomicInteger();
        private volatile Attributes common = Attributes.empty();

        void arrived() {
            long now = System.nanoTime();
            chunks.incrementAndGet();
            firstChunkNanos.compareAndSet(-1, now - start);
            long previous = lastChunkAt.getAndSet(now);
            if (previous >= 0) {
                try {
                    metrics.chunkGap((now - previous) / 1e9, common);
                } catch (RuntimeException e) {
                    log.debug("could not record a chunk's time: {}", e.toString());
                }
            }
        }

        /** Seconds from the call's start to its first chunk, or -1 if none arrived. */
        double firstChunkSeconds() {
            long first = firstChunkNanos.get();
            return first < 0 ? -1 : first / 1e9;
        }
    }

    // whenComplete is a listener here: it ends the span and settles the downstream future on every path.
    @SuppressWarnings("FutureReturnValueIgnored")
    private CompletableFuture<ChatResponse> observe(
            ChatRequest request, ChunkTimes stream, Function<ChatRequest, CompletableFuture<ChatResponse>> call) {
        LlmSession session = LlmSession.current().orElse(null);
        AttributesBuilder common = CallAttributes.atStart(request, provider, addSystem, endpoint, null);
        AttributesBuilder spanAttributes = CallAttributes.atStart(request, provider, addSystem, endpoint, session);
        if (stream != null) {
            spanAttributes.put(GenAi.REQUEST_STREAM, true);
            stream.common = common.build();
        }
        Context parent = Context.current();
        Span span = tracer.spanBuilder(GenAi.CHAT + " " + request.model())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAllAttributes(spanAttributes.build())
                .startSpan();
        if (captureContent) {
            span.setAttribute(GenAi.INPUT_MESSAGES, MessageContent.input(request.messages()));
        }
        long start = System.nanoTime();
        if (stream != null) {
            stream.start = start;
        }
        Context context = parent.with(span);
        CompletableFuture<ChatResponse> upstream;
        try (Scope ignored = context.makeCurrent()) {
            upstream = call.apply(withTraceContext(request, context));
        } catch (RuntimeException e) {
            upstream = Futures.failed(LlmException.from(e));
        }
        CompletableFuture<ChatResponse> inner = upstream;
        AbandonableFuture<ChatResponse> downstream = new AbandonableFuture<>(() -> inner.cancel(true));
        inner.whenComplete((response, failure) -> {
            try {
                if (stream != null) {
                    finishStream(span, common, response, stream);
                }
                finish(span, common, response, failure, (System.nanoTime() - start) / 1e9);
            } catch (RuntimeException | Error e) {
                log.warn("could not record the OpenTelemetry span of a call to {}: {}", request.model(), e.toString());
            }
            if (failure != null) {
                downstream.settleExceptionally(failure);
            } else {
                downstream.settle(response);
            }
        });
        return downstream;
    }

    /** Sets and records what only a streamed call has, before {@link #finish} ends the span. */
    private void finishStream(Span span, AttributesBuilder common, ChatResponse response, ChunkTimes stream) {
        span.setAttribute(GenAi.STREAM_CHUNKS, stream.chunks.get());
        double first = stream.firstChunkSeconds();
        if (first >= 0) {
            span.setAttribute(GenAi.RESPONSE_TIME_TO_FIRST_CHUNK, first);
            metrics.firstChunk(first, common, response);
        }
    }

    private ChatRequest withTraceContext(ChatRequest request, Context context) {
        Map<String, String> carrier = new LinkedHashMap<>();
        otel.getPropagators().getTextMapPropagator().inject(context, carrier, Map::put);
        try {
            return RequestHeaders.with(request, carrier);
        } catch (IllegalArgumentException e) {
            log.debug("trace context not sent: {}", e.getMessage());
            return request;
        }
    }

    private void finish(Span span, AttributesBuilder common, ChatResponse response, Throwable failure, double secs) {
        LlmException error = CallAttributes.errorOf(response, failure);
        List<Attempt> attempts = response != null ? response.attempts() : error != null ? error.attempts() : List.of();
        for (int i = 0; i < attempts.size(); i++) {
            attemptSpan(span, attempts.get(i), i + 1);
        }
        if (!attempts.isEmpty()) {
            span.setAttribute(GenAi.ATTEMPTS, attempts.size());
        }
        if (response != null) {
            CallAttributes.reply(span, response);
            if (captureContent && !response.failed()) {
                span.setAttribute(GenAi.OUTPUT_MESSAGES, MessageContent.output(response));
            }
        }
        if (error != null) {
            span.setAttribute(GenAi.ERROR_TYPE, CallAttributes.errorType(error.category()));
            if (response != null) {
                span.setAttribute(GenAi.FAIL_OPEN, true);
            }
            span.setStatus(StatusCode.ERROR, error.category() + ": " + shorten(error.getMessage()));
        } else if (response == null) {
            span.setAttribute(GenAi.ERROR_TYPE, CallAttributes.errorType(ErrorCategory.INVALID_RESPONSE));
            span.setStatus(StatusCode.ERROR, "the client returned no reply");
        }
        metrics.record(common, response, error, secs);
        span.end();
    }

    private void attemptSpan(Span parent, Attempt attempt, int number) {
        Instant start = attempt.start();
        Span child = tracer.spanBuilder("attempt " + number + " " + attempt.model())
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.root().with(parent))
                .setStartTimestamp(start)
                .setAllAttributes(CallAttributes.ofAttempt(attempt, number))
                .startSpan();
        if (!attempt.succeeded()) {
            child.setStatus(StatusCode.ERROR, attempt.toString());
        }
        child.end(start.plus(attempt.duration()));
    }

    private static String shorten(String message) {
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /**
     * Emits a {@code gen_ai.evaluation.result} event (an OpenTelemetry log record with that event
     * name) in the current context, with the verdict's name, score, label, explanation and the
     * evaluated response's id, where set.
     */
    @Override
    public void evaluated(Evaluation evaluation) {
        LogRecordBuilder event = events.logRecordBuilder()
                .setEventName(GenAi.EVALUATION_RESULT)
                .setContext(Context.current())
                .setAttribute(GenAi.EVALUATION_NAME, evaluation.name());
        if (evaluation.hasScore()) {
            event.setAttribute(GenAi.EVALUATION_SCORE_VALUE, evaluation.score());
        }
        if (!evaluation.label().isEmpty()) {
            event.setAttribute(GenAi.EVALUATION_SCORE_LABEL, evaluation.label());
        }
        if (!evaluation.explanation().isEmpty()) {
            event.setAttribute(GenAi.EVALUATION_EXPLANATION, evaluation.explanation());
        }
        if (!evaluation.responseId().isEmpty()) {
            event.setAttribute(GenAi.RESPONSE_ID, evaluation.responseId());
        }
        event.emit();
    }

    /** Returns this client if it is of the given type, else asks the wrapped one. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : delegate.unwrap(type);
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    /** Unregisters the gauges and closes the wrapped client. */
    @Override
    public void close() {
        try {
            metrics.close();
        } finally {
            delegate.close();
        }
    }

    /** Shows the options and the wrapped client. */
    @Override
    public String toString() {
        return "OpenTelemetryChatClient[semconv " + GenAi.SEMCONV_VERSION + (captureContent ? ", content" : "")
                + (addSystem ? ", gen_ai.system" : "") + "] -> " + delegate;
    }

    /** Builds an {@link OpenTelemetryChatClient}. */
    public static final class Builder {
        private final ChatClient delegate;
        private OpenTelemetry otel = OpenTelemetry.noop();
        private boolean captureContent;
        private boolean latestConventionsOnly;

        private Builder(ChatClient delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Sets the OpenTelemetry instance (your SDK); default: a no-op one. */
        public Builder openTelemetry(OpenTelemetry otel) {
            this.otel = Objects.requireNonNull(otel, "otel");
            return this;
        }

        /**
         * Records the messages sent and received on each span ({@code gen_ai.input.messages},
         * {@code gen_ai.output.messages}, as JSON); default off, as the conventions ask: content
         * may hold personal data.
         */
        public Builder captureContent(boolean captureContent) {
            this.captureContent = captureContent;
            return this;
        }

        /**
         * Emits only the latest conventions (default false: the deprecated {@code gen_ai.system} is
         * added beside {@code gen_ai.provider.name} for dashboards built on 1.36.0 and before);
         * {@code OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental} sets it.
         */
        public Builder latestConventionsOnly(boolean latestOnly) {
            this.latestConventionsOnly = latestOnly;
            return this;
        }

        /** Returns the client. */
        public OpenTelemetryChatClient build() {
            return new OpenTelemetryChatClient(this);
        }
    }
}
