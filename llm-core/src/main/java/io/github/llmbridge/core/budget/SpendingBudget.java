package io.github.llmbridge.core.budget;

import static io.github.llmbridge.core.settings.CoreVariables.LLM_BUDGET_TOKENS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_BUDGET_USD;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_SESSION_BUDGET_TOKENS;
import static io.github.llmbridge.core.settings.CoreVariables.LLM_SESSION_BUDGET_USD;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spending limit for a client and, optionally, for each {@link LlmSession} (a training step,
 * an episode), so a misconfigured judge (a bigger model, a prompt 20x longer, a loop) cannot
 * spend a run's money in minutes. The resilience layer asks it before every attempt and charges
 * it with every reply: once an account is exhausted, new calls fail at once with
 * {@link ErrorCategory#BUDGET_EXHAUSTED}, before any HTTP request, without retry or fallback
 * (under fail-open they return a failed reply carrying that error).
 *
 * <pre>{@code
 * SpendingBudget budget = SpendingBudget.builder()
 *     .limit(SpendLimit.cost(5.00))                 // the whole client: $5
 *     .sessionLimit(SpendLimit.tokens(200_000))      // each session: 200k tokens
 *     .build();
 * ChatClient judge = ResilientChatClient.builder(backend).budget(budget).build();
 * }</pre>
 *
 * <p><b>What is counted.</b> Each reply adds its reported cost ({@link ChatResponse#cost()}:
 * OpenRouter's {@code usage.cost}, LiteLLM's cost header) and its tokens (the reported total, or
 * prompt plus completion). A cost limit can only count replies that carry a cost; a reply without
 * one is counted in {@link BudgetStats#uncostedCalls()} and logged once, so add a token limit where
 * the backend reports no cost. Failed calls are not charged: the backends report no usage for them.
 *
 * <p><b>Sessions.</b> With a session limit, every session has an account of its own, created at its
 * first call; a call counts in the account of its session and of every enclosing session, and is
 * refused when any of them is exhausted. The same limit on a step and on its episodes therefore
 * binds the step first; {@link #limitSession} gives one session a limit of its own (a step a larger
 * one, say). A new session starts at zero, which is how a budget is reset per step or episode;
 * {@link #reset()} resets every account on demand. Accounts go with their sessions (weakly held).
 *
 * <p><b>Overshoot.</b> Calls already in flight when an account is exhausted finish and are
 * charged, so the spend can pass the limit. The check runs when an attempt takes its concurrency
 * permit, so at most the bulkhead's size of calls ({@code <BACKEND>_MAX_CONCURRENT_CALLS}) can be
 * in flight past it: the overshoot is at most that many times the cost of the largest call
 * (which {@code max_tokens} bounds).
 *
 * <p>Warnings are logged at 50 % and 90 % of each limit, once each per account until it is reset.
 * Thread-safe.
 */
public final class SpendingBudget {

    private static final Logger log = LoggerFactory.getLogger(SpendingBudget.class);

    private final Account client;
    private final SpendLimit sessionLimit;
    private final Map<LlmSession, Account> sessions = Collections.synchronizedMap(new WeakHashMap<>());
    private final LongAdder refused = new LongAdder();
    private final LongAdder uncosted = new LongAdder();
    private final AtomicBoolean warnedNoCost = new AtomicBoolean();

    private SpendingBudget(Builder b) {
        this.client = new Account("the client", b.limit);
        this.sessionLimit = b.sessionLimit;
    }

    /** Starts a builder without limits. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the budget the variables ask for: {@code LLM_BUDGET_USD} and {@code LLM_BUDGET_TOKENS}
     * for the client, {@code LLM_SESSION_BUDGET_USD} and {@code LLM_SESSION_BUDGET_TOKENS} for each
     * session; empty when none is set.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming a variable that is not a positive number
     */
    public static Optional<SpendingBudget> fromSettings(Settings settings) {
        SpendLimit limit = limit(settings, LLM_BUDGET_USD, LLM_BUDGET_TOKENS);
        SpendLimit perSession = limit(settings, LLM_SESSION_BUDGET_USD, LLM_SESSION_BUDGET_TOKENS);
        if (!limit.isLimited() && !perSession.isLimited()) {
            return Optional.empty();
        }
        return Optional.of(builder().limit(limit).sessionLimit(perSession).build());
    }

    private static SpendLimit limit(Settings settings, ConfigVariable costVariable, ConfigVariable tokenVariable) {
        double cost = Double.POSITIVE_INFINITY;
        long tokens = Long.MAX_VALUE;
        Optional<String> rawCost = settings.get(costVariable);
        if (rawCost.isPresent()) {
            cost = parse(costVariable, rawCost.get());
        }
        Optional<String> rawTokens = settings.get(tokenVariable);
        if (rawTokens.isPresent()) {
            double parsed = parse(tokenVariable, rawTokens.get());
            if (parsed != Math.rint(parsed) || parsed >= Long.MAX_VALUE) {
                throw configError(tokenVariable, rawTokens.get(), "a whole number of tokens");
            }
            tokens = (long) parsed;
        }
        return new SpendLimit(cost, tokens);
    }

    private static double parse(ConfigVariable variable, String raw) {
        try {
            double value = Double.parseDouble(raw.replace("_", ""));
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the variable's name
        }
        throw configError(variable, raw, "a positive number");
    }

    private static LlmException configError(ConfigVariable variable, String raw, String expected) {
        return new LlmException(
                ErrorCategory.CONFIGURATION, variable.name() + " must be " + expected + ", was '" + raw + "'");
    }

    /**
     * Returns the refusal for a call about to be sent in {@code session} ({@code null} for none),
     * or {@code null} when every account it counts in has room. The resilience layer calls it
     * before each attempt.
     *
     * @param backend the backend, for the error
     * @param model   the model the attempt would ask, for the error
     */
    public LlmException refusal(LlmSession session, String backend, String model) {
        Account exhausted = client.exhausted() ? client : null;
        if (exhausted == null) {
            for (Account a : sessionAccounts(session, false)) {
                if (a.exhausted()) {
                    exhausted = a;
                    break;
                }
            }
        }
        if (exhausted == null) {
            return null;
        }
        refused.increment();
        LlmException error = LlmException.builder(ErrorCategory.BUDGET_EXHAUSTED, message(exhausted))
                .backend(backend)
                .model(model)
                .retryable(false)
                .attemptCount(0)
                .build();
        if (exhausted.firstRefusal()) {
            log.warn("{}: refusing new calls until it is reset", error.getMessage());
        }
        return error;
    }

    private String message(Account a) {
        SpendLimit limit = a.limit();
        Spend spent = a.spent();
        boolean byCost = limit.limitsCost() && spent.cost() >= limit.maxCost();
        boolean isClient = a == client;
        String variable = byCost
                ? (isClient ? LLM_BUDGET_USD : LLM_SESSION_BUDGET_USD).name()
                : (isClient ? LLM_BUDGET_TOKENS : LLM_SESSION_BUDGET_TOKENS).name();
        String what = byCost
                ? String.format(Locale.ROOT, "$%.4f of its $%.2f limit", spent.cost(), limit.maxCost())
                : spent.tokens() + " of its " + limit.maxTokens() + "-token limit";
        return "spending budget exhausted: " + a.name + " spent " + what + " in " + spent.calls() + " calls; raise "
                + variable + (isClient ? "" : " (or give the session a limit with SpendingBudget.limitSession)")
                + ", or reset the budget (SpendingBudget.reset())";
    }

    /**
     * Charges a reply to the client and to the accounts of {@code session} and its enclosing
     * sessions. A fail-open placeholder is not charged.
     */
    public void charge(LlmSession session, ChatResponse response) {
        Objects.requireNonNull(response, "response");
        if (response.failed()) {
            return;
        }
        long tokens = response.usage().totalTokens() > 0
                ? response.usage().totalTokens()
                : response.usage().promptTokens() + response.usage().completionTokens();
        double cost = response.cost().orElse(0);
        if (response.cost().isEmpty()) {
            uncosted.increment();
            if (client.limit().limitsCost() || sessionLimit.limitsCost()) {
                if (warnedNoCost.compareAndSet(false, true)) {
                    log.warn(
                            "{} reported no cost for a reply of {}: the cost limit cannot count such replies; add a"
                                    + " token limit ({}) to bound them",
                            response.backend(),
                            response.model(),
                            LLM_BUDGET_TOKENS.name());
                }
            }
        }
        chargeTo(client, cost, tokens);
        for (Account a : sessionAccounts(session, true)) {
            chargeTo(a, cost, tokens);
        }
    }

    private static void chargeTo(Account account, double cost, long tokens) {
        int crossed = account.charge(cost, tokens);
        if (crossed > 0) {
            log.warn(
                    "spending budget: {} has spent {} ({}% or more of its limit of {})",
                    account.name, account.spent(), crossed, account.limit());
        }
    }

    /** The limited accounts a call in {@code session} counts in, innermost first; created when {@code create}. */
    private List<Account> sessionAccounts(LlmSession session, boolean create) {
        if (session == null) {
            return List.of();
        }
        List<Account> accounts = new ArrayList<>(2);
        for (LlmSession s = session; s != null; s = s.parent().orElse(null)) {
            Account a = sessions.get(s);
            if (a == null && create && sessionLimit.isLimited()) {
                LlmSession key = s;
                a = sessions.computeIfAbsent(key, k -> new Account(describe(k), sessionLimit));
            }
            if (a != null) {
                accounts.add(a);
            }
        }
        return accounts;
    }

    private static String describe(LlmSession s) {
        return "session '" + s.name() + "' (" + s.uid() + ")";
    }

    /**
     * Gives one session a limit of its own instead of the default session limit (e.g. a step a
     * larger one than its episodes). What it already spent is kept.
     */
    public void limitSession(LlmSession session, SpendLimit limit) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(limit, "limit");
        sessions.computeIfAbsent(session, k -> new Account(describe(k), limit)).limit(limit);
    }

    /** Returns what the client spent since it was built or last reset. */
    public Spend spent() {
        return client.spent();
    }

    /** Returns what a session (and the sessions nested in it) spent, zero when it has no limit. */
    public Spend spent(LlmSession session) {
        Account a = sessions.get(Objects.requireNonNull(session, "session"));
        return a == null ? Spend.ZERO : a.spent();
    }

    /** Returns the client-wide limit. */
    public SpendLimit limit() {
        return client.limit();
    }

    /** Returns the default limit of each session ({@link SpendLimit#NONE} when sessions are not limited). */
    public SpendLimit sessionLimit() {
        return sessionLimit;
    }

    /** Sets every account, the client's and each session's, back to zero, and re-arms the warnings. */
    public void reset() {
        client.reset();
        synchronized (sessions) {
            sessions.values().forEach(Account::reset);
        }
        refused.reset();
        uncosted.reset();
        log.info("spending budget reset (limit {}, per session {})", client.limit(), sessionLimit);
    }

    /** Sets one session's account back to zero. */
    public void reset(LlmSession session) {
        Account a = sessions.get(Objects.requireNonNull(session, "session"));
        if (a != null) {
            a.reset();
        }
    }

    /** Returns the client-wide spend, the limit and the refusals. */
    public BudgetStats stats() {
        return new BudgetStats(client.spent(), client.limit(), refused.sum(), uncosted.sum());
    }

    /** Shows the limits and the spend. */
    @Override
    public String toString() {
        return "SpendingBudget[limit=" + client.limit() + ", perSession=" + sessionLimit + ", spent=" + client.spent()
                + "]";
    }

    /** Builds a {@link SpendingBudget}. */
    public static final class Builder {
        private SpendLimit limit = SpendLimit.NONE;
        private SpendLimit sessionLimit = SpendLimit.NONE;

        private Builder() {}

        /** Sets the limit of the whole client (default none). */
        public Builder limit(SpendLimit limit) {
            this.limit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** Sets the default limit of each {@link LlmSession} (default none). */
        public Builder sessionLimit(SpendLimit sessionLimit) {
            this.sessionLimit = Objects.requireNonNull(sessionLimit, "sessionLimit");
            return this;
        }

        /** Returns the budget. */
        public SpendingBudget build() {
            return new SpendingBudget(this);
        }
    }
}
