package io.github.llmbridge.core.settings;

import java.util.List;

/**
 * The configuration variables {@code llm-core} reads: the backend's name, resilience, transport,
 * HTTP proxies and the {@code mock} backend. Each constant is named like its variable, and the
 * code reads the variable through it, so a name is written once.
 */
public final class CoreVariables {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-core";

    /** Selects a backend by name; wins over the backends' own switches. */
    public static final ConfigVariable LLM_BACKEND = core("LLM_BACKEND")
            .meaning("backend by name (any registered provider, see ChatClients.availableBackends()); wins over the"
                    + " switch")
            .defaultValue("unset")
            .build();

    /** The whole-call deadline in seconds. */
    public static final ConfigVariable LLM_TIMEOUT_SECONDS = core("LLM_TIMEOUT_SECONDS")
            .orElse("LITELLM_DEFAULT_TIMEOUT")
            .meaning("deadline of a whole call in seconds (fractions allowed): attempts, backoff waits and waiting"
                    + " for a permit all count; ChatRequest.timeout(...) overrides it per call")
            .defaultValue("600")
            .build();

    /** Attempts per model, the first included. */
    public static final ConfigVariable LLM_MAX_ATTEMPTS = core("LLM_MAX_ATTEMPTS")
            .meaning("attempts per model, the first included (1 = no retries)")
            .defaultValue("5")
            .build();

    /** Time limit of one attempt in seconds. */
    public static final ConfigVariable LLM_ATTEMPT_TIMEOUT_SECONDS = core("LLM_ATTEMPT_TIMEOUT_SECONDS")
            .meaning("time limit of one attempt; a timed-out attempt is retried")
            .defaultValue("what remains of the deadline")
            .build();

    /** Ceiling of the first backoff wait in seconds. */
    public static final ConfigVariable LLM_BACKOFF_BASE_SECONDS = core("LLM_BACKOFF_BASE_SECONDS")
            .meaning("ceiling of the first backoff wait (then x2 per attempt, full jitter)")
            .defaultValue("1")
            .build();

    /** Largest computed backoff wait in seconds (a server's longer {@code Retry-After} is still honoured). */
    public static final ConfigVariable LLM_BACKOFF_MAX_SECONDS = core("LLM_BACKOFF_MAX_SECONDS")
            .meaning("largest computed backoff wait; a longer Retry-After is honoured within the deadline, never cut")
            .defaultValue("30")
            .build();

    /** {@code true} (the default): each model's concurrency limit adapts to the provider's overload signals. */
    public static final ConfigVariable LLM_ADAPTIVE_CONCURRENCY = core("LLM_ADAPTIVE_CONCURRENCY")
            .meaning("true: each model's concurrency limit adapts to the provider (slow start from 8, +1 per round"
                    + " of calls, x0.9 on a 429 or other overload signal; rate-limit headers pace calls), up to the"
                    + " backend's *_MAX_CONCURRENT_CALLS; false: a fixed bulkhead of that size")
            .defaultValue("true")
            .build();

    /** Retries allowed per 100 calls sent over the last 10 s. */
    public static final ConfigVariable LLM_RETRY_BUDGET_PERCENT = core("LLM_RETRY_BUDGET_PERCENT")
            .meaning("retry budget: retries allowed, in percent of the calls sent over the last 10 s (plus the"
                    + " minimum below); beyond it a call fails at once with its last error")
            .defaultValue("20")
            .build();

    /** Retries allowed per second whatever the calls. */
    public static final ConfigVariable LLM_RETRY_BUDGET_MIN_PER_SECOND = core("LLM_RETRY_BUDGET_MIN_PER_SECOND")
            .meaning("retry budget: retries always allowed per second, so a client with few calls may retry")
            .defaultValue("10")
            .build();

    /** Comma-separated models tried after the primary gives up. */
    public static final ConfigVariable LLM_FALLBACK_MODELS = core("LLM_FALLBACK_MODELS")
            .meaning("comma-separated models tried in order after the primary gives up (when the request names"
                    + " none)")
            .defaultValue("unset")
            .build();

    /** {@code true}: a call that finally fails returns an empty failed reply instead of throwing. */
    public static final ConfigVariable LLM_FAIL_OPEN = core("LLM_FAIL_OPEN")
            .meaning("true: a call that finally fails returns an empty reply with failed() == true instead of"
                    + " throwing")
            .defaultValue("false")
            .build();

    /** Calls that may wait for a concurrency permit before new ones fail at once. */
    public static final ConfigVariable LLM_MAX_WAITING_CALLS = core("LLM_MAX_WAITING_CALLS")
            .meaning("calls that may wait for a permit; beyond that a call fails at once (\"bulkhead queue full\")")
            .defaultValue("100000")
            .build();

    /** The client's spending limit in money. */
    public static final ConfigVariable LLM_BUDGET_USD = core("LLM_BUDGET_USD")
            .meaning("spending limit of the client in US dollars, counted from the cost the backend reports; once"
                    + " reached, new calls fail at once as BUDGET_EXHAUSTED")
            .defaultValue("unset (no limit)")
            .build();

    /** The client's spending limit in tokens. */
    public static final ConfigVariable LLM_BUDGET_TOKENS = core("LLM_BUDGET_TOKENS")
            .meaning("spending limit of the client in tokens (prompt and completion); once reached, new calls fail"
                    + " at once as BUDGET_EXHAUSTED")
            .defaultValue("unset (no limit)")
            .build();

    /** Each session's spending limit in money. */
    public static final ConfigVariable LLM_SESSION_BUDGET_USD = core("LLM_SESSION_BUDGET_USD")
            .meaning("spending limit of each LlmSession in US dollars; a call counts in its session and every"
                    + " enclosing one")
            .defaultValue("unset (no limit)")
            .build();

    /** Each session's spending limit in tokens. */
    public static final ConfigVariable LLM_SESSION_BUDGET_TOKENS = core("LLM_SESSION_BUDGET_TOKENS")
            .meaning("spending limit of each LlmSession in tokens; a call counts in its session and every enclosing"
                    + " one")
            .defaultValue("unset (no limit)")
            .build();

    /** Longest wait for a streamed reply's first output, in seconds. */
    public static final ConfigVariable LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS =
            core("LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS")
                    .meaning("streamed calls: longest wait for the first output (text, reasoning or a tool call) of an"
                            + " attempt; a stall before it is retried")
                    .defaultValue("300")
                    .build();

    /** Longest silence between a streamed reply's chunks, in seconds; keep-alive comments do not count. */
    public static final ConfigVariable LLM_STREAM_IDLE_TIMEOUT_SECONDS = core("LLM_STREAM_IDLE_TIMEOUT_SECONDS")
            .meaning("streamed calls: longest gap between chunks once output began (keep-alive comments do not"
                    + " reset it); a stall fails the call as TIMEOUT with the partial output")
            .defaultValue("60")
            .build();

    /** Whether chat()/chatAsync() are sent as streams for the two stall timers. */
    public static final ConfigVariable LLM_STREAM_STALL_PROTECTION = core("LLM_STREAM_STALL_PROTECTION")
            .meaning("true: chat()/chatAsync() stream under the hood and assemble the reply, so the stream"
                    + " timers catch a stalled server")
            .defaultValue("false")
            .build();

    /** Whether a streamed attempt that fails after its output began is restarted. */
    public static final ConfigVariable LLM_STREAM_RESTART = core("LLM_STREAM_RESTART")
            .meaning("true: a stream that fails after its output began is retried from the start (the output is"
                    + " billed again; chunks say restart()); false: the call fails with the partial output")
            .defaultValue("false")
            .build();

    /** Cap on a reply body in bytes. */
    public static final ConfigVariable LLM_MAX_RESPONSE_BYTES = core("LLM_MAX_RESPONSE_BYTES")
            .meaning("cap on a reply body; a larger reply fails as INVALID_RESPONSE")
            .defaultValue("16777216 (16 MiB)")
            .build();

    /** The {@code mock} backend's canned reply. */
    public static final ConfigVariable MOCK_REPLY = core("MOCK_REPLY")
            .meaning("mock backend only: the reply to every request (else it echoes the last user message)")
            .defaultValue("unset (echo)")
            .build();

    /** The {@code mock} backend's latency in milliseconds. */
    public static final ConfigVariable MOCK_LATENCY_MS = core("MOCK_LATENCY_MS")
            .meaning("mock backend only: milliseconds before each reply")
            .defaultValue("0")
            .build();

    /** The {@code mock} backend's bulkhead size. */
    public static final ConfigVariable MOCK_MAX_CONCURRENT_CALLS = core("MOCK_MAX_CONCURRENT_CALLS")
            .meaning("bulkhead size, mock backend: calls in flight at once; more calls wait in a FIFO queue")
            .defaultValue("10")
            .build();

    /** The HTTP proxy for https targets. */
    public static final ConfigVariable HTTPS_PROXY = core("HTTPS_PROXY")
            .lowerCaseWins()
            .url()
            .meaning("HTTP proxy for https targets, http://[user:password@]host[:port]; lower case wins where both"
                    + " are set")
            .defaultValue("unset (direct)")
            .build();

    /** The HTTP proxy for http targets. */
    public static final ConfigVariable HTTP_PROXY = core("HTTP_PROXY")
            .lowerCaseWins()
            .url()
            .meaning("HTTP proxy for http targets")
            .defaultValue("unset (direct)")
            .build();

    /** The proxy for either kind of target when its own variable is unset. */
    public static final ConfigVariable ALL_PROXY = core("ALL_PROXY")
            .lowerCaseWins()
            .url()
            .meaning("proxy for either, when its own variable is unset")
            .defaultValue("unset")
            .build();

    /** Hosts reached directly. */
    public static final ConfigVariable NO_PROXY = core("NO_PROXY")
            .lowerCaseWins()
            .meaning("hosts reached directly: hosts, domains (.corp.example), *, host:port, IPs, CIDR ranges;"
                    + " loopback is always direct")
            .defaultValue("unset")
            .build();

    /** {@code none} turns proxies off for LLM Bridge; a URL replaces the other proxy variables. */
    public static final ConfigVariable LLM_PROXY = core("LLM_PROXY")
            .url()
            .meaning("none: no proxy for LLM Bridge whatever the variables above say; a URL: this proxy for every"
                    + " target instead of them (NO_PROXY still applies)")
            .defaultValue("unset")
            .build();

    private static final List<ConfigVariable> ALL = List.of(
            LLM_BACKEND,
            LLM_TIMEOUT_SECONDS,
            LLM_MAX_ATTEMPTS,
            LLM_ATTEMPT_TIMEOUT_SECONDS,
            LLM_BACKOFF_BASE_SECONDS,
            LLM_BACKOFF_MAX_SECONDS,
            LLM_FALLBACK_MODELS,
            LLM_FAIL_OPEN,
            LLM_MAX_WAITING_CALLS,
            LLM_ADAPTIVE_CONCURRENCY,
            LLM_RETRY_BUDGET_PERCENT,
            LLM_RETRY_BUDGET_MIN_PER_SECOND,
            LLM_BUDGET_USD,
            LLM_BUDGET_TOKENS,
            LLM_SESSION_BUDGET_USD,
            LLM_SESSION_BUDGET_TOKENS,
            LLM_STREAM_FIRST_TOKEN_TIMEOUT_SECONDS,
            LLM_STREAM_IDLE_TIMEOUT_SECONDS,
            LLM_STREAM_STALL_PROTECTION,
            LLM_STREAM_RESTART,
            LLM_MAX_RESPONSE_BYTES,
            MOCK_REPLY,
            MOCK_LATENCY_MS,
            MOCK_MAX_CONCURRENT_CALLS,
            HTTPS_PROXY,
            HTTP_PROXY,
            ALL_PROXY,
            NO_PROXY,
            LLM_PROXY);

    private CoreVariables() {}

    /** Returns every variable of this module, in the order they are best shown. */
    static List<ConfigVariable> variables() {
        return ALL;
    }

    private static ConfigVariable.Builder core(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
