package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.RateLimitHeaders;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the permits of a Resilience4j {@code SemaphoreBulkhead} in arrival order without
 * parking a thread per waiting call: a call that finds no permit free gets a future that the
 * thread releasing a permit completes. The bulkhead itself never waits ({@code maxWaitDuration}
 * 0); this queue is the waiting room, bounded so a runaway producer fails fast instead of
 * filling the heap.
 *
 * <p>Each model has a lane with its own {@link ConcurrencyLimit} below the bulkhead's size: a call
 * takes a permit when its model is under its limit (and not paused by the provider's rate-limit
 * headers) and the bulkhead has one free. Waiting calls are served in arrival order across
 * models, skipping a model that is at its limit, so one model's 429s never hold up another's calls.
 * A permit is released with its attempt's outcome, which is what moves the limit.
 *
 * <p>Granting a permit starts the waiting call on the granting thread, and that call may finish
 * (and release, and start the next one) before the grant returns. So granting is a loop guarded
 * per queue and per thread: a grant or release that re-enters on the same thread only asks the
 * running loop to go round again, and the stack stays flat however long the queue.
 */
final class PermitQueue {

    private static final Logger log = LoggerFactory.getLogger(ResilientChatClient.class);

    /** Why a call was refused a place in the queue; never reaches a caller (the call unwraps {@link #error}). */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient LlmException error;

        Rejected(LlmException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /** A granted permit: release it exactly once, with the outcome of the attempt it carried. */
    final class Permit {
        private final Lane lane;
        private final int limit;
        private final long epoch;
        private final long grantedNanos;
        /** Which of its lane's permits this is, in grant order. */
        private final long seq;

        private boolean released; // guarded by the queue

        private Permit(Lane lane, long seq) {
            this.lane = lane;
            this.seq = seq;
            this.limit = lane.limit.current();
            this.epoch = lane.limit.epoch();
            this.grantedNanos = scheduler.nanoTime();
        }

        /** Returns the model's concurrency limit when this permit was granted. */
        int limit() {
            return limit;
        }

        /**
         * Returns the permit: a success or an overload signal moves the model's limit, a reply's
         * rate-limit headers may pause the model, anything else (nothing sent, a timeout, a bad
         * request) leaves both alone.
         *
         * @param reply   the attempt's reply, or {@code null}
         * @param failure the attempt's failure, or {@code null}
         */
        void release(ChatResponse reply, LlmException failure) {
            PermitQueue.this.release(this, reply, failure);
        }
    }

    /** A queued call; {@code counted} (guarded by the queue) says it is still in {@link #liveWaiters}. */
    private static final class Waiter extends CompletableFuture<Permit> {
        final Lane lane;
        final long arrival;
        boolean counted = true;

        Waiter(Lane lane, long arrival) {
            this.lane = lane;
            this.arrival = arrival;
        }
    }

    /** One model's limit, permits in use and waiting calls; guarded by the queue. */
    private static final class Lane {
        final String model;
        final ConcurrencyLimit limit;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        int inUse;
        /** Permits among {@link #inUse} held back after a refusal, no longer on the wire. */
        int coolingDown;
        /** Whether new calls wait for the provider's window to reset (its refill rate unknown). */
        boolean paused;
        /** When that pause ends (scheduler nanos); valid while paused. */
        long pausedUntil;
        /** The provider's window as its rate-limit headers describe it, when they give its refill. */
        final ProviderWindow window = new ProviderWindow();
        /** Permits granted so far, so a reply can tell how many calls were sent after its own. */
        long granted;
        /** The timer that looks again when a pause or the window ends; {@code null} when none. */
        ScheduledFuture<?> resume;

        long resumeAt;
        /** Smoothed total tokens per successful call, for the token window; 0 until known. */
        double tokensPerCall;
        /** The limit last logged at INFO. */
        int logged;

        Lane(String model, ConcurrencyLimit limit) {
            this.model = model;
            this.limit = limit;
            this.logged = limit.current();
        }

        boolean hasRoom(Scheduler time) {
            return !paused && inUse < limit.current() && (!window.known() || window.available(time.nanoTime()) >= 1);
        }

        /** Calls of this model still wanting a permit (the counted waiters). */
        int live;

        /** Returns how many calls of this model still want a permit. */
        int waiting() {
            return live;
        }

        void dropAbandonedHead() {
            while (!waiters.isEmpty() && waiters.peekFirst().isDone()) {
                waiters.pollFirst(); // abandoned: abandoned() already took it off the count
            }
        }
    }

    private final String backend;
    private final Bulkhead bulkhead;
    private final int maxWaiting;
    private final AdaptiveConcurrency adaptive;
    private final Scheduler scheduler;
    /** Where a large step of a limit is reported: INFO on this class's logger, a list in tests. */
    private final Consumer<String> limitLog;

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** Per queue, so one client's grant loop never swallows another client's release. */
    private final ThreadLocal<Drain> drainState = ThreadLocal.withInitial(Drain::new);
    /** Waiters still wanting a permit; abandoned ones stay in the deques until dequeued. */
    private int liveWaiters;

    private long arrivals;

    /**
     * @param adaptive how each model's limit adapts, or {@code null} for the bulkhead size
     * @param scheduler the time and timers (a refused permit's cool-down, a pause's end)
     * @param limitLog  where a large step of a limit is reported ({@code null}: INFO)
     */
    PermitQueue(
            String backend,
            int maxConcurrentCalls,
            int maxWaiting,
            AdaptiveConcurrency adaptive,
            Scheduler scheduler,
            Consumer<String> limitLog) {
        this.backend = backend;
        this.bulkhead = Bulkhead.of(
                backend,
                BulkheadConfig.custom()
                        .maxConcurrentCalls(maxConcurrentCalls)
                        .maxWaitDuration(Duration.ZERO)
                        .writableStackTraceEnabled(false)
                        .build());
        this.maxWaiting = maxWaiting;
        this.adaptive = adaptive;
        this.scheduler = scheduler;
        this.limitLog = limitLog != null ? limitLog : log::info;
    }

    /**
     * Returns a future completed when the caller holds a permit for a call to {@code model}: at
     * once when the model is under its limit, nobody of its model is waiting and the bulkhead has
     * one free, else when its turn comes. The future fails at once with {@link Rejected} when the
     * queue is full. A caller that no longer wants the permit completes or cancels the future; if
     * the permit was already granted it must {@link Permit#release release} it.
     */
    // whenComplete is a listener here: it only drops an abandoned waiter; the caller holds the waiter itself.
    @SuppressWarnings("FutureReturnValueIgnored")
    CompletableFuture<Permit> acquire(String model) {
        Waiter waiter;
        synchronized (this) {
            Lane lane = lane(model);
            lane.dropAbandonedHead();
            if (lane.waiters.isEmpty() && lane.hasRoom(scheduler) && bulkhead.tryAcquirePermission()) {
                return CompletableFuture.completedFuture(grant(lane));
            }
            if (liveWaiters >= maxWaiting) {
                return CompletableFuture.failedFuture(new Rejected(queueFull()));
            }
            waiter = new Waiter(lane, arrivals++);
            lane.waiters.addLast(waiter);
            liveWaiters++;
            lane.live++;
        }
        waiter.whenComplete((ok, failure) -> {
            if (failure != null) {
                abandoned(waiter);
            }
        });
        // Normally a releasing thread grants it; this covers a permit freed while we enqueued.
        drain();
        return waiter;
    }

    /** Returns how many calls are waiting for a permit. */
    synchronized int waiting() {
        return liveWaiters;
    }

    /** Returns how many permits are taken. */
    int inUse() {
        Bulkhead.Metrics m = bulkhead.getMetrics();
        return m.getMaxAllowedConcurrentCalls() - m.getAvailableConcurrentCalls();
    }

    /** Returns the number of permits: the bulkhead size, the ceiling of every model's limit. */
    int size() {
        return bulkhead.getMetrics().getMaxAllowedConcurrentCalls();
    }

    /** Returns the concurrency limit of a model now (the bulkhead size until its first call). */
    synchronized int limit(String model) {
        Lane lane = lanes.get(model);
        return lane == null
                ? Math.min(size(), adaptive == null ? size() : adaptive.initialLimit())
                : lane.limit.current();
    }

    /** Returns whether adaptive limits are on. */
    boolean adaptive() {
        return adaptive != null;
    }

    /** Returns each model's limit, in the order the models were first called. */
    synchronized List<ConcurrencyStats> stats() {
        List<ConcurrencyStats> stats = new ArrayList<>(lanes.size());
        long now = scheduler.nanoTime();
        Instant wallNow = scheduler.now();
        for (Lane lane : lanes.values()) {
            int waiting = lane.live;
            stats.add(new ConcurrencyStats(
                    lane.model,
                    lane.limit.adaptive(),
                    lane.limit.current(),
                    lane.limit.ceiling(),
                    lane.inUse,
                    waiting,
                    lane.limit.drops(),
                    lane.limit.decreases(),
                    lane.limit.recentDecreases(),
                    pausedUntil(lane, now, wallNow)));
        }
        return stats;
    }

    /** Fails every waiting call, e.g. when the client closes. */
    void failWaiting(LlmException failure) {
        List<Waiter> all = new ArrayList<>();
        synchronized (this) {
            for (Lane lane : lanes.values()) {
                all.addAll(lane.waiters);
                lane.waiters.clear();
                if (lane.resume != null) {
                    lane.resume.cancel(false);
                }
            }
        }
        for (Waiter w : all) {
            w.completeExceptionally(failure);
        }
    }

    // ---- granting and releasing ----

    /** Takes a permit of the lane; the caller has taken one of the bulkhead. */
    private Permit grant(Lane lane) {
        lane.inUse++;
        Permit permit = new Permit(lane, lane.granted++);
        if (lane.window.known()) {
            long now = scheduler.nanoTime();
            lane.window.take(now);
            long wait = lane.window.nanosUntilOne(now);
            if (wait > 0) {
                resumeIn(lane, wait, now); // the next call waits for the window to refill
            }
        }
        return permit;
    }

    /** Until when new calls of a lane wait for the provider's window, or {@code null}. */
    private static Instant pausedUntil(Lane lane, long now, Instant wallNow) {
        if (lane.paused) {
            return wallNow.plusNanos(Math.max(0, lane.pausedUntil - now));
        }
        long wait = lane.window.nanosUntilOne(now);
        return wait > 0 ? wallNow.plusNanos(wait) : null;
    }

    // The cool-down timer is never cancelled: when it fires, the permit it holds back is returned.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void release(Permit permit, ChatResponse reply, LlmException failure) {
        String logLine = null;
        Duration coolDown = Duration.ZERO;
        synchronized (this) {
            if (permit.released) {
                return;
            }
            permit.released = true;
            Lane lane = permit.lane;
            int inFlight = lane.inUse;
            String signal = failure == null ? null : failure.overloadSignal().orElse(null);
            if (reply != null) {
                long now = scheduler.nanoTime();
                lane.limit.onSuccess(inFlight, Duration.ofNanos(now - permit.grantedNanos), now, lane.waiting());
                long tokens = reply.usage().totalTokens();
                if (tokens > 0) {
                    lane.tokensPerCall = lane.tokensPerCall == 0 ? tokens : lane.tokensPerCall * 0.9 + tokens * 0.1;
                }
            } else if (signal != null) {
                int flight = inFlight - lane.coolingDown;
                ConcurrencyStats.Decrease d = lane.limit.onOverload(
                        signal,
                        permit.epoch,
                        flight,
                        failure.retryAfter().orElse(null),
                        scheduler.nanoTime(),
                        scheduler.now());
                if (d != null) {
                    coolDown = lane.limit.coolDown(failure.retryAfter().orElse(null));
                }
            }
            if (lane.limit.adaptive()) {
                pace(lane, permit, reply != null ? reply.headers() : failure != null ? failure.headers() : Map.of());
            }
            logLine = limitChange(lane, signal);
            if (coolDown.isZero()) {
                lane.inUse--;
            } else {
                lane.coolingDown++;
            }
        }
        if (logLine != null) {
            limitLog.accept(logLine);
        }
        if (coolDown.isZero()) {
            bulkhead.onComplete();
            drain();
        } else {
            // The refused permit stays taken for about a round trip: a provider that refuses at once
            // is not sent the next queued call the moment it refused this one.
            Lane lane = permit.lane;
            scheduler.schedule(
                    () -> {
                        synchronized (this) {
                            lane.coolingDown--;
                            lane.inUse--;
                        }
                        bulkhead.onComplete();
                        drain();
                    },
                    coolDown.toNanos());
        }
    }

    /**
     * Paces a model by the provider's rate-limit headers. When they give the window's size beside
     * what is left and when it is full again, the lane keeps an estimate of the window
     * ({@link ProviderWindow}) and sends no faster than it refills. When they do not, a reply
     * saying that the calls sent after it will use up what is left pauses new calls until the
     * window resets. Either way new calls wait instead of being refused.
     */
    private void pace(Lane lane, Permit permit, Map<String, String> headers) {
        if (headers.isEmpty()) {
            return;
        }
        RateLimitHeaders window = RateLimitHeaders.read(headers, scheduler.now());
        if (window.isEmpty()) {
            return;
        }
        long now = scheduler.nanoTime();
        long sentSince = Math.max(0, lane.granted - permit.seq - 1);
        if (window.remainingRequests() >= 0 && window.requestsReset() != null) {
            if (lane.window.observe(
                    window.remainingRequests(),
                    window.limitRequests(),
                    window.requestsReset().toNanos(),
                    now - permit.grantedNanos,
                    sentSince,
                    now)) {
                long wait = lane.window.nanosUntilOne(now);
                if (wait > 0) {
                    resumeIn(lane, wait, now);
                }
            } else if (window.remainingRequests() <= sentSince) {
                pauseFor(lane, window.requestsReset(), now);
            }
        }
        double tokensNeeded = lane.tokensPerCall * (sentSince + 1);
        if (window.remainingTokens() >= 0
                && window.tokensReset() != null
                && lane.tokensPerCall > 0
                && window.remainingTokens() < tokensNeeded) {
            pauseFor(
                    lane,
                    refill(
                            window.tokensReset(),
                            window.limitTokens(),
                            window.remainingTokens(),
                            tokensNeeded - window.remainingTokens()),
                    now);
        }
    }

    /**
     * How long until the window has refilled by {@code deficit}: a window that is full again in
     * {@code reset} after holding {@code remaining} of {@code limit} refills at
     * (limit - remaining) / reset, as a token bucket does; without the limit, the whole reset.
     */
    private static Duration refill(Duration reset, long limit, long remaining, double deficit) {
        if (limit <= remaining) {
            return reset;
        }
        double share = Math.min(1, Math.max(0, deficit) / (limit - remaining));
        return Duration.ofNanos(Math.round(reset.toNanos() * share));
    }

    private void pauseFor(Lane lane, Duration wait, long now) {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        long until = now + wait.toNanos();
        if (lane.paused && until <= lane.pausedUntil) {
            return;
        }
        lane.paused = true;
        lane.pausedUntil = until;
        resumeIn(lane, wait.toNanos(), now);
    }

    /** Makes sure the lane is looked at again within {@code delayNanos}. */
    private void resumeIn(Lane lane, long delayNanos, long now) {
        long due = now + delayNanos;
        if (lane.resume != null) {
            if (lane.resumeAt <= due) {
                return; // it looks again sooner, and schedules the rest then
            }
            lane.resume.cancel(false);
        }
        lane.resumeAt = due;
        lane.resume = scheduler.schedule(() -> resume(lane), delayNanos);
    }

    /** A pause or an empty window has (perhaps) ended: grant what may go, and look again if need be. */
    private void resume(Lane lane) {
        synchronized (this) {
            lane.resume = null;
            long now = scheduler.nanoTime();
            if (lane.paused && lane.pausedUntil <= now) {
                lane.paused = false;
            }
            if (lane.paused) {
                resumeIn(lane, lane.pausedUntil - now, now);
            } else if (lane.window.nanosUntilOne(now) > 0) {
                resumeIn(lane, lane.window.nanosUntilOne(now), now);
            }
        }
        drain();
    }

    /** The INFO line for a limit that moved by a large step since it was last logged, else {@code null}. */
    private String limitChange(Lane lane, String signal) {
        int now = lane.limit.current();
        int step = Math.abs(now - lane.logged);
        if (step == 0 || step < Math.max(2, lane.logged / 4)) {
            return null;
        }
        String line = "adaptive concurrency of " + backend + " model " + lane.model + ": limit " + lane.logged + " -> "
                + now + " (ceiling " + lane.limit.ceiling() + ", " + lane.limit.drops() + " drops so far"
                + (now < lane.logged && signal != null ? ", last on " + signal : "") + ")";
        lane.logged = now;
        return line;
    }

    private void drain() {
        Drain drain = drainState.get();
        if (drain.active) {
            drain.again = true; // the loop running lower on this thread's stack picks it up
            return;
        }
        drain.active = true;
        try {
            do {
                drain.again = false;
                grantWaiting();
            } while (drain.again);
        } finally {
            drain.active = false;
        }
    }

    private void grantWaiting() {
        while (true) {
            Waiter next;
            Permit permit;
            synchronized (this) {
                next = null;
                for (Lane lane : lanes.values()) {
                    lane.dropAbandonedHead();
                    Waiter head = lane.waiters.peekFirst();
                    if (head != null && lane.hasRoom(scheduler) && (next == null || head.arrival < next.arrival)) {
                        next = head;
                    }
                }
                if (next == null || !bulkhead.tryAcquirePermission()) {
                    return;
                }
                next.lane.waiters.pollFirst();
                if (next.counted) {
                    next.counted = false;
                    liveWaiters--;
                    next.lane.live--;
                }
                permit = grant(next.lane);
            }
            // Completed outside the lock: the waiter's attempt starts on this thread.
            if (!next.complete(permit)) {
                synchronized (this) {
                    permit.released = true; // abandoned just now: hand the permit on
                    permit.lane.inUse--;
                }
                bulkhead.onComplete();
            }
        }
    }

    private Lane lane(String model) {
        return lanes.computeIfAbsent(model, m -> new Lane(m, new ConcurrencyLimit(adaptive, size())));
    }

    private synchronized void abandoned(Waiter waiter) {
        if (waiter.counted) {
            waiter.counted = false;
            liveWaiters--;
            waiter.lane.live--;
        }
    }

    private LlmException queueFull() {
        return LlmException.builder(
                        ErrorCategory.RATE_LIMITED,
                        "bulkhead queue full: " + maxWaiting
                                + " calls are already waiting for one of " + size()
                                + " concurrency permits; slow down the caller,"
                                + " or raise LLM_MAX_WAITING_CALLS or the backend's *_MAX_CONCURRENT_CALLS")
                .retryable(false)
                .build();
    }

    private static final class Drain {
        boolean active;
        boolean again;
    }
}
