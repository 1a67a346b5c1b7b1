package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.internal.AbandonableFuture;
import io.github.llmbridge.core.internal.AttemptIds;
import io.github.llmbridge.core.internal.errors.StatusText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical call through a {@link ResilientChatClient}: its deadline, the models to try, the
 * attempt history, and whatever is pending right now (a permit wait or an HTTP attempt), so the
 * deadline or the caller can cancel it. Resilience4j's {@code Retry} runs the attempts of each
 * model; this class answers its two questions (retry this failure? wait how long?) for this call.
 * It reads the time and sets its timers (the deadline, each retry's wait) only through the
 * client's {@link Scheduler}, so tests can run it on virtual time.
 */
final class ResilientCall {

    private static final Logger log = LoggerFactory.getLogger(ResilientChatClient.class);
    /** Categories after which another model would fail the same way, so no fallback is tried. */
    private static final Set<ErrorCategory> NO_FALLBACK = Set.of(
            ErrorCategory.AUTHENTICATION,
            ErrorCategory.BAD_REQUEST,
            ErrorCategory.CONFIGURATION,
            ErrorCategory.CANCELLED,
            ErrorCategory.BUDGET_EXHAUSTED);
    /** Extra time an attempt bounded by the deadline gets, so the deadline timer is what ends it. */
    private static final long DEADLINE_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ResilientChatClient client;
    private final ChatRequest request;
    private final LlmSession session;
    private final List<String> models;
    private final Duration deadline;
    private final long startNanos;
    private final long deadlineNanos;
    private final AbandonableFuture<ChatResponse> result = new AbandonableFuture<>(this::abandonedByCaller);

    // Guarded by this.
    private final List<Attempt> history = new ArrayList<>(2);
    private boolean done;
    private ScheduledFuture<?> timer;
    private CompletableFuture<?> pending;
    private String attemptModel;
    private String attemptCallId;
    private int attemptLimit;
    private boolean firstSent;
    private Instant attemptStart;
    private long attemptStartNanos;
    private boolean attemptOpen;
    private String gaveUpBecause;
    private boolean refusedByBulkhead;

    /** How one attempt is made: the delegate's {@code chatAsync}, or a watched stream ({@link StreamAttempts}). */
    private final Function<ChatRequest, CompletableFuture<ChatResponse>> attempt;

    ResilientCall(ResilientChatClient client, ChatRequest request) {
        this(client, request, client.delegate::chatAsync);
    }

    ResilientCall(
            ResilientChatClient client,
            ChatRequest request,
            Function<ChatRequest, CompletableFuture<ChatResponse>> attempt) {
        this.attempt = attempt;
        this.client = client;
        this.request = request;
        this.session = LlmSession.current().orElse(null);
        this.models = modelsOf(request, client.fallbackModels);
        this.deadline = request.timeout().orElse(client.deadline);
        this.startNanos = client.scheduler.nanoTime();
        this.deadlineNanos = startNanos + Math.min(deadline.toNanos(), Long.MAX_VALUE / 4);
    }

    CompletableFuture<ChatResponse> start() {
        LlmException refused = budgetRefusal(request.model());
        if (refused != null) {
            synchronized (this) {
                done = true; // refused before any attempt: no deadline to arm, nothing to cancel
            }
            finish(refused, List.of());
            return result;
        }
        ScheduledFuture<?> t = client.scheduler.schedule(this::deadlinePassed, deadlineNanos - startNanos);
        synchronized (this) {
            timer = t;
            if (done) {
                t.cancel(false);
            }
        }
        tryModel(0);
        return result;
    }

    // ---- models, fallback and the outcome ----

    private void tryModel(int index) {
        String model = models.get(index);
        CompletionStage<ChatResponse> outcome;
        try {
            outcome = client.retry.executeCompletionStage(client.retryScheduler, () -> attempt(model));
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((response, failure) -> {
            if (failure == null) {
                succeed(response);
                return;
            }
            LlmException error = unwrap(failure);
            if (index + 1 < models.size() && fallbackAllowed(error)) {
                client.stats.fallbacks.increment();
                synchronized (this) {
                    gaveUpBecause = null; // the next model's story starts afresh
                }
                log.warn(
                        "{} failed for {} ({}); falling back to {}",
                        model,
                        client.backend(),
                        summary(error),
                        models.get(index + 1));
                tryModel(index + 1);
            } else {
                fail(error);
            }
        });
    }

    private synchronized boolean fallbackAllowed(LlmException error) {
        return !done
                && !refusedByBulkhead
                && deadlineNanos - client.scheduler.nanoTime() > 0
                && !NO_FALLBACK.contains(error.category());
    }

    private void succeed(ChatResponse response) {
        List<Attempt> attempts;
        synchronized (this) {
            if (done) {
                return; // the deadline or the caller ended the call first
            }
            done = true;
            cancelTimer();
            attempts = List.copyOf(history);
        }
        client.stats.successes.increment();
        ChatResponse.Builder b = response.toBuilder().attempts(attempts);
        if (response.model().isEmpty() && !attempts.isEmpty()) {
            b.model(attempts.get(attempts.size() - 1).model());
        }
        result.settle(b.build());
    }

    private void fail(LlmException error) {
        List<Attempt> attempts;
        String reason;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            cancelTimer();
            attempts = List.copyOf(history);
            reason = gaveUpBecause;
        }
        finish(withHistory(error, attempts, reason), attempts);
    }

    private void finish(LlmException error, List<Attempt> attempts) {
        client.stats.failed(error.category());
        if (!client.failOpen) {
            result.settleExceptionally(error);
            return;
        }
        log.warn(
                "{} call to {} failed after {} attempt(s), returning an empty reply (fail-open): {}",
                client.backend(),
                request.model(),
                attempts.size(),
                error.getMessage());
        result.settle(ChatResponse.builder()
                .model(error.model().isEmpty() ? request.model() : error.model())
                .backend(client.backend())
                .attempts(attempts)
                .error(error)
                .latency(Duration.ofNanos(client.scheduler.nanoTime() - startNanos))
                .build());
    }

    private static LlmException withHistory(LlmException error, List<Attempt> attempts, String gaveUpBecause) {
        String message = error.getMessage();
        if (gaveUpBecause != null) {
            message += " (not retried: " + gaveUpBecause + "; " + attempts.size() + " attempt(s) made)";
        } else if (attempts.size() > 1) {
            message += " (gave up after " + attempts.size() + " attempts)";
        }
        return error.toBuilder()
                .message(message)
                .attemptCount(attempts.size())
                .attempts(attempts)
                .build();
    }

    // ---- one attempt: permit, then HTTP ----

    /** The supplier Resilience4j calls for each attempt (retries on a completions thread); never throws. */
    private CompletionStage<ChatResponse> attempt(String model) {
        synchronized (this) {
            if (done) {
                return CompletableFuture.failedFuture(new AttemptFailure(this, cancelledError()));
            }
        }
        CompletableFuture<ChatResponse> outcome = new CompletableFuture<>();
        acquireAndSend(model, outcome);
        return outcome;
    }

    // whenComplete is a listener here: every path of the callback completes outcome, which the retry waits on.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void acquireAndSend(String model, CompletableFuture<ChatResponse> outcome) {
        CompletableFuture<PermitQueue.Permit> permit;
        try {
            permit = client.permits.acquire(model);
        } catch (Throwable t) {
            outcome.completeExceptionally(new AttemptFailure(this, LlmException.from(t)));
            return;
        }
        if (!permit.isDone()) {
            synchronized (this) {
                pending = permit;
                if (done) {
                    permit.cancel(false);
                }
            }
        }
        permit.whenComplete((granted, refused) -> {
            if (refused == null) {
                send(model, granted, outcome);
                return;
            }
            if (withoutCompletionWrappers(refused) instanceof PermitQueue.Rejected rejected) {
                synchronized (this) {
                    refusedByBulkhead = true; // overloaded here: another model would queue behind the same permits
                }
                outcome.completeExceptionally(new AttemptFailure(
                        this,
                        rejected.error.toBuilder()
                                .backend(client.backend())
                                .model(model)
                                .build()));
            } else {
                outcome.completeExceptionally(new AttemptFailure(this, unwrap(refused)));
            }
        });
    }

    /** Sends one attempt while holding a permit; every path releases it exactly once and completes {@code outcome}. */
    // whenComplete is a listener here: it releases the permit and completes outcome, which the retry waits on.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void send(String model, PermitQueue.Permit permit, CompletableFuture<ChatResponse> outcome) {
        // Checked with the permit held, so at most the bulkhead's size of calls can pass the limit.
        LlmException refused = budgetRefusal(model);
        if (refused != null) {
            permit.release(null, null); // nothing was sent: no signal for the concurrency limit
            outcome.completeExceptionally(new AttemptFailure(this, refused));
            return;
        }
        long now = client.scheduler.nanoTime();
        boolean first;
        synchronized (this) {
            if (done) {
                permit.release(null, null);
                outcome.completeExceptionally(new AttemptFailure(this, cancelledError()));
                return;
            }
            attemptModel = model;
            attemptCallId = null;
            attemptLimit = permit.limit();
            attemptStart = client.scheduler.now();
            attemptStartNanos = now;
            attemptOpen = true;
            first = !firstSent;
            firstSent = true;
        }
        if (first) {
            client.retryTokens.callSent(now); // what the retry budget is a share of
        }
        CompletableFuture<ChatResponse> exchange;
        try (LlmSession.Scope ignored = session == null ? null : session.attach();
                AttemptIds.Offer id = AttemptIds.offer()) {
            try {
                exchange = attempt.apply(request.forAttempt(model, attemptLimit(deadlineNanos - now)));
            } finally {
                synchronized (this) {
                    attemptCallId = id.takenId(); // known before any answer: recorded even if none comes
                }
            }
            if (exchange == null) {
                exchange = CompletableFuture.failedFuture(LlmException.builder(
                                ErrorCategory.INVALID_RESPONSE, client.delegate + " returned no future for the call")
                        .backend(client.backend())
                        .model(model)
                        .retryable(false)
                        .build());
            }
        } catch (Throwable t) {
            // Also Errors: escaping here would leave the permit taken and the call hanging until its deadline.
            exchange = CompletableFuture.failedFuture(
                    t instanceof LlmException e
                            ? e
                            : LlmException.builder(
                                            ErrorCategory.INVALID_RESPONSE, client.backend() + " backend threw " + t)
                                    .backend(client.backend())
                                    .model(model)
                                    .retryable(false)
                                    .cause(t)
                                    .build());
        }
        synchronized (this) {
            pending = exchange;
            if (done) {
                exchange.cancel(true);
            }
        }
        exchange.whenComplete((response, failure) -> {
            LlmException error = failure == null ? null : unwrap(failure);
            if (error == null && response != null && client.budget != null) {
                // Charged before the permit is returned: a call that takes it next sees this spend, so
                // at most the bulkhead's size of calls is ever in flight past the limit. Charged per
                // answered attempt, since the provider bills it even if the caller's deadline has passed.
                client.budget.charge(session, response);
            }
            // Released before any backoff wait, so another call may use it meanwhile; the outcome moves the limit.
            permit.release(failure == null ? response : null, error);
            recordAttempt(error);
            if (error == null) {
                outcome.complete(response);
            } else {
                outcome.completeExceptionally(new AttemptFailure(this, error));
            }
        });
    }

    /** The spending budget's refusal of an attempt of {@code model}, {@code null} when there is room or no budget. */
    private LlmException budgetRefusal(String model) {
        return client.budget == null ? null : client.budget.refusal(session, client.backend(), model);
    }

    private Duration attemptLimit(long remainingNanos) {
        Duration own = client.attemptTimeout;
        if (own != null && own.toNanos() < remainingNanos) {
            return own;
        }
        return Duration.ofNanos(Math.max(remainingNanos, 1) + DEADLINE_SLACK_NANOS);
    }

    private synchronized void recordAttempt(LlmException error) {
        if (!attemptOpen) {
            return; // the deadline already recorded it as cut off
        }
        attemptOpen = false;
        Duration took = Duration.ofNanos(client.scheduler.nanoTime() - attemptStartNanos);
        history.add((error == null
                        ? Attempt.succeeded(attemptModel, attemptStart, took, 200)
                        : Attempt.failed(attemptModel, attemptStart, took, error))
                .withSending(attemptCallId, attemptLimit));
    }

    // ---- the retry's questions ----

    /** Resilience4j's retry predicate: is this failure worth another attempt of the same model? */
    synchronized boolean mayRetry(LlmException error) {
        return !done && error.isRetryable();
    }

    /**
     * Resilience4j's interval: the wait before the next attempt in milliseconds, or -1 to stop
     * because the wait would end past the deadline.
     */
    long nextWaitMillis(int failedAttempts, LlmException error) {
        // A server's Retry-After is waited out in full, even past the backoff cap: retrying earlier
        // would only be refused again. The deadline alone bounds it.
        Duration wait = error.retryAfter()
                .orElseGet(() -> client.backoff.wait(
                        failedAttempts, client.random != null ? client.random : ThreadLocalRandom.current()));
        String model;
        synchronized (this) {
            if (done) {
                return -1;
            }
            long now = client.scheduler.nanoTime();
            long remaining = deadlineNanos - now;
            if (wait.toNanos() >= remaining) {
                gaveUpBecause = "waiting " + seconds(wait)
                        + (error.retryAfter().isPresent() ? " as the server asked" : "")
                        + " would pass the call's deadline (" + seconds(Duration.ofNanos(Math.max(0, remaining)))
                        + " left of " + seconds(deadline) + ")";
                return -1;
            }
            if (!client.retryTokens.tryRetry(now)) {
                gaveUpBecause = client.retryTokens.describe(now);
                client.stats.retriesRefused.increment();
                return -1;
            }
            int last = history.size() - 1;
            if (last >= 0) {
                history.set(last, history.get(last).withWaitAfter(wait));
            }
            model = attemptModel;
        }
        client.stats.retries.increment();
        log.warn(
                "attempt {}/{} for {} failed: {}; retrying in {}",
                failedAttempts,
                client.maxAttempts,
                model,
                summary(error),
                seconds(wait));
        return (wait.toNanos() + 999_999) / 1_000_000;
    }

    // ---- endings not decided by an attempt ----

    private void deadlinePassed() {
        List<Attempt> attempts;
        CompletableFuture<?> cutOff;
        String where;
        String model;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            model = attemptModel != null ? attemptModel : request.model();
            if (attemptOpen) {
                attemptOpen = false;
                history.add(new Attempt(
                                attemptModel,
                                attemptStart,
                                Duration.ofNanos(client.scheduler.nanoTime() - attemptStartNanos),
                                0,
                                ErrorCategory.TIMEOUT,
                                Duration.ZERO)
                        .withSending(attemptCallId, attemptLimit));
                where = "during attempt " + history.size() + " to " + model;
            } else if (pending != null && !pending.isDone()) {
                int limit = client.permits.limit(model);
                where = "while waiting for one of " + limit + " concurrency permits"
                        + (limit < client.permits.size()
                                ? " (the adaptive limit of " + model + "; ceiling " + client.permits.size() + ")"
                                : "");
            } else if (!history.isEmpty()) {
                where = "while waiting to retry after attempt " + history.size();
            } else {
                where = "before the first attempt";
            }
            attempts = List.copyOf(history);
            cutOff = pending;
        }
        if (cutOff != null) {
            cutOff.cancel(true); // aborts the HTTP exchange, or leaves the permit queue
        }
        LlmException timeout = LlmException.builder(
                        ErrorCategory.TIMEOUT,
                        client.backend() + " call to " + model
                                + " did not finish within its deadline of " + seconds(deadline) + " (" + where
                                + "); raise "
                                + "LLM_TIMEOUT_SECONDS or set ChatRequest.timeout(...) if the model needs longer")
                .backend(client.backend())
                .model(model)
                .retryable(false)
                .attemptCount(attempts.size())
                .attempts(attempts)
                .build();
        finish(timeout, attempts);
    }

    private void abandonedByCaller() {
        CompletableFuture<?> cutOff;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            cancelTimer();
            cutOff = pending;
            attemptOpen = false;
        }
        client.stats.failed(ErrorCategory.CANCELLED);
        if (cutOff != null) {
            cutOff.cancel(true);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private LlmException cancelledError() {
        return LlmException.builder(ErrorCategory.CANCELLED, "the call ended before this attempt started")
                .backend(client.backend())
                .model(request.model())
                .build();
    }

    // ---- helpers ----

    private static List<String> modelsOf(ChatRequest request, List<String> defaultFallbacks) {
        if (request.fallbackModels().isEmpty() && defaultFallbacks.isEmpty()) {
            return List.of(request.model()); // the usual case, on every call: no set to build
        }
        Set<String> models = new LinkedHashSet<>();
        models.add(request.model());
        models.addAll(request.fallbackModels().isEmpty() ? defaultFallbacks : request.fallbackModels());
        return List.copyOf(models);
    }

    private static LlmException unwrap(Throwable failure) {
        Throwable t = withoutCompletionWrappers(failure);
        return t instanceof AttemptFailure f ? f.error : LlmException.from(t);
    }

    private static Throwable withoutCompletionWrappers(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String summary(LlmException error) {
        if (error.httpStatus().isPresent()) {
            return StatusText.describe(error.httpStatus().getAsInt());
        }
        String message = error.getMessage();
        return error.category() + ": " + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
