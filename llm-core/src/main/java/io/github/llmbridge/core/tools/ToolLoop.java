package io.github.llmbridge.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.JsonSchemas;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs a tool-calling conversation to its end: call the model, run each tool it called, send the
 * results back, and again, until the model answers without calling a tool or the round limit is
 * reached. Register each tool's definition with the Java function that implements it:
 *
 * <pre>{@code
 * record Weather(String city) {}
 * ToolLoop loop = ToolLoop.builder()
 *     .tool("get_weather", "Current weather in a city", Weather.class,       // schema from the record
 *           w -> weatherService.now(w.city()))
 *     .tool(Tool.function("get_time", "Local time in an IANA zone", timeSchema),   // schema by hand,
 *           args -> ZonedDateTime.now(ZoneId.of(args.path("zone").asText())).toString())  // a JsonNode
 *     .maxRounds(5)
 *     .deadline(Duration.ofMinutes(2))
 *     .build();
 * ToolLoopResult r = loop.run(client, ChatRequest.builder().model(m).user("Weather and time in Oslo?").build());
 * String answer = r.content();          // r.messages() is the whole transcript
 * }</pre>
 *
 * <p><b>Rounds.</b> A round is one ordinary {@code chatAsync} call on the given client (so a
 * tracing client records each round, and the resilience layer retries each round's call) plus the
 * tools that reply called. Each round's request is the original one with the conversation so far,
 * the metadata entry {@value #ROUND_METADATA_KEY} set to the round's number (1, 2, ...), and the
 * time left as its {@link ChatRequest#timeout()}. When the request has no tools of its own, all
 * registered tools are sent; when it has some, they are sent as they are, and each must be
 * registered. A {@link io.github.llmbridge.core.ToolChoice ToolChoice} that forces a call
 * ({@code required} or a named function) is sent in round 1 only: sent every round it would make
 * the model call tools until the round limit. ({@code ChatRequest} takes a tool choice only beside
 * tools, so put the loop's in the request with it: {@code .tools(loop.tools()).toolChoice(...)}.)
 * The loop follows the first choice, so {@code n}
 * must be unset or 1. The model's message is appended as it came, so its
 * {@code reasoning_details} go back to the model with it.
 *
 * <p><b>Tool calls.</b> The calls of one reply run in the order the model made them, one after
 * another, and their results are sent as one {@code tool} message per call, in that order. When
 * a call cannot be used, the loop does not fail: it sends an error text (beginning
 * {@code "Error: "}) as that call's result, so the model can correct itself in the next round,
 * logs a warning, and counts it ({@link ToolLoopResult#toolErrors()}, each with its
 * {@link ToolExecution.Outcome}):
 * <ul>
 *   <li>the model named a tool the request did not offer ({@code UNKNOWN_TOOL}; the text lists
 *       the tools it did);
 *   <li>its arguments are not valid JSON, or do not fit the tool's type ({@code
 *       INVALID_ARGUMENTS}; the function is not called, and the text gives the parser's reason);
 *   <li>the tool threw an exception ({@code FAILED}; the text is its class and message, and the
 *       exception itself is kept in {@link ToolExecution#failure()}).
 * </ul>
 * This is what agent frameworks commonly do, and why: the API needs an answer to every call
 * before the conversation can go on, models usually recover from an error they are shown, and
 * one bad call should not throw away a whole rollout. Check {@code toolErrors()} (or each
 * {@link ToolExecution}) when a failing tool is a bug to you. Exception messages reach the model
 * (and any trace of the next round's request): do not put secrets in them. An {@link Error}
 * thrown by a tool is not caught; it ends the loop.
 *
 * <p><b>The round limit</b> ({@link Builder#maxRounds}, default {@value #DEFAULT_MAX_ROUNDS}) is
 * not a failure: when the last allowed round's reply still calls tools, those tools run, their
 * results are appended, and the result says {@link ToolLoopResult.StopReason#ROUND_LIMIT}. The
 * transcript is then complete and valid (every call answered), so it can be used for training or
 * continued with another run; an exception would have lost it.
 *
 * <p><b>One deadline</b> bounds the whole loop: {@link Builder#deadline} if set, else the
 * request's own {@link ChatRequest#timeout()}; with neither, each round has the client's default
 * time limit and the loop none. Each round is sent with the time left, and when the time is up
 * (during a call, while tools run, or before a round starts) the loop fails with
 * {@link ErrorCategory#TIMEOUT}, in a message naming the rounds done and the tools each called.
 * The call in flight is cancelled; a tool that is running is not interrupted (a Java function
 * cannot be stopped safely), its result is dropped, and no further tool or round starts.
 *
 * <p><b>Threads.</b> {@link #run} runs the tools on the calling thread (so its thread-locals and
 * {@link LlmSession} apply); {@link #runAsync} runs them on the thread that completed the round's
 * reply, which for a real backend is one of its transport threads, so give tools that block for
 * long an executor of their own ({@link Builder#toolExecutor}). With an executor,
 * {@link Builder#parallelToolExecution} runs the calls of one reply at once (off by default); the
 * results are still sent in the model's order. The {@link LlmSession} current when the loop
 * starts is current in every round's call and every tool.
 *
 * <p>A loop is immutable and thread-safe: build it once and run it for every rollout.
 */
public final class ToolLoop {

    /** The request metadata key holding a round's number (1-based). */
    public static final String ROUND_METADATA_KEY = "tool_round";

    /** How many rounds a loop runs at most unless {@link Builder#maxRounds} says otherwise. */
    public static final int DEFAULT_MAX_ROUNDS = 10;

    private final Map<String, Registration<?>> tools;
    private final int maxRounds;
    private final Duration deadline;
    private final Executor toolExecutor;
    private final boolean parallel;
    private final LoopClock clock;

    private ToolLoop(Builder b) {
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
        this.maxRounds = b.maxRounds;
        this.deadline = b.deadline;
        this.toolExecutor = b.toolExecutor;
        this.parallel = b.parallel;
        this.clock = b.clock;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the loop and waits for its end; the tools run on the calling thread unless the loop
     * has a {@linkplain Builder#toolExecutor tool executor}. If the thread is interrupted the call
     * in flight is cancelled and an exception of category {@link ErrorCategory#CANCELLED} is
     * thrown with the interrupt flag kept.
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1} or names a tool
     *                                  that is not registered
     * @throws LlmException             when a round's call fails (its category, with the round and
     *                                  the rounds done in the message), or {@link ErrorCategory#TIMEOUT}
     *                                  when the deadline passes
     */
    public ToolLoopResult run(ChatClient client, ChatRequest request) {
        if (toolExecutor != null) {
            return Futures.await(runAsync(client, request));
        }
        CallerThreadExecutor caller = new CallerThreadExecutor();
        return caller.runUntilDone(start(client, request, caller));
    }

    /**
     * Starts the loop and returns at once. The future completes with the result, or exceptionally
     * with an {@link LlmException} as {@link #run} throws it; cancelling it cancels the call in
     * flight and starts no further tool or round.
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1} or names a tool
     *                                  that is not registered
     */
    public CompletableFuture<ToolLoopResult> runAsync(ChatClient client, ChatRequest request) {
        return start(client, request, toolExecutor);
    }

    /** Returns the registered tools' definitions, in the order they were registered. */
    public List<Tool> tools() {
        List<Tool> definitions = new ArrayList<>();
        tools.values().forEach(r -> definitions.add(r.definition()));
        return List.copyOf(definitions);
    }

    /** Returns the most rounds a run makes. */
    public int maxRounds() {
        return maxRounds;
    }

    /** Returns the loop's own deadline, if set (else the request's timeout bounds a run). */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public String toString() {
        return "ToolLoop[tools=" + tools.keySet() + ", maxRounds=" + maxRounds
                + (deadline == null ? "" : ", deadline=" + deadline) + (parallel ? ", parallel" : "") + "]";
    }

    private CompletableFuture<ToolLoopResult> start(ChatClient client, ChatRequest request, Executor executor) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        if (request.n().orElse(1) != 1) {
            throw new IllegalArgumentException("a tool loop follows one conversation: n must be unset or 1, was "
                    + request.n().getAsInt());
        }
        ChatRequest base = request;
        if (request.tools().isEmpty()) {
            base = request.toBuilder().tools(tools()).build();
        } else {
            for (Tool t : request.tools()) {
                if (!tools.containsKey(t.name())) {
                    throw new IllegalArgumentException("the request offers tool '" + t.name()
                            + "', which the loop has no function for; registered: " + tools.keySet());
                }
            }
        }
        Duration budget = deadline != null ? deadline : request.timeout().orElse(null);
        ToolLoopRun run = new ToolLoopRun(
                this, client, base, budget, LlmSession.current().orElse(null), executor, executor != null && parallel);
        return run.start();
    }

    Registration<?> registration(String name) {
        return tools.get(name);
    }

    LoopClock clock() {
        return clock;
    }

    /**
     * One registered tool: its definition, the type its arguments bind to ({@code JsonNode} for
     * the raw form) and its function.
     */
    record Registration<A>(Tool definition, Class<A> argumentsType, ToolFunction<? super A> function) {

        /**
         * Parses the call's arguments into the tool's type.
         *
         * @throws LlmException category {@code INVALID_RESPONSE} when they are not valid JSON or
         *                      do not fit the type
         */
        A parse(ToolCall call) {
            return argumentsType == JsonNode.class
                    ? argumentsType.cast(call.argumentsJson())
                    : call.arguments(argumentsType);
        }

        /** Runs the function on arguments returned by {@link #parse}. */
        Object call(Object parsed) throws Exception {
            return function.call(argumentsType.cast(parsed));
        }
    }

    /** Builds a {@link ToolLoop}. */
    public static final class Builder {
        private final Map<String, Registration<?>> tools = new LinkedHashMap<>();
        private int maxRounds = DEFAULT_MAX_ROUNDS;
        private Duration deadline;
        private Executor toolExecutor;
        private boolean parallel;
        private LoopClock clock = LoopClock.SYSTEM;

        private Builder() {}

        /**
         * Registers a tool whose arguments are bound to a type (a record, a bean, a map) with
         * {@link ToolCall#arguments(Class)}.
         *
         * @throws IllegalArgumentException when a tool of that name is already registered
         */
        public <A> Builder tool(Tool definition, Class<A> argumentsType, ToolFunction<? super A> function) {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(argumentsType, "argumentsType");
            Objects.requireNonNull(function, "function");
            if (tools.putIfAbsent(definition.name(), new Registration<>(definition, argumentsType, function)) != null) {
                throw new IllegalArgumentException("tool '" + definition.name() + "' is registered twice");
            }
            return this;
        }

        /**
         * Registers a tool whose parameters schema is derived from the arguments' type with
         * {@link JsonSchemas#of} (a record or class; strict form, sent without {@code strict}, so
         * the provider's default applies: for strict calls pass a {@code Tool} made
         * {@link Tool#withStrict strict} to {@link #tool(Tool, Class, ToolFunction)}).
         *
         * <pre>{@code
         * record Weather(String city) {}
         * builder.tool("get_weather", "Current weather in a city", Weather.class, w -> weather.now(w.city()));
         * }</pre>
         *
         * @throws IllegalArgumentException when the name is not a valid tool name, a tool of that
         *                                  name is already registered, or no object schema
         *                                  describes the type (see {@link JsonSchemas#of})
         */
        public <A> Builder tool(
                String name, String description, Class<A> argumentsType, ToolFunction<? super A> function) {
            Objects.requireNonNull(argumentsType, "argumentsType");
            return tool(Tool.function(name, description, JsonSchemas.of(argumentsType)), argumentsType, function);
        }

        /**
         * Registers a tool that reads its arguments as a JSON tree ({@code ""} arrives as an empty
         * object).
         *
         * @throws IllegalArgumentException when a tool of that name is already registered
         */
        public Builder tool(Tool definition, ToolFunction<JsonNode> function) {
            return tool(definition, JsonNode.class, function);
        }

        /**
         * Sets the most rounds (calls to the model) a run makes; default {@value #DEFAULT_MAX_ROUNDS}.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder maxRounds(int maxRounds) {
            if (maxRounds < 1) {
                throw new IllegalArgumentException("maxRounds must be at least 1, was " + maxRounds);
            }
            this.maxRounds = maxRounds;
            return this;
        }

        /**
         * Sets the time a whole run may take, replacing the request's own timeout as the loop's
         * bound ({@code null}: the request's timeout bounds it).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder deadline(Duration deadline) {
            if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
                throw new IllegalArgumentException("deadline must be positive, was " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * Sets where the tools run ({@code null}: on the calling thread for {@link #run}, on the
         * thread that completed the reply for {@link #runAsync}). The executor is the caller's:
         * the loop never shuts it down.
         */
        public Builder toolExecutor(Executor toolExecutor) {
            this.toolExecutor = toolExecutor;
            return this;
        }

        /**
         * Runs the calls of one reply at once on the {@linkplain #toolExecutor tool executor}
         * (default off: one after another). Results are sent in the model's order either way.
         */
        public Builder parallelToolExecution(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        /** Sets the clock and timer (tests use virtual time). */
        Builder clock(LoopClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Returns the loop.
         *
         * @throws IllegalStateException when no tool is registered, or parallel execution is on
         *                               without a tool executor
         */
        public ToolLoop build() {
            if (tools.isEmpty()) {
                throw new IllegalStateException("a tool loop needs at least one tool: register it with tool(...)");
            }
            if (parallel && toolExecutor == null) {
                throw new IllegalStateException(
                        "parallelToolExecution needs a toolExecutor to run the calls on, e.g. a fixed pool");
            }
            return new ToolLoop(this);
        }
    }
}
