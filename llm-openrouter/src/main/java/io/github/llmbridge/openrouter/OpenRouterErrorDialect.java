package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.internal.errors.Classification;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.Hint;
import io.github.llmbridge.core.internal.errors.ProviderError;

/**
 * What OpenRouter's error replies say beyond the generic rules (docs/WIRE.md#openrouter): which
 * limit a 402 hit ({@code error.metadata.limit_source}, see {@link OpenRouterError}), and that its
 * model ids carry the provider.
 */
final class OpenRouterErrorDialect implements ErrorDialect {

    static final OpenRouterErrorDialect INSTANCE = new OpenRouterErrorDialect();

    private static final Hint KEY_LIMIT =
            Hint.of(" - the API key has reached its own credit limit; raise the key's limit or use another key");

    /** The most common OpenRouter mistake: the id lacks its provider prefix. */
    private static final Hint MODEL = ctx -> ctx.model().contains("/")
            ? Hint.MODEL.text(ctx)
            : " - OpenRouter model ids carry the provider, e.g. 'openai/" + ctx.model() + "'";

    private OpenRouterErrorDialect() {}

    @Override
    public Classification refine(Classification generic, int status, ProviderError error) {
        String limitSource = error.metadataText("limit_source");
        if (OpenRouterError.IN_FLIGHT_BUDGET.equals(limitSource)) {
            // Too many concurrent requests for the balance: transient, and it carries Retry-After.
            return new Classification(ErrorCategory.RATE_LIMITED, true, Hint.NONE);
        }
        if (status == 402 && OpenRouterError.KEY_LIMIT.equals(limitSource)) {
            // The account may have credits; the key's own limit is what stops it.
            return generic.withHint(KEY_LIMIT);
        }
        if (generic.hint() == Hint.MODEL) {
            return generic.withHint(MODEL);
        }
        return generic;
    }

    @Override
    public String toString() {
        return "OpenRouterErrorDialect";
    }
}
