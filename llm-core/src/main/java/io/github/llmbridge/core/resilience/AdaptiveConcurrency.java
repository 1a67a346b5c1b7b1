package io.github.llmbridge.core.resilience;

/**
 * How an adaptive concurrency limit finds what a provider can take, per backend and model, the
 * way TCP finds a path's capacity: it starts at {@code initialLimit} and doubles per round of
 * calls (slow start) until the first overload signal, then grows by one per round (additive
 * increase) and shrinks by {@code backoffRatio} on each overload signal (multiplicative decrease),
 * never below {@code floor} nor above the bulkhead size, which is the ceiling. Several processes
 * that share a provider converge to fair shares without talking to each other, as TCP flows do.
 *
 * <p>Overload signals are what the server says about load: a 429, LiteLLM's "No deployments
 * available", OpenRouter's in-flight-budget 402 and {@code capacity_exhausted}, a connection the
 * server reset ({@link io.github.llmbridge.core.LlmException#overloadSignal()}). Slow replies are
 * not a signal: an LLM call's duration says how long its answer is, not how loaded the provider
 * is. Failures sent before the last decrease count once (they are one congestion event, as TCP
 * halves once per window), and the limit grows only while the calls in flight use at least half
 * of it. With the limit on, {@code x-ratelimit-remaining-requests} / {@code -tokens} and their
 * {@code x-ratelimit-reset-*} headers pace a model before the provider has to refuse: when the
 * calls in flight would use up what remains of the window, new calls wait for the reset.
 *
 * <pre>{@code
 * ChatClient judge = ResilientChatClient.builder(backend)
 *     .maxConcurrentCalls(256)                      // the ceiling
 *     .adaptiveConcurrency(AdaptiveConcurrency.DEFAULT)
 *     .build();
 * }</pre>
 *
 * @param floor        the smallest limit, at least 1 (default 1)
 * @param initialLimit where slow start begins, at least {@code floor} (default 8; the ceiling if lower)
 * @param backoffRatio what a decrease multiplies the limit by, in [0.5, 1) (default 0.9: the limit
 *                     swings between 90 % and 100 % of what the provider takes)
 */
public record AdaptiveConcurrency(int floor, int initialLimit, double backoffRatio) {

    /** Floor 1, slow start from 8, decrease to 90 %. */
    public static final AdaptiveConcurrency DEFAULT = new AdaptiveConcurrency(1, 8, 0.9);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public AdaptiveConcurrency {
        if (floor < 1) {
            throw new IllegalArgumentException("floor must be at least 1, was " + floor);
        }
        if (initialLimit < floor) {
            throw new IllegalArgumentException(
                    "initialLimit must be at least the floor (" + floor + "), was " + initialLimit);
        }
        if (!(backoffRatio >= 0.5 && backoffRatio < 1)) {
            throw new IllegalArgumentException("backoffRatio must be in [0.5, 1), was " + backoffRatio);
        }
    }
}
