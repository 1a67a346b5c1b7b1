package io.github.llmbridge.core.tools;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolChoice;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.tools.ToolExecution.Outcome;
import io.github.llmbridge.core.tools.ToolLoopResult.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link ToolLoop}: a chain of stages (a round's call, then its tools, then the next
 * round) that ends by settling {@link #result}. The stages run one after another, each started
 * by the completion of the one before, so the conversation needs no lock of its own; the lock
 * guards only what the deadline's timer reads while a stage runs.
 */
final class ToolLoopRun {

    private static final Logger log = LoggerFactory.getLogger(ToolLoopRun.class);

    /** What the run is doing, for the message of a deadline that passes. */
    private enum Phase {
        STARTING("before round %d started"),
        CALLING("while waiting for the model's reply in round %d"),
        RUNNING_TOOLS("while the tools of round %d ran");

        private final String wording;

        Phase(String wording) {
            this.wording = wording;
        }
    }

    private final ToolLoop loop;
    private final ChatClient client;
    private final ChatRequest base;
    private final List<String> offered;
    private final Duration budget;
    private final LlmSession session;
    private final Executor toolExecutor;
    private final boolean parallel;
    private final LoopClock clock;
    private final AbandonableFuture<ToolLoopResult> result = new AbandonableFuture<>(this::abandon);

    private long deadlineNanos;
    private volatile Future<?> pending;
    private volatile ScheduledFuture<?> timer;
    private final AtomicInteger finishedCalls = new AtomicInteger();

    // guarded by this
    private final List<ChatMessage> transcript;
    private final List<ChatResponse> responses = new ArrayList<>();
    private final List<ToolExecution> executions = new ArrayList<>();
    private int round;
    private Phase phase = Phase.STARTING;

    ToolLoopRun(
            ToolLoop loop,
            ChatClient client,
            ChatRequest base,
            Duration budget,
            LlmSession session,
            Executor toolExecutor,
            boolean parallel) {
        this.loop = loop;
        this.client = client;
        this.base = base;
        this.offered = base.tools().stream().map(Tool::name).toList();
        this.budget = budget;
        this.session = session;
        this.toolExecutor = toolExecutor;
        this.parallel = parallel;
        this.clock = loop.clock();
        this.transcript = new ArrayList<>(base.messages());
    }

    CompletableFuture<ToolLoopResult> start() {
        if (budget != null) {
            deadlineNanos = clock.nanoTime() + budget.toNanos();
            timer = clock.schedule(this::deadlinePassed, budget.toNanos());
        }
        try {
            startRound();
        } catch (RuntimeException e) { // thrown to the caller of run/runAsync: leave no timer behind
            cancelTimer();
            throw e;
        }
        return result;
    }

    // The whenComplete stages are listeners: guarded() settles the result on every path.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void startRound() {
        int number;
        ChatRequest request = null;
        synchronized (this) {
            number = ++round;
            phase = Phase.STARTING;
            long left = budget == null ? 1 : deadlineNanos - clock.nanoTime();
            if (left > 0) {
                ChatRequest.Builder b =
                        base.toBuilder().messages(transcript).metadata(ToolLoop.ROUND_METADATA_KEY, number);
                if (number > 1 && forcesACall(base)) {
                    b.toolChoice(null); // forced every round, the model could not stop calling tools
                }
                if (budget != null) {
                    b.timeout(Duration.ofNanos(left));
                }
                request = b.build();
                phase = Phase.CALLING;
            }
        }
        if (request == null) { // the tools used up the time: no round can start
            fail(outOfTime());
            return;
        }
        CompletableFuture<ChatResponse> reply;
        try (LlmSession.Scope ignored = attachSession()) {
            reply = client.chatAsync(request);
        } catch (RuntimeException e) {
            fail(roundFailed(number, LlmException.from(e)));
            return;
        }
        track(reply);
        reply.whenComplete((response, failure) -> guarded(() -> onReply(number, response, failure)));
    }

    // The whenComplete stage is a listener: guarded() settles the result on every path.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void onReply(int number, ChatResponse response, Throwable failure) {
        if (result.isDone()) {
            return;
        }
        if (failure != null) {
            fail(roundFailed(number, LlmException.from(failure)));
            return;
        }
        if (response.failed()) { // a fail-open placeholder: the round did fail
            fail(roundFailed(number, response.error().orElseThrow()));
            return;
        }
        List<ToolCall> calls = response.toolCalls();
        synchronized (this) {
            responses.add(response);
            if (!response.choices().isEmpty()) {
                transcript.add(response.choices().get(0).message());
            }
            phase = Phase.RUNNING_TOOLS;
        }
        if (calls.isEmpty()) {
            finish(StopReason.ANSWERED);
            return;
        }
        CompletableFuture<List<ToolExecution>> tools = runTools(number, calls);
        track(tools);
        tools.whenComplete((done, toolFailure) -> guarded(() -> onToolsDone(number, done, toolFailure)));
    }

    private void onToolsDone(int number, List<ToolExecution> done, Throwable failure) {
        if (result.isDone()) {
            return;
        }
        if (failure != null) { // an Error from a tool, or an executor that refused the task
            fail(LlmException.builder(
                            ErrorCategory.INVALID_RESPONSE,
                            "tool loop failed while running the tools of round " + number + ": " + unwrap(failure))
                    .cause(unwrap(failure))
                    .retryable(false)
                    .build());
            return;
        }
        synchronized (this) {
            for (ToolExecution e : done) {
                executions.add(e);
                transcript.add(ChatMessage.toolResult(e.call().id(), e.result()));
            }
        }
        if (number >= loop.maxRounds()) {
            finish(StopReason.ROUND_LIMIT);
        } else {
            startRound();
        }
    }

    private CompletableFuture<List<ToolExecution>> runTools(int number, List<ToolCall> calls) {
        try {
            if (toolExecutor == null) {
                return CompletableFuture.completedFuture(runInOrder(number, calls));
            }
            if (!parallel || calls.size() == 1) {
                return CompletableFuture.supplyAsync(() -> runInOrder(number, calls), toolExecutor);
            }
            List<CompletableFuture<ToolExecution>> each = new ArrayList<>();
            for (ToolCall call : calls) {
                each.add(CompletableFuture.supplyAsync(() -> execute(number, call), toolExecutor));
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(ignored ->
                            each.stream().map(CompletableFuture::join).toList());
        } catch (RuntimeException | Error e) { // RejectedExecutionException, or an Error run inline
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<ToolExecution> runInOrder(int number, List<ToolCall> calls) {
        List<ToolExecution> done = new ArrayList<>();
        for (ToolCall call : calls) {
            if (result.isDone()) {
                break; // out of time or cancelled: start no further tool
            }
            done.add(execute(number, call));
        }
        return done;
    }

    private ToolExecution execute(int number, ToolCall call) {
        ToolExecution done = handle(number, call);
        finishedCalls.incrementAndGet();
        return done;
    }

    private ToolExecution handle(int number, ToolCall call) {
        // Only the tools the request offered count: a registered tool the model was not offered
        // is as unknown to this conversation as a misspelt one.
        ToolLoop.Registration<?> tool = offered.contains(call.name()) ? loop.registration(call.name()) : null;
        if (tool == null) {
            String text = "Error: there is no tool named '" + call.name() + "'. The tools are: "
                    + String.join(", ", offered) + ".";
            log.warn(
                    "tool loop round {}: the model called unknown tool '{}' (call {}); told it so",
                    number,
                    call.name(),
                    call.id());
            return new ToolExecution(number, call, Outcome.UNKNOWN_TOOL, text, null, Duration.ZERO);
        }
        Object arguments;
        try {
            arguments = tool.parse(call);
        } catch (LlmException e) {
            String text = "Error: " + e.getMessage()
                    + ". Call the tool again with arguments that are a JSON object matching its parameters.";
            log.warn("tool loop round {}: {}; told the model so", number, e.getMessage());
            return new ToolExecution(number, call, Outcome.INVALID_ARGUMENTS, text, e, Duration.ZERO);
        }
        long started = clock.nanoTime();
        try (LlmSession.Scope ignored = attachSession()) {
            Object value = tool.call(arguments);
            String text = value instanceof String s ? s : Json.MAPPER.writeValueAsString(value);
            return new ToolExecution(number, call, Outcome.OK, text, null, since(started));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String text = "Error: tool '" + call.name() + "' failed: " + describe(e);
            log.warn(
                    "tool loop round {}: tool '{}' (call {}) failed; its error goes back to the model: {}",
                    number,
                    call.name(),
                    call.id(),
                    describe(e));
            log.debug("tool '{}' failure", call.name(), e);
            return new ToolExecution(number, call, Outcome.FAILED, text, e, since(started));
        }
    }

    /**
     * Runs a stage's step so that nothing it throws is lost: an exception in a listener of a
     * future would vanish, and the run would never end.
     */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            fail(LlmException.from(e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    private void finish(StopReason reason) {
        ToolLoopResult done;
        synchronized (this) {
            done = new ToolLoopResult(transcript, responses, executions, reason);
        }
        cancelTimer();
        result.settle(done);
    }

    private void fail(LlmException failure) {
        cancelTimer();
        result.settleExceptionally(failure);
    }

    /** The timer's task: fail the run, which cancels what is pending (see {@link #abandon}). */
    private void deadlinePassed() {
        result.completeExceptionally(outOfTime());
    }

    /** Runs when anyone but the run itself settles the result: the deadline, or a caller's cancel. */
    private void abandon() {
        cancelTimer();
        Future<?> p = pending;
        if (p != null) {
            p.cancel(true);
        }
    }

    private void track(Future<?> stage) {
        pending = stage;
        if (result.isDone()) { // settled before the stage was published: abandon() could not see it
            stage.cancel(true);
        }
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private LlmSession.Scope attachSession() {
        return session == null ? () -> {} : session.attach();
    }

    private synchronized LlmException outOfTime() {
        return LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        "tool loop ran out of its " + shown(budget) + " deadline " + String.format(phase.wording, round)
                                + " (" + progress() + ")")
                .build();
    }

    private synchronized LlmException roundFailed(int number, LlmException e) {
        if (e.category() == ErrorCategory.TIMEOUT && budget != null && clock.nanoTime() >= deadlineNanos) {
            return outOfTime().toBuilder().cause(e).attempts(e.attempts()).build();
        }
        return e.toBuilder()
                .message("tool loop round " + number + " failed (" + progress() + "): " + e.getMessage())
                .cause(e)
                .build();
    }

    /** Says how many rounds were done and which tools each called, e.g. for a timeout's message. */
    private String progress() {
        int done = responses.size();
        if (done == 0) {
            return "no round done";
        }
        StringJoiner rounds = new StringJoiner("; ");
        for (int r = 1; r <= done; r++) {
            StringJoiner names = new StringJoiner(", ");
            responses.get(r - 1).toolCalls().forEach(c -> names.add(c.name()));
            rounds.add("round " + r + (names.length() == 0 ? " called no tool" : " called " + names));
        }
        int finished = finishedCalls.get();
        return done + (done == 1 ? " round" : " rounds") + " done: " + rounds + "; " + finished
                + (finished == 1 ? " tool call" : " tool calls") + " finished";
    }

    private static boolean forcesACall(ChatRequest request) {
        return request.toolChoice()
                .map(c -> c.equals(ToolChoice.required()) || c.functionName().isPresent())
                .orElse(false);
    }

    private Duration since(long startedNanos) {
        return Duration.ofNanos(Math.max(0, clock.nanoTime() - startedNanos));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while (u instanceof java.util.concurrent.CompletionException && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }

    private static String shown(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
