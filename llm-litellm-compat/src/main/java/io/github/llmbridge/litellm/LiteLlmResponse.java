package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Typed access to the headers a LiteLLM proxy adds to its replies, on a reply or on a failed
 * call's exception (both keep them):
 *
 * <pre>{@code
 * LiteLlmResponse proxy = LiteLlmResponse.of(client.chat(request));
 * log.info("call {} served by {} after {} proxy retries", proxy.callId().orElse("?"),
 *          proxy.modelId().orElse("?"), proxy.attemptedRetries().orElse(0));
 * }</pre>
 *
 * <p>A header that is absent, or that LiteLLM sent as {@code None} (it does when it does not
 * know the value), or that is not a number where one is expected, reads as empty.
 */
public final class LiteLlmResponse {

    /** LiteLLM's id of the call, to find it in the proxy's logs and spend records. */
    public static final String CALL_ID = "x-litellm-call-id";
    /** The call's cost in US dollars as LiteLLM priced it. */
    public static final String RESPONSE_COST = "x-litellm-response-cost";
    /** The id of the deployment (one entry of the proxy's model list) that answered. */
    public static final String MODEL_ID = "x-litellm-model-id";
    /** The model group (the {@code model_name} the call asked for) that answered. */
    public static final String MODEL_GROUP = "x-litellm-model-group";
    /** How often the proxy retried the call itself. */
    public static final String ATTEMPTED_RETRIES = "x-litellm-attempted-retries";
    /** How many of its fallback models the proxy tried. */
    public static final String ATTEMPTED_FALLBACKS = "x-litellm-attempted-fallbacks";
    /** How long the proxy took, in milliseconds. */
    public static final String RESPONSE_DURATION_MS = "x-litellm-response-duration-ms";
    /** The prefix of the rate-limit counters ({@code -requests}, {@code -tokens}). */
    public static final String RATE_LIMIT_REMAINING_PREFIX = "x-ratelimit-remaining-";

    private final Map<String, String> headers;

    private LiteLlmResponse(Map<String, String> headers) {
        this.headers = headers;
    }

    /** Returns the view of a reply's headers. */
    public static LiteLlmResponse of(ChatResponse response) {
        return new LiteLlmResponse(Objects.requireNonNull(response, "response").headers());
    }

    /** Returns the view of the headers of the reply a call failed with (empty when there was none). */
    public static LiteLlmResponse of(LlmException failure) {
        return new LiteLlmResponse(Objects.requireNonNull(failure, "failure").headers());
    }

    /** Returns the view of response headers with lower-case names, as replies and exceptions keep them. */
    public static LiteLlmResponse of(Map<String, String> headers) {
        return new LiteLlmResponse(Map.copyOf(headers));
    }

    /** Returns {@code x-litellm-call-id}. */
    public Optional<String> callId() {
        return text(CALL_ID);
    }

    /** Returns {@code x-litellm-response-cost}, in US dollars; empty when negative or not a number. */
    public OptionalDouble responseCost() {
        Optional<String> value = text(RESPONSE_COST);
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            double cost = Double.parseDouble(value.get());
            return Double.isFinite(cost) && cost >= 0 ? OptionalDouble.of(cost) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** Returns {@code x-litellm-model-id}, the deployment that answered. */
    public Optional<String> modelId() {
        return text(MODEL_ID);
    }

    /** Returns {@code x-litellm-model-group}. */
    public Optional<String> modelGroup() {
        return text(MODEL_GROUP);
    }

    /** Returns {@code x-litellm-attempted-retries}. */
    public OptionalInt attemptedRetries() {
        OptionalLong n = count(ATTEMPTED_RETRIES);
        return n.isPresent() && n.getAsLong() <= Integer.MAX_VALUE
                ? OptionalInt.of((int) n.getAsLong())
                : OptionalInt.empty();
    }

    /** Returns {@code x-litellm-attempted-fallbacks}. */
    public OptionalInt attemptedFallbacks() {
        OptionalLong n = count(ATTEMPTED_FALLBACKS);
        return n.isPresent() && n.getAsLong() <= Integer.MAX_VALUE
                ? OptionalInt.of((int) n.getAsLong())
                : OptionalInt.empty();
    }

    /** Returns {@code x-litellm-response-duration-ms} as a duration. */
    public Optional<Duration> responseDuration() {
        Optional<String> value = text(RESPONSE_DURATION_MS);
        try {
            double ms = Double.parseDouble(value.orElse("x"));
            return Double.isFinite(ms) && ms >= 0
                    ? Optional.of(Duration.ofNanos(Math.round(ms * 1e6)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Returns {@code x-ratelimit-remaining-requests}. */
    public OptionalLong remainingRequests() {
        return count(RATE_LIMIT_REMAINING_PREFIX + "requests");
    }

    /** Returns {@code x-ratelimit-remaining-tokens}. */
    public OptionalLong remainingTokens() {
        return count(RATE_LIMIT_REMAINING_PREFIX + "tokens");
    }

    /**
     * Returns every numeric {@code x-ratelimit-remaining-*} counter by its suffix, e.g.
     * {@code requests}, {@code tokens}; counters sent as {@code None} are left out.
     */
    public Map<String, Long> rateLimitRemaining() {
        Map<String, Long> remaining = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(RATE_LIMIT_REMAINING_PREFIX)) {
                count(name).ifPresent(n -> remaining.put(name.substring(RATE_LIMIT_REMAINING_PREFIX.length()), n));
            }
        });
        return Map.copyOf(remaining);
    }

    /** Returns any header of interest by name (any case), {@code None} and blank values as empty. */
    public Optional<String> header(String name) {
        return text(name.toLowerCase(Locale.ROOT));
    }

    private Optional<String> text(String name) {
        String value = headers.get(name);
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        return v.isEmpty() || v.equals("None") || v.equals("null") ? Optional.empty() : Optional.of(v);
    }

    /** A non-negative whole number; LiteLLM sometimes writes counters as floats ({@code "2.0"}). */
    private OptionalLong count(String name) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return nonNegative(Long.parseLong(value.get()));
        } catch (NumberFormatException notALong) {
            try {
                double d = Double.parseDouble(value.get());
                return d == Math.rint(d) && d >= 0 && d <= Long.MAX_VALUE
                        ? OptionalLong.of((long) d)
                        : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
    }

    private static OptionalLong nonNegative(long n) {
        return n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
    }

    /** Shows the LiteLLM headers present. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith("x-litellm-") || name.startsWith(RATE_LIMIT_REMAINING_PREFIX)) {
                shown.put(name, value);
            }
        });
        return "LiteLlmResponse" + shown;
    }
}
