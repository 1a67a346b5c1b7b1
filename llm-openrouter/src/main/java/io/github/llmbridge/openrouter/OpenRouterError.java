package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenRouter's details of a failed call, read from {@link LlmException#providerMetadata()} (its
 * {@code error.metadata}) and {@link LlmException#headers()}. Every accessor is empty when the
 * error did not carry the field.
 *
 * <pre>{@code
 * } catch (LlmException e) {
 *     OpenRouterError or = OpenRouterError.of(e);
 *     if (e.category() == ErrorCategory.CONTENT_FILTERED) log.warn("flagged: {}", or.reasons());
 * }
 * }</pre>
 *
 * <p>The category and retryability are on the exception itself: a 402 with
 * {@code limit_source: openrouter_in_flight_budget} is a retryable {@code RATE_LIMITED} that
 * honours {@code Retry-After}; any other 402 is {@code INSUFFICIENT_CREDITS} and not retryable.
 */
public final class OpenRouterError {

    /** The transient 402: too many requests in flight for the account's balance. */
    public static final String IN_FLIGHT_BUDGET = "openrouter_in_flight_budget";
    /** The 402 of an account without credits. */
    public static final String CREDITS = "openrouter_credits";
    /** The 402 of a key that reached its own credit limit. */
    public static final String KEY_LIMIT = "openrouter_key_limit";

    private final LlmException exception;
    private final JsonNode metadata;

    private OpenRouterError(LlmException exception) {
        this.exception = exception;
        this.metadata = exception.providerMetadata().orElse(null);
    }

    /** Returns the OpenRouter view of a failure. */
    public static OpenRouterError of(LlmException exception) {
        return new OpenRouterError(Objects.requireNonNull(exception, "exception"));
    }

    /** Returns the exception this view reads. */
    public LlmException exception() {
        return exception;
    }

    /** Returns the upstream error's kind ({@code metadata.error_type}: {@code rate_limit_exceeded}, ...). */
    public Optional<String> errorType() {
        return text("error_type");
    }

    /** Returns the upstream provider's own error code ({@code metadata.provider_code}). */
    public Optional<String> providerCode() {
        return text("provider_code");
    }

    /** Returns the upstream provider that failed ({@code metadata.provider_name}). */
    public Optional<String> providerName() {
        return text("provider_name");
    }

    /** Returns the upstream provider's raw error ({@code metadata.raw}), as text. */
    public Optional<String> raw() {
        JsonNode raw = metadata == null ? null : metadata.get("raw");
        if (raw == null || raw.isNull()) {
            return Optional.empty();
        }
        return Optional.of(raw.isTextual() ? raw.asText() : raw.toString());
    }

    /** Returns which limit a 402 hit ({@code metadata.limit_source}); see the constants. */
    public Optional<String> limitSource() {
        return text("limit_source");
    }

    /** Returns why moderation flagged the input ({@code metadata.reasons}); empty list when not given. */
    public List<String> reasons() {
        JsonNode reasons = metadata == null ? null : metadata.get("reasons");
        List<String> list = new ArrayList<>();
        if (reasons != null && reasons.isArray()) {
            reasons.forEach(r -> list.add(r.isTextual() ? r.asText() : r.toString()));
        }
        return List.copyOf(list);
    }

    /** Returns the part of the input moderation flagged ({@code metadata.flagged_input}). */
    public Optional<String> flaggedInput() {
        return text("flagged_input");
    }

    /** Returns the request limit of the rate-limit window ({@code X-RateLimit-Limit}). */
    public OptionalLong rateLimitLimit() {
        return header("x-ratelimit-limit");
    }

    /** Returns the requests left in the window ({@code X-RateLimit-Remaining}). */
    public OptionalLong rateLimitRemaining() {
        return header("x-ratelimit-remaining");
    }

    /** Returns when the window resets, in epoch milliseconds ({@code X-RateLimit-Reset}). */
    public OptionalLong rateLimitReset() {
        return header("x-ratelimit-reset");
    }

    private Optional<String> text(String field) {
        return Optional.ofNullable(Json.text(metadata, field));
    }

    private OptionalLong header(String name) {
        String value = exception.headers().get(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        return "OpenRouterError[" + exception.category() + (metadata == null ? "" : ", metadata=" + metadata) + "]";
    }
}
