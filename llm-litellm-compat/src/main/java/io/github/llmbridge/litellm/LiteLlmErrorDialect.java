package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.internal.errors.Classification;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.Hint;
import io.github.llmbridge.core.internal.errors.ProviderError;

/**
 * What the LiteLLM proxy's error replies say beyond the generic rules
 * (docs/WIRE.md#litellm-proxy): its router's cooldowns, its spend limits, and that it is a hop of
 * its own between this client and the provider, so a failure should say which hop failed.
 */
final class LiteLlmErrorDialect implements ErrorDialect {

    static final LiteLlmErrorDialect INSTANCE = new LiteLlmErrorDialect();

    /** The router's message when every deployment of a model is cooling down after failures. */
    private static final String NO_DEPLOYMENTS = "No deployments available";

    private static final Hint COOLDOWN = Hint.of(" - every deployment of this model on the proxy is cooling down"
            + " after recent failures; retrying after a wait may succeed");
    private static final Hint UPSTREAM = ctx -> " - the LiteLLM proxy at " + ctx.hostAndPort() + " answered, so"
            + " this client reaches the proxy; it is the proxy that could not reach its upstream provider (check the"
            + " proxy's network, outbound HTTP proxy, api_base and provider keys)";
    private static final Hint BASE_URL = Hint.of(" - the proxy has no such endpoint; the proxy URL is probably"
            + " wrong (set LITELLM_PROXY_URL to the proxy's root, e.g. http://localhost:4000)");

    private LiteLlmErrorDialect() {}

    @Override
    public Classification refine(Classification generic, int status, ProviderError error) {
        if ("budget_exceeded".equals(error.type()) || error.messageContains("Budget has been exceeded")) {
            // A spend limit on a key, user or team: it does not clear in seconds, so no retry.
            return new Classification(ErrorCategory.INSUFFICIENT_CREDITS, false, Hint.CREDITS);
        }
        if ((status == 429 || status >= 500) && error.messageContains(NO_DEPLOYMENTS)) {
            // Sent as 429 (older proxies: 500): it clears when a cooldown ends, so wait and retry.
            return new Classification(ErrorCategory.RATE_LIMITED, true, COOLDOWN);
        }
        // The proxy sits between this client and the provider: say which hop failed.
        if (generic.hint() == Hint.UPSTREAM) {
            return generic.withHint(UPSTREAM);
        }
        if (generic.hint() == Hint.BASE_URL) {
            return generic.withHint(BASE_URL);
        }
        return generic;
    }

    @Override
    public String toString() {
        return "LiteLlmErrorDialect";
    }
}
