package io.github.llmbridge.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.errors.Classification;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.Hint;
import io.github.llmbridge.core.internal.errors.ProviderError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What OpenRouter's error replies say beyond the generic rules (docs/WIRE.md#openrouter): which
 * limit a 402 hit ({@code error.metadata.limit_source}, see {@link OpenRouterError}), why a model
 * cannot be served ({@code error.availability}, whose {@code retryable} and {@code retry_after}
 * win over the status), that a 404 may come from the caller's own routing or privacy filters, and
 * that its model ids carry the provider.
 */
final class OpenRouterErrorDialect implements ErrorDialect {

    static final OpenRouterErrorDialect INSTANCE = new OpenRouterErrorDialect();

    /** The overload signal of the transient 402. */
    static final String IN_FLIGHT_SIGNAL = "OpenRouter: in-flight budget";
    /** The overload signal of {@code availability.code == capacity_exhausted}. */
    static final String CAPACITY_SIGNAL = "OpenRouter: capacity_exhausted";

    private static final Hint KEY_LIMIT =
            Hint.of(" - the API key has reached its own credit limit; raise the key's limit or use another key");

    /** The most common OpenRouter mistake: the id lacks its provider prefix. */
    private static final Hint MODEL = ctx -> ctx.model().contains("/")
            ? Hint.MODEL.text(ctx)
            : " - OpenRouter model ids carry the provider, e.g. 'openai/" + ctx.model() + "'";

    private static final Hint PRIVACY = Hint.of(" - the model exists, but the account's or the request's data"
            + " policy (zero data retention, training opt-out) rules out every provider of it: relax it at"
            + " https://openrouter.ai/settings/privacy or choose another model");
    private static final Hint PROVIDER_PREFERENCES = Hint.of(" - the model exists, but the request's provider"
            + " preferences (provider.only, ignore, order with allow_fallbacks false) leave no provider for it");
    private static final Hint CONSTRAINTS = Hint.of(" - the model exists, but a routing constraint of the request"
            + " (provider.max_price, require_parameters, quantizations, the context length) rules out every"
            + " provider of it");

    private OpenRouterErrorDialect() {}

    @Override
    public Classification refine(Classification generic, int status, ProviderError error) {
        JsonNode availability = error.member("availability");
        if (availability != null) {
            return availability(generic, availability);
        }
        String limitSource = error.metadataText("limit_source");
        if (OpenRouterError.IN_FLIGHT_BUDGET.equals(limitSource)) {
            // Too many concurrent requests for the balance: transient, and it carries Retry-After.
            return new Classification(ErrorCategory.RATE_LIMITED, true, Hint.NONE).withOverload(IN_FLIGHT_SIGNAL);
        }
        if (status == 402 && OpenRouterError.KEY_LIMIT.equals(limitSource)) {
            // The account may have credits; the key's own limit is what stops it.
            return generic.withHint(KEY_LIMIT);
        }
        if (generic.hint() == Hint.MODEL) {
            // A 404 from the caller's own filters names them; only an unknown id gets model-id advice.
            return generic.withHint(filterHint(error).orElse(MODEL));
        }
        return generic;
    }

    /**
     * A model-availability failure, as OpenRouter's errors page lists the codes: each has a
     * category and advice here, and the object's own {@code retryable} and {@code retry_after}
     * decide the retry (an unknown code keeps the generic category and takes them too).
     */
    private static Classification availability(Classification generic, JsonNode availability) {
        String code = String.valueOf(Json.text(availability, "code"));
        String suggestion = suggestion(availability);
        Classification c = switch (code) {
            case "model_not_found" -> new Classification(ErrorCategory.MODEL_NOT_FOUND, false, MODEL);
            case "wrong_endpoint" ->
                new Classification(
                        ErrorCategory.BAD_REQUEST,
                        false,
                        Hint.of(" - the model is not served on this endpoint" + constraintDetail(availability)));
            case "no_endpoints" ->
                new Classification(
                        ErrorCategory.MODEL_NOT_FOUND,
                        false,
                        Hint.of(" - the model exists, but OpenRouter has no provider it may route the request"
                                + " to (none enabled, or the request's provider preferences removed them)"
                                + suggestion));
            case "model_deprecated", "model_unavailable_upstream" ->
                new Classification(
                        ErrorCategory.MODEL_NOT_FOUND,
                        false,
                        Hint.of(" - the model was deprecated or removed by its providers" + suggestion));
            case "free_variant_ended" ->
                new Classification(
                        ErrorCategory.MODEL_NOT_FOUND,
                        false,
                        Hint.of(" - the :free variant's promotion ended; only the paid model remains" + suggestion));
            case "privacy_restricted" ->
                new Classification(ErrorCategory.MODEL_NOT_FOUND, false, withExcludedBy(PRIVACY, availability));
            case "constraint_filtered" ->
                new Classification(
                        ErrorCategory.MODEL_NOT_FOUND,
                        false,
                        Hint.of(" - the model exists, but the request's routing constraint "
                                + constraintField(availability) + " rules out every provider of it"
                                + constraintDetail(availability)));
            case "region_restricted" ->
                new Classification(
                        ErrorCategory.PERMISSION,
                        false,
                        Hint.of(" - the model is not offered in the region the request comes from"));
            case "capacity_exhausted" ->
                new Classification(
                                ErrorCategory.RATE_LIMITED,
                                true,
                                Hint.of(" - every provider of the model" + " is at capacity" + suggestion))
                        .withOverload(CAPACITY_SIGNAL);
            case "temporarily_unavailable" -> new Classification(ErrorCategory.SERVER_ERROR, true, Hint.NONE);
            default -> generic;
        };
        JsonNode retryable = availability.get("retryable");
        if (retryable != null && retryable.isBoolean()) {
            c = c.withRetryable(retryable.asBoolean());
        }
        JsonNode retryAfter = availability.get("retry_after");
        if (retryAfter != null && retryAfter.isNumber() && retryAfter.asDouble() >= 0) {
            c = c.withRetryAfter(Duration.ofMillis(Math.round(retryAfter.asDouble() * 1000)));
        }
        return c;
    }

    /** A 404 without an availability object (older replies): its message says which filter refused. */
    private static Optional<Hint> filterHint(ProviderError error) {
        String message = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
        if (message.contains("data policy")) {
            return Optional.of(PRIVACY);
        }
        if (message.contains("no allowed providers")) {
            return Optional.of(PROVIDER_PREFERENCES);
        }
        if (message.contains("max price")
                || message.contains("max_price")
                || message.contains("requested parameters")) {
            return Optional.of(CONSTRAINTS);
        }
        return Optional.empty();
    }

    private static Hint withExcludedBy(Hint hint, JsonNode availability) {
        List<String> excludedBy = texts(availability.get("excluded_by"));
        return excludedBy.isEmpty()
                ? hint
                : ctx -> hint.text(ctx) + " (excluded by " + String.join(", ", excludedBy) + ")";
    }

    private static String constraintField(JsonNode availability) {
        String field = Json.text(Json.object(availability, "constraint"), "field");
        List<String> excludedBy = texts(availability.get("excluded_by"));
        if (field != null) {
            return field;
        }
        return excludedBy.isEmpty() ? "(unnamed)" : String.join(", ", excludedBy);
    }

    private static String constraintDetail(JsonNode availability) {
        String detail = Json.text(Json.object(availability, "constraint"), "detail");
        return detail == null ? "" : " (" + detail + ")";
    }

    private static String suggestion(JsonNode availability) {
        List<String> models = texts(availability.get("fallback_models"));
        return models.isEmpty() ? "" : "; OpenRouter suggests " + String.join(", ", models);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    texts.add(n.asText());
                }
            });
        }
        return texts;
    }

    @Override
    public String toString() {
        return "OpenRouterErrorDialect";
    }
}
