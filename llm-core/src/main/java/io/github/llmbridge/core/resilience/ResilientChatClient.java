package io.github.llmbridge.core.resilience;

import static io.github.llmbridge.core.settings.CoreVariables.LLM_ADAPTIVE_CONCURRENCY;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_ATTEMPT_TIMEOUT_SECONDS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_BACKOFF_BASE_SECONDS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_BACKOFF_MAX_SECONDS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_FAIL_OPEN;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_FALLBACK_MODELS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_MAX_ATTEMPTS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_MAX_WAITING_CALLS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_RETRY_BUDGET_MIN_PER_SECOND;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_RETRY_BUDGET_PERCENT;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_TIMEOUT_SECONDS;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.budget.SpendingBudget;
import io.github.llmbridge.core.internal.Futures;
import io.github.llmbridge.core.settings.Settings;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Makes any {@link ChatClient} survive a flaky network and a rate-limited provider. Every call
 * gets:
 * <ul>
 *   <li><b>retry</b> (Resilience4j {@code Retry}): up to {@code maxAttempts} attempts per model on
 *       retryable failures (connection failures, timeouts, 408, 409, 429, 5xx, transient in-body
 *       errors; a server's {@code x-should-retry} has the last word), waiting with exponential
 *       backoff and full jitter, or exactly as long as the server's {@code Retry-After} asks, even
 *       beyond the backoff cap, as long as the deadline allows (else the call fails at once saying
 *       why: a retry is never sent early);</li>
 *   <li>a <b>retry budget</b> ({@link RetryBudget}): retries are at most 20 % of the calls sent
 *       over the last 10 s, plus 10 a second, so an outage is not multiplied into a retry storm;</li>
 *   <li>a whole-call <b>deadline</b> that bounds attempts, waits and queueing together; when it
 *       passes, the in-flight HTTP exchange is cancelled and the call fails with
 *       {@link ErrorCategory#TIMEOUT}. A wait that would end past the deadline is not started;</li>
 *   <li>a <b>bulkhead</b> (Resilience4j {@code SemaphoreBulkhead}): at most
 *       {@code maxConcurrentCalls} attempts in flight; further calls wait in a bounded FIFO queue
 *       of futures, never on a parked thread. A permit is held only while an attempt is in
 *       flight, never during a backoff wait. With {@link AdaptiveConcurrency} (the default) each model's limit
 *       below that size follows the provider's answers (429s and other overload signals), and its
 *       rate-limit headers pace new calls;</li>
 *   <li><b>fallback models</b> tried in order when a model fails for a reason another model may
 *       not have (anything but authentication, bad request, configuration or cancellation);</li>
 *   <li>opt-in <b>fail-open</b>: a call that finally fails returns an empty
 *       {@link ChatResponse#failed() failed} reply instead of throwing.</li>
 * </ul>
 * Replies and exceptions carry the {@link io.github.llmbridge.core.Attempt attempt history}.
 * {@link io.github.llmbridge.core.config.ChatClients#fromEnv()} always adds this layer.
 *
 * <pre>{@code
 * ChatClient judge = ResilientChatClient.builder(backend)
 *     .maxAttempts(5)
 *     .deadline(Duration.ofMinutes(2))
 *     .fallbackModels(List.of("anthropic/claude-3.5-haiku"))
 *     .build();
 * }</pre>
 */
public final class ResilientChatClient implements ChatClient {

    static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** The bulkhead size around a backend that suggests none. */
    static final int DEFAULT_MAX_CONCURRENT_CALLS = 10;

    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(600);
    static final int DEFAULT_MAX_WAITING_CALLS = 100_000;

    final ChatClient delegate;
    final int maxAttempts;
    final Backoff backoff;
    final Duration deadline;
    final Duration attemptTimeout;
    final StreamPolicy streamPolicy;
    final List<String> fallbackModels;
    final boolean failOpen;
    final RandomGenerator random;
    /** The spending limit asked before every attempt and charged with every reply; {@code null} for none. */
    final SpendingBudget budget;

    final PermitQueue permits;
    final RetryTokens retryTokens;
    final StatsCounters stats = new StatsCounters();
    final Retry retry;
    /** Time and timers of this client's calls: the real ones unless a test in this package sets virtual time. */
    final Scheduler scheduler;
    /** {@link #scheduler} as Resilience4j's retry wants it. */
    final OffTimerScheduler retryScheduler;

    private volatile boolean closed;

    private ResilientChatClient(Builder b) {
        this.delegate = b.delegate;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.deadline = b.deadline;
        this.attemptTimeout = b.attemptTimeout;
        this.streamPolicy = b.streamPolicy;
        this.fallbackModels = List.copyOf(b.fallbackModels);
        this.failOpen = b.failOpen;
        this.random = b.random;
        this.budget = b.budget;
        this.scheduler = b.scheduler;
        this.retryScheduler = new OffTimerScheduler(scheduler);
        this.permits = new PermitQueue(
                delegate.backend(),
                b.maxConcurrentCalls,
                b.maxWaitingCalls,
                b.adaptiveConcurrency,
                scheduler,
                b.limitLog);
        this.retryTokens = new RetryTokens(b.retryBudget);
        IntervalBiFunction<Object> nextWait =
                (attempt, outcome) -> outcome.isLeft() && outcome.getLeft() instanceof AttemptFailure f
                        ? f.call.nextWaitMillis(attempt, f.error)
                        : -1L;
        this.retry = Retry.of(
                delegate.backend(),
                RetryConfig.custom()
                        .maxAttempts(maxAttempts)
                        .retryOnException(t -> t instanceof AttemptFailure f && f.call.mayRetry(f.error))
                        .intervalBiFunction(nextWait)
                        .failAfterMaxAttempts(false)
                        .writableStackTraceEnabled(false)
                        .build());
    }

    /** Starts a builder around a backend (or another decorator). */
    public static Builder builder(ChatClient delegate) {
        return new Builder(delegate);
    }

    /** Wraps a client with the resilience settings from the given variables (see {@link Builder#applySettings}). */
    public static ResilientChatClient wrap(ChatClient delegate, Settings settings) {
        return builder(delegate).applySettings(settings).build();
    }

    /**
     * Returns the variable that sizes the bulkhead of a backend, {@code <BACKEND>_MAX_CONCURRENT_CALLS}
     * (backend {@code acme-gw}: {@code ACME_GW_MAX_CONCURRENT_CALLS}); the backends size their HTTP
     * thread pools from the same variable.
     */
    public static String concurrencyVariable(String backend) {
        return backend.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_MAX_CONCURRENT_CALLS";
    }

    /**
     * Returns the default bulkhead size around a backend: what it suggests through
     * {@code unwrap(}{@link BackendDefaults}{@code .class)}, else 10. A wrapper of your own between
     * this layer and the backend must pass {@code unwrap} down, as {@link ChatClient#unwrap} asks,
     * or the suggestion is not found (a LiteLLM server's 256 becomes 10): override {@code unwrap},
     * or set {@link Builder#maxConcurrentCalls} yourself.
     */
    public static int defaultConcurrency(ChatClient backend) {
        return backend.unwrap(BackendDefaults.class)
                .map(BackendDefaults::maxConcurrentCalls)
                .orElse(DEFAULT_MAX_CONCURRENT_CALLS);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Never blocks: when no concurrency permit is free the call is queued and started by the
     * thread that frees one. The session current on the calling thread belongs to the call.
     */
    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return Futures.failed(LlmException.builder(ErrorCategory.CANCELLED, "the client is closed")
                    .backend(delegate.backend())
                    .model(request.model())
                    .build());
        }
        stats.calls.increment();
        return streamPolicy.stallProtection()
                ? new ResilientCall(this, request, new StreamAttempts(this, null)).start()
                : new ResilientCall(this, request).start();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each attempt is a stream from the wrapped client, with the retry, deadline, bulkhead and
     * fallback of {@link #chatAsync} and the two timers of the {@link StreamPolicy}: a failure or
     * a stall before the first output is retried; after it the call fails with the output so far
     * as {@link LlmException#partialContent()} (unless the policy restarts it). The concurrency
     * permit is held until the stream ends or is cancelled.
     */
    @Override
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<? super ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        if (closed) {
            return Futures.failed(LlmException.builder(ErrorCategory.CANCELLED, "the client is closed")
                    .backend(delegate.backend())
                    .model(request.model())
                    .build());
        }
        stats.calls.increment();
        return new ResilientCall(this, request, new StreamAttempts(this, onChunk)).start();
    }

    /** Returns how streamed calls are watched. */
    public StreamPolicy streamPolicy() {
        return streamPolicy;
    }

    /** Returns the backend's name. */
    @Override
    public String backend() {
        return delegate.backend();
    }

    /** Returns this client if it is of the given type, else asks the wrapped one. */
    @Override
    public <T> java.util.Optional<T> unwrap(Class<T> type) {
        if (budget != null && type == SpendingBudget.class) {
            return java.util.Optional.of(type.cast(budget));
        }
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : delegate.unwrap(type);
    }

    /** Returns the wrapped client. */
    public ChatClient delegate() {
        return delegate;
    }

    /**
     * Returns a snapshot of the counters: calls, successes, failures by category, retries (and those
     * the retry budget refused), in flight, waiting, each model's concurrency limit, and the spending
     * budget's spend.
     */
    public ResilienceStats stats() {
        return stats.snapshot(permits, budget);
    }

    /** Returns the spending budget of this client's calls, if it has one. */
    public java.util.Optional<SpendingBudget> budget() {
        return java.util.Optional.ofNullable(budget);
    }

    /** Fails calls waiting for a permit as cancelled and closes the wrapped client. */
    @Override
    public void close() {
        closed = true;
        permits.failWaiting(LlmException.builder(
                        ErrorCategory.CANCELLED,
                        "the client was closed while the call waited" + " for a concurrency permit")
                .backend(delegate.backend())
                .build());
        delegate.close();
    }

    /** Shows the policy, never a secret. */
    @Override
    public String toString() {
        return "ResilientChatClient[maxAttempts=" + maxAttempts + ", deadline=" + deadline.toSeconds() + " s, bulkhead="
                + permits.size() + (permits.adaptive() ? " (adaptive)" : "") + ", backoff="
                + backoff.base().toMillis() + " ms x" + backoff.factor() + " up to "
                + backoff.cap().toSeconds() + " s"
                + (fallbackModels.isEmpty() ? "" : ", fallbackModels=" + fallbackModels)
                + (failOpen ? ", failOpen" : "")
                + (budget == null
                        ? ""
                        : ", budget=" + budget.limit()
                                + (budget.sessionLimit().isLimited()
                                        ? " (per session " + budget.sessionLimit() + ")"
                                        : ""))
                + "] -> " + delegate;
    }

    /** Builds a {@link ResilientChatClient}; every setting has a default. */
    public static final class Builder {
        private final ChatClient delegate;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration deadline = DEFAULT_DEADLINE;
        private Duration attemptTimeout;
        private StreamPolicy streamPolicy = StreamPolicy.DEFAULT;
        private List<String> fallbackModels = List.of();
        private boolean failOpen;
        private int maxConcurrentCalls;
        private int maxWaitingCalls = DEFAULT_MAX_WAITING_CALLS;
        private AdaptiveConcurrency adaptiveConcurrency = AdaptiveConcurrency.DEFAULT;
        private RetryBudget retryBudget = RetryBudget.DEFAULT;
        private RandomGenerator random; // null: ThreadLocalRandom of the thread computing the wait
        private Scheduler scheduler = Scheduler.SYSTEM;
        private SpendingBudget budget;
        private java.util.function.Consumer<String> limitLog; // null: INFO on this class's logger

        private Builder(ChatClient delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.maxConcurrentCalls = defaultConcurrency(delegate);
        }

        /**
         * Reads {@code LLM_MAX_ATTEMPTS}, {@code LLM_TIMEOUT_SECONDS} (else
         * {@code LITELLM_DEFAULT_TIMEOUT}), {@code LLM_ATTEMPT_TIMEOUT_SECONDS},
         * {@code LLM_BACKOFF_BASE_SECONDS}, {@code LLM_BACKOFF_MAX_SECONDS},
         * {@code LLM_FALLBACK_MODELS}, {@code LLM_FAIL_OPEN}, {@code LLM_MAX_WAITING_CALLS},
         * {@code LLM_ADAPTIVE_CONCURRENCY}, {@code LLM_RETRY_BUDGET_PERCENT},
         * {@code LLM_RETRY_BUDGET_MIN_PER_SECOND}, the stream variables
         * ({@link StreamPolicy#withSettings}) and the backend's
         * {@link #concurrencyVariable(String) concurrency variable}; unset ones keep their current
         * values.
         *
         * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming a bad variable
         */
        public Builder applySettings(Settings settings) {
            maxAttempts = settings.positiveInt(LLM_MAX_ATTEMPTS, maxAttempts);
            deadline = settings.seconds(LLM_TIMEOUT_SECONDS).orElse(deadline);
            settings.seconds(LLM_ATTEMPT_TIMEOUT_SECONDS).ifPresent(t -> attemptTimeout = t);
            Duration base = settings.seconds(LLM_BACKOFF_BASE_SECONDS).orElse(backoff.base());
            Duration cap = settings.seconds(LLM_BACKOFF_MAX_SECONDS).orElse(backoff.cap());
            if (cap.compareTo(base) < 0) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        LLM_BACKOFF_MAX_SECONDS.name() + " (" + cap.toMillis() / 1000.0
                                + " s) must not be smaller than "
                                + LLM_BACKOFF_BASE_SECONDS.name()
                                + " (" + base.toMillis() / 1000.0 + " s)");
            }
            backoff = new Backoff(base, backoff.factor(), cap);
            settings.get(LLM_FALLBACK_MODELS)
                    .ifPresent(v -> fallbackModels = Arrays.stream(v.split(","))
                            .map(String::strip)
                            .filter(m -> !m.isEmpty())
                            .toList());
            failOpen = settings.flag(LLM_FAIL_OPEN, failOpen);
            maxWaitingCalls = settings.positiveInt(LLM_MAX_WAITING_CALLS, maxWaitingCalls);
            SpendingBudget.fromSettings(settings).ifPresent(b -> budget = b);
            maxConcurrentCalls = settings.positiveInt(concurrencyVariable(delegate.backend()), maxConcurrentCalls);
            boolean adaptive = settings.flag(LLM_ADAPTIVE_CONCURRENCY, adaptiveConcurrency != null);
            adaptiveConcurrency =
                    adaptive ? (adaptiveConcurrency != null ? adaptiveConcurrency : AdaptiveConcurrency.DEFAULT) : null;
            double percent = settings.get(LLM_RETRY_BUDGET_PERCENT)
                    .map(v -> nonNegative(v, LLM_RETRY_BUDGET_PERCENT.name()))
                    .orElse(retryBudget.ratio() * 100);
            int perSecond = settings.get(LLM_RETRY_BUDGET_MIN_PER_SECOND)
                    .map(v -> (int) Math.min(Integer.MAX_VALUE, nonNegative(v, LLM_RETRY_BUDGET_MIN_PER_SECOND.name())))
                    .orElse(retryBudget.minPerSecond());
            retryBudget = new RetryBudget(percent / 100, perSecond, retryBudget.window());
            streamPolicy = streamPolicy.withSettings(settings);
            return this;
        }

        /**
         * Sets how streamed calls are watched: the time limits to the first output and between
         * chunks, whether a stream that failed after its output began is restarted, and whether
         * ordinary calls are sent as streams (default {@link StreamPolicy#DEFAULT}).
         *
         * <pre>{@code
         * ResilientChatClient.builder(backend)
         *     .streamPolicy(StreamPolicy.DEFAULT.withIdleTimeout(Duration.ofSeconds(20)).withStallProtection(true))
         *     .build();
         * }</pre>
         */
        public Builder streamPolicy(StreamPolicy streamPolicy) {
            this.streamPolicy = Objects.requireNonNull(streamPolicy, "streamPolicy");
            return this;
        }

        private static double nonNegative(String value, String variable) {
            try {
                double d = Double.parseDouble(value.strip());
                if (d >= 0 && Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below with the variable's name
            }
            throw new LlmException(
                    ErrorCategory.CONFIGURATION, variable + " must be 0 or a positive number, was '" + value + "'");
        }

        /** Sets the attempts per model, the first included (default 5; 1 disables retries). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the backoff (default 1 s doubling up to 30 s, full jitter). Its cap bounds the
         * computed waits only: a server's longer {@code Retry-After} is waited out within the deadline.
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Sets the whole-call deadline (default 600 s); {@link ChatRequest#timeout()} overrides it per call. */
        public Builder deadline(Duration deadline) {
            this.deadline = positive("deadline", deadline);
            return this;
        }

        /** Sets the time limit of one attempt (default: whatever remains of the deadline). */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout == null ? null : positive("attemptTimeout", attemptTimeout);
            return this;
        }

        /** Sets the models tried after a request's own model, for requests that name none. */
        public Builder fallbackModels(List<String> models) {
            List<String> copy = new ArrayList<>();
            for (String m : models) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("fallback model ids must not be blank: " + models);
                }
                copy.add(m.strip());
            }
            this.fallbackModels = copy;
            return this;
        }

        /**
         * Sets the spending budget asked before every attempt and charged with every reply
         * (default none; {@code LLM_BUDGET_*} and {@code LLM_SESSION_BUDGET_*} set one). One budget
         * may be shared by several clients.
         */
        public Builder budget(SpendingBudget budget) {
            this.budget = budget;
            return this;
        }

        /** Makes a failed call return an empty {@link ChatResponse#failed() failed} reply instead of throwing. */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        /**
         * Sets the bulkhead size: attempts in flight at once (default: what the backend suggests
         * through {@link BackendDefaults}, else 10).
         */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            if (maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("maxConcurrentCalls must be at least 1, was " + maxConcurrentCalls);
            }
            this.maxConcurrentCalls = maxConcurrentCalls;
            return this;
        }

        /**
         * Turns adaptive concurrency on with the default settings ({@link AdaptiveConcurrency#DEFAULT},
         * the default), or off: on, each model's limit follows the provider's overload signals
         * between 1 and {@link #maxConcurrentCalls}, the ceiling; off, the bulkhead is fixed at
         * {@link #maxConcurrentCalls}.
         */
        public Builder adaptiveConcurrency(boolean on) {
            this.adaptiveConcurrency = on ? AdaptiveConcurrency.DEFAULT : null;
            return this;
        }

        /** Turns adaptive concurrency on with these settings; see {@link AdaptiveConcurrency}. */
        public Builder adaptiveConcurrency(AdaptiveConcurrency adaptiveConcurrency) {
            this.adaptiveConcurrency = Objects.requireNonNull(adaptiveConcurrency, "adaptiveConcurrency");
            return this;
        }

        /**
         * Sets the retry budget (default {@link RetryBudget#DEFAULT}: 20 % of calls plus 10 a second
         * over 10 s; {@link RetryBudget#UNLIMITED} for none).
         */
        public Builder retryBudget(RetryBudget retryBudget) {
            this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
            return this;
        }

        /** Sets how many calls may wait for a permit before new ones fail at once (default 100,000). */
        public Builder maxWaitingCalls(int maxWaitingCalls) {
            if (maxWaitingCalls < 0) {
                throw new IllegalArgumentException("maxWaitingCalls must not be negative, was " + maxWaitingCalls);
            }
            this.maxWaitingCalls = maxWaitingCalls;
            return this;
        }

        /** Sets the source of backoff jitter, e.g. a seeded {@code Random} for reproducible runs (must be thread-safe). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Sets where calls read the time and set their timers (default the real clock and the
         * shared timer). Package-private: only this package's tests replace the time, to assert
         * waits instead of sleeping through them.
         */
        Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets where large steps of an adaptive limit are reported instead of INFO on this class's
         * logger. Package-private: for this package's tests, which run with logging at WARN.
         */
        Builder limitLog(java.util.function.Consumer<String> limitLog) {
            this.limitLog = Objects.requireNonNull(limitLog, "limitLog");
            return this;
        }

        /** Returns the client. */
        public ResilientChatClient build() {
            return new ResilientChatClient(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
