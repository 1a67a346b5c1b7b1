package io.github.llmbridge.rllm;

import static io.github.llmbridge.rllm.RllmVariables.RLLM_GATEWAY_URL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.internal.Secrets;
import io.github.llmbridge.core.internal.transport.BackendTransports;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.resilience.BackendDefaults;
import io.github.llmbridge.core.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls through rLLM's model gateway (rLLM's {@code rllm-model-gateway}), which records every
 * call of a session with its token ids and log probabilities for training. Selected by
 * {@code LLM_BACKEND=rllm} through {@code ChatClients.fromEnv()}, or built in code:
 *
 * <pre>{@code
 * try (ChatClient agent = RllmChatClient.builder().gatewayUrl("http://localhost:9090").build();
 *      LlmSession rollout = LlmSession.open("rollout-7", Map.of(RllmChatClient.SESSION_ID, sessionIdFromTrainer))) {
 *     agent.chat(ChatRequest.builder().model("Qwen/Qwen3-4B").user("Hi").build());
 * }
 * }</pre>
 *
 * <p><b>Sessions.</b> The gateway's session is the URL: a call goes to
 * {@code POST <gateway>/sessions/<id>/v1/chat/completions}. The id is, in this order: the one in
 * the gateway URL, when {@code RLLM_GATEWAY_URL} is a session URL
 * ({@code http://host:9090/sessions/<id>/v1}, as rLLM hands to agents); the current
 * {@link LlmSession}'s metadata value {@link #SESSION_ID}, for a session the trainer created and
 * handed over; else the current {@code LlmSession}'s own uid, a session this client creates on its
 * first call ({@code POST /sessions} with the session's name, uid chain and metadata). The session
 * is read on the thread that calls {@code chat}/{@code chatAsync}; the resilience layer carries it
 * to its retries and fallbacks, so every attempt of a call goes to the same session URL. A call
 * outside any session goes to {@code <gateway>/v1/chat/completions}, which the gateway forwards
 * but does not record: the first such call logs a warning.
 *
 * <p><b>What reaches the worker.</b> The gateway adds {@code logprobs} and {@code return_token_ids}
 * to every request, so this client never sends either as {@code false} (that would keep them out
 * of the trace). The gateway strips token ids, and log probabilities the request did not ask for,
 * from the reply: read them from the trainer's side, {@link RllmGateway#traces(String)}.
 */
public final class RllmChatClient implements ChatClient {

    private static final Logger log = LoggerFactory.getLogger(RllmChatClient.class);

    /** The backend name. */
    public static final String BACKEND = "rllm";
    /** Where the gateway listens by default ({@code rllm-model-gateway}'s default port). */
    public static final String DEFAULT_GATEWAY_URL = "http://localhost:9090";
    /** Default number of concurrent calls: agent rollouts run many at once against a local gateway. */
    public static final int DEFAULT_MAX_CONCURRENCY = 256;
    /**
     * The {@link LlmSession} metadata key holding a gateway session id the trainer created and
     * handed over; calls in such a session go to that gateway session.
     */
    public static final String SESSION_ID = "rllm_session_id";

    /** How long the {@code POST /sessions} before a session's first call may take. */
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private final GatewayUrl url;
    private final String urlSource;
    private final OpenAiHttpTransport transport;
    private final GatewaySessions sessions;
    private final AtomicBoolean warnedOutsideSession = new AtomicBoolean();

    private RllmChatClient(GatewayUrl url, String urlSource, OpenAiHttpTransport transport) {
        this.url = url;
        this.urlSource = urlSource;
        this.transport = transport;
        this.sessions = new GatewaySessions(url, JsonHttp.of(transport), CREATE_TIMEOUT);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a client from settings: {@code RLLM_GATEWAY_URL}, {@code RLLM_MAX_CONCURRENT_CALLS},
     * {@code LLM_TIMEOUT_SECONDS} (else {@code LITELLM_DEFAULT_TIMEOUT}), {@code LLM_MAX_RESPONSE_BYTES}
     * and the HTTP proxy variables.
     *
     * @throws LlmException category configuration when a value is invalid
     */
    public static RllmChatClient fromSettings(Settings settings) {
        Builder b = builder().gatewayUrl(settings.httpUrl(DEFAULT_GATEWAY_URL, RLLM_GATEWAY_URL));
        b.urlSource = RLLM_GATEWAY_URL.name();
        return b.applySettings(settings).build();
    }

    /**
     * Sends the request to the current session's URL on the gateway (see the class comment). The
     * first call of a session this client creates waits for {@code POST /sessions}; if that fails,
     * the call fails with its error and the next call tries again.
     */
    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return call(request, null);
    }

    /**
     * Streams the reply with {@code "stream": true} to the same session URL {@link #chatAsync}
     * would use, after the same session creation: the gateway forwards the worker's SSE events as
     * they come and records the call, with the token ids the worker streamed, when the stream ends.
     * The body is as for {@link #chatAsync} plus {@code stream_options.include_usage}. As without
     * streaming, the gateway strips token ids and unrequested log probabilities from the events:
     * read them from {@link RllmGateway#traces(String)}.
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return call(request, Objects.requireNonNull(onChunk, "onChunk"));
    }

    /** A chat call ({@code onChunk == null}) or a streamed one, routed to the current session. */
    private CompletableFuture<ChatResponse> call(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        LlmSession session = LlmSession.current().orElse(null);
        GatewaySessions.Target target = sessions.target(session);
        if (target.id() == null) {
            warnOutsideSession();
            return send(URI.create(url.root() + "/v1/chat/completions"), request, onChunk);
        }
        URI endpoint = URI.create(url.sessionBase(target.id()) + "/chat/completions");
        if (!target.createdHere()) {
            return send(endpoint, request, onChunk);
        }
        CompletableFuture<Void> creation = sessions.ensureCreated(target.id(), session);
        if (creation.isDone() && !creation.isCompletedExceptionally()) {
            return send(endpoint, request, onChunk);
        }
        return afterCreation(creation, endpoint, request, onChunk);
    }

    /** The first call of a session: the chat call starts when the session exists; cancelling the result cancels it. */
    private CompletableFuture<ChatResponse> afterCreation(
            CompletableFuture<Void> creation, URI endpoint, ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<ChatResponse>> call = new AtomicReference<>();
        var unusedCreation = creation.whenComplete((ok, failure) -> {
            if (failure != null) {
                result.completeExceptionally(sessionNotCreated(failure, request));
                return;
            }
            if (result.isDone()) {
                return;
            }
            CompletableFuture<ChatResponse> sent = send(endpoint, request, onChunk);
            call.set(sent);
            var unusedSent = sent.whenComplete((reply, error) -> {
                if (error != null) {
                    result.completeExceptionally(
                            error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause()
                                    : error);
                } else {
                    result.complete(reply);
                }
            });
            if (result.isCancelled()) {
                sent.cancel(true);
            }
        });
        var unusedResult = result.whenComplete((reply, error) -> {
            CompletableFuture<ChatResponse> sent = call.get();
            if (result.isCancelled() && sent != null) {
                sent.cancel(true);
            }
        });
        return result;
    }

    private static Throwable sessionNotCreated(Throwable failure, ChatRequest request) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof LlmException e) {
            return e.toBuilder()
                    .message("creating the gateway session (POST /sessions) failed: " + e.getMessage())
                    .model(request.model())
                    .build();
        }
        return cause;
    }

    private CompletableFuture<ChatResponse> send(
            URI endpoint, ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return onChunk == null
                ? transport.sendChat(endpoint, Map.of(), request, RllmChatClient::keepTraceFields)
                : transport.streamChat(endpoint, Map.of(), request, RllmChatClient::keepTraceFields, onChunk);
    }

    /**
     * The gateway adds {@code logprobs} and {@code return_token_ids} only when the request does not
     * have them; an explicit {@code false} would leave the trace without them. It strips from the
     * reply what the request did not ask for, so dropping a {@code false} changes nothing the caller sees.
     */
    private static void keepTraceFields(ObjectNode body) {
        for (String field : new String[] {"logprobs", "return_token_ids"}) {
            JsonNode value = body.get(field);
            if (value != null && value.isBoolean() && !value.booleanValue()) {
                body.remove(field);
            }
        }
    }

    private void warnOutsideSession() {
        if (warnedOutsideSession.compareAndSet(false, true)) {
            log.warn(
                    "rllm backend: a call was made outside any LlmSession, so it goes to {}/v1/chat/completions,"
                            + " which rLLM's model gateway forwards WITHOUT recording a trace: this call and every"
                            + " other one outside a session will be missing from training data. Open an LlmSession"
                            + " (with metadata {}=<id> for a session the trainer created), or set {} to a session URL"
                            + " .../sessions/<id>/v1. (Logged once.)",
                    Secrets.displayUrl(url.root().toString()),
                    SESSION_ID,
                    urlSource);
        }
    }

    /** Returns the trainer's side of the same gateway, through this client's HTTP client and proxies. */
    public RllmGateway gateway() {
        return RllmGateway.over(url.root(), JsonHttp.of(transport), urlSource);
    }

    /** Returns the gateway's root URL. */
    public URI gatewayUrl() {
        return url.root();
    }

    /** Returns the session every call goes to when the gateway URL named one. */
    public Optional<String> fixedSession() {
        return url.session();
    }

    /**
     * Also answers {@code unwrap(CheckTarget.class)}, for the connection check (the gateway's
     * {@code /health}, its rLLM generation and its workers), and
     * {@code unwrap(BackendDefaults.class)}: a bulkhead of {@value #DEFAULT_MAX_CONCURRENCY} calls.
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == CheckTarget.class) {
            return Optional.of(type.cast(new RllmCheckTarget(this, url.root(), transport.proxySetup(), urlSource)));
        }
        if (type == BackendDefaults.class) {
            return Optional.of(type.cast(new BackendDefaults(DEFAULT_MAX_CONCURRENCY)));
        }
        return ChatClient.super.unwrap(type);
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Shows the gateway URL and the fixed session, if any. */
    @Override
    public String toString() {
        return "RllmChatClient[gatewayUrl=" + Secrets.displayUrl(url.root().toString())
                + url.session().map(s -> ", session=" + s).orElse("") + "]";
    }

    /** Builds an {@link RllmChatClient}. */
    public static final class Builder extends BackendBuilder<Builder> {
        private URI gatewayUrl = URI.create(DEFAULT_GATEWAY_URL);
        private String urlSource = "gatewayUrl(...)";

        private Builder() {
            super(BACKEND, DEFAULT_MAX_CONCURRENCY);
            BackendTransports.of(this).errorDialect(RllmErrorDialect.INSTANCE);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the gateway: its root ({@code http://localhost:9090}, the default) or a session URL
         * ({@code http://localhost:9090/sessions/<id>/v1}) that every call then uses.
         */
        public Builder gatewayUrl(String gatewayUrl) {
            this.gatewayUrl = Settings.parseHttpUrl(gatewayUrl, "gatewayUrl");
            return this;
        }

        /** Sets the gateway; see {@link #gatewayUrl(String)}. */
        public Builder gatewayUrl(URI gatewayUrl) {
            return gatewayUrl(String.valueOf(gatewayUrl));
        }

        /**
         * Returns the client.
         *
         * @throws LlmException category configuration when the URL names a session wrongly
         */
        public RllmChatClient build() {
            GatewayUrl url = GatewayUrl.parse(gatewayUrl, urlSource);
            return new RllmChatClient(url, urlSource, BackendTransports.build(this, url.root()));
        }
    }
}
