package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.ChatChunks;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.internal.SharedScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link ChatClient} for tests of reward code: script what it answers, call the code under
 * test, then assert on what it was asked. Steps are used in order, one per call:
 *
 * <pre>{@code
 * ScriptedChatClient judge = new ScriptedChatClient()
 *     .reply("{\"score\": 7}")
 *     .fail(ErrorCategory.RATE_LIMITED, "slow down")
 *     .after(Duration.ofMillis(50)).reply("```json\n{\"score\": 3}\n```")
 *     .otherwise(request -> "{\"score\": 0}");       // once the script is used up
 *
 * double score = myReward.score(judge, answer);
 * assertThat(judge.requests()).hasSize(1);
 * assertThat(judge.lastRequest().messages().get(1).content()).contains(answer);
 * }</pre>
 *
 * <p>The model's other answers are steps too: {@link #callTools(ToolCall...)} for tool calls,
 * {@link #refuse(String)} for a refusal, and {@link #reply(ChatResponse)} with a
 * {@link ChatResponses} reply for logprobs, token ids or several choices.
 *
 * <p>{@code chatAsync} never blocks: a delay completes the future later on a library thread. A
 * call with nothing left to answer fails with {@link ErrorCategory#CONFIGURATION} saying so,
 * unless {@link #otherwise} is set. Thread-safe. For the resilience layer's behaviour, wrap it:
 * {@code ResilientChatClient.builder(scripted).build()}.
 */
public final class ScriptedChatClient implements ChatClient {

    /**
     * One call the client received.
     *
     * @param request the request
     * @param session the {@link LlmSession} current on the calling thread
     * @param at      when the call arrived
     */
    public record Call(ChatRequest request, Optional<LlmSession> session, Instant at) {}

    private record Step(
            Duration delay, Function<ChatRequest, ChatResponse> answer, LlmException failure, ScriptedStream stream) {
        Step(Duration delay, Function<ChatRequest, ChatResponse> answer, LlmException failure) {
            this(delay, answer, failure, null);
        }
    }

    private final String backend;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();
    private Duration nextDelay = Duration.ZERO;
    private Function<ChatRequest, ChatResponse> otherwise;
    private boolean closed;

    /** Creates an empty script whose backend name is {@code scripted}. */
    public ScriptedChatClient() {
        this("scripted");
    }

    /** Creates an empty script reporting the given backend name. */
    public ScriptedChatClient(String backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Adds a reply with this text (model = the request's, finish reason {@code stop}). */
    public synchronized ScriptedChatClient reply(String content) {
        Objects.requireNonNull(content, "content");
        return add(request -> textReply(request, content), null);
    }

    /** Adds a reply computed from the request, e.g. an echo or a score that depends on the prompt. */
    public synchronized ScriptedChatClient reply(Function<ChatRequest, String> content) {
        Objects.requireNonNull(content, "content");
        return add(request -> textReply(request, content.apply(request)), null);
    }

    /**
     * Adds a complete response, returned as given except that an empty id, model or backend is
     * filled in as for a text reply; {@link ChatResponses} builds tool calls, refusals, logprobs and
     * token ids.
     */
    public synchronized ScriptedChatClient reply(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        return add(request -> envelope(request, response), null);
    }

    /**
     * Adds a reply in which the model calls these tools (several: parallel calls), finish reason
     * {@code tool_calls}; script the answer after the tool results with the next step.
     *
     * <pre>{@code
     * ScriptedChatClient agent = new ScriptedChatClient()
     *     .callTools(ToolCall.function("call_1", "get_weather", "{\"city\": \"Oslo\"}"))
     *     .reply("It is raining in Oslo.");
     * }</pre>
     *
     * @throws IllegalArgumentException when no call is given
     */
    public synchronized ScriptedChatClient callTools(ToolCall... calls) {
        return reply(ChatResponses.toolCalls(calls));
    }

    /** Adds a reply in which the model refuses: no content, this refusal, finish reason {@code stop}. */
    public synchronized ScriptedChatClient refuse(String refusal) {
        return reply(ChatResponses.refusal(refusal));
    }

    /** Adds a failure of the given category (retryable as the category says by default). */
    public synchronized ScriptedChatClient fail(ErrorCategory category, String message) {
        return fail(LlmException.builder(category, message).backend(backend).build());
    }

    /** Adds a failure with this exception. */
    public synchronized ScriptedChatClient fail(LlmException failure) {
        return add(null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Adds a streamed reply: {@link #streamAsync} and {@link #stream} deliver its chunks with
     * their delays, and end with its finish, failure or stall; {@code chat()} waits for it and
     * returns the assembled reply. Other steps stream as one whole chunk.
     *
     * <pre>{@code
     * ScriptedChatClient llm = new ScriptedChatClient()
     *     .stream(ScriptedStream.of("Hel", "lo").finish(FinishReason.STOP))
     *     .stream(ScriptedStream.of("a", "b", "c").stall());
     * }</pre>
     */
    public synchronized ScriptedChatClient stream(ScriptedStream stream) {
        Objects.requireNonNull(stream, "stream");
        script.addLast(new Step(nextDelay, null, null, stream));
        nextDelay = Duration.ZERO;
        return this;
    }

    /** Delays the next step added by this much (its future completes later; nothing blocks). */
    public synchronized ScriptedChatClient after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        this.nextDelay = delay;
        return this;
    }

    /** Answers with this text once the script is used up, instead of failing. */
    public synchronized ScriptedChatClient otherwise(Function<ChatRequest, String> content) {
        Objects.requireNonNull(content, "content");
        this.otherwise = request -> textReply(request, content.apply(request));
        return this;
    }

    /** Returns every call received so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Returns every request received so far, in order. */
    public synchronized List<ChatRequest> requests() {
        return calls.stream().map(Call::request).toList();
    }

    /**
     * Returns the last request received.
     *
     * @throws IllegalStateException when there was none
     */
    public synchronized ChatRequest lastRequest() {
        if (calls.isEmpty()) {
            throw new IllegalStateException("no request was made");
        }
        return calls.get(calls.size() - 1).request();
    }

    /** Returns how many scripted steps are left. */
    public synchronized int remaining() {
        return script.size();
    }

    /** Returns whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    // the timer task completes result on every path; nothing waits on the task itself.
    @SuppressWarnings("FutureReturnValueIgnored")
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return play(request, null);
    }

    /** Plays a {@link #stream(ScriptedStream) scripted stream} chunk by chunk; other steps arrive as one chunk. */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        return play(request, Objects.requireNonNull(onChunk, "onChunk"));
    }

    // the timer task completes result on every path; nothing waits on the task itself.
    @SuppressWarnings("FutureReturnValueIgnored")
    private CompletableFuture<ChatResponse> play(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Step step;
        int number;
        synchronized (this) {
            calls.add(new Call(request, LlmSession.current(), Instant.now()));
            number = calls.size();
            step = script.pollFirst();
            if (step == null && otherwise != null) {
                step = new Step(Duration.ZERO, otherwise, null);
            }
        }
        if (step == null) {
            return CompletableFuture.failedFuture(LlmException.builder(
                            ErrorCategory.CONFIGURATION,
                            "ScriptedChatClient has no reply left for call #" + number + " (model " + request.model()
                                    + "); add more steps or set otherwise(...)")
                    .backend(backend)
                    .model(request.model())
                    .build());
        }
        if (step.stream() != null) {
            return new StreamPlayer(
                            step.stream(), request, onChunk == null ? chunk -> {} : onChunk, backend, step.delay())
                    .start();
        }
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        Step chosen = step;
        Runnable answer = () -> {
            if (chosen.failure() != null) {
                result.completeExceptionally(chosen.failure());
                return;
            }
            try {
                result.complete(chosen.answer().apply(request));
            } catch (RuntimeException e) {
                result.completeExceptionally(LlmException.from(e));
            }
        };
        if (chosen.delay().isZero()) {
            answer.run();
        } else {
            SharedScheduler.runLater(answer, chosen.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (onChunk == null) {
            return result;
        }
        return Futures.map(result, reply -> {
            ChatChunks.deliver(onChunk, ChatChunks.whole(reply));
            return reply;
        });
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized String toString() {
        return "ScriptedChatClient[" + calls.size() + " calls, " + script.size() + " steps left]";
    }

    private ScriptedChatClient add(Function<ChatRequest, ChatResponse> answer, LlmException failure) {
        script.addLast(new Step(nextDelay, answer, failure));
        nextDelay = Duration.ZERO;
        return this;
    }

    private ChatResponse envelope(ChatRequest request, ChatResponse response) {
        if (!response.id().isEmpty()
                && !response.model().isEmpty()
                && !response.backend().isEmpty()) {
            return response;
        }
        return response.toBuilder()
                .id(response.id().isEmpty() ? "scripted-" + calls.size() : response.id())
                .model(response.model().isEmpty() ? request.model() : response.model())
                .backend(response.backend().isEmpty() ? backend : response.backend())
                .build();
    }

    private ChatResponse textReply(ChatRequest request, String content) {
        return ChatResponse.builder()
                .id("scripted-" + calls.size())
                .model(request.model())
                .backend(backend)
                .content(content)
                .build();
    }
}
