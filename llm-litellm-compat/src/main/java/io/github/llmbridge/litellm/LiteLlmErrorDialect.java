package io.github.llmbridge.litellm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.internal.errors.Classification;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.Hint;
import io.github.llmbridge.core.internal.errors.ProviderError;

/**
 * What the LiteLLM proxy's error replies say beyond the generic rules
 * (docs/WIRE.md#litellm-proxy): its router's cooldowns, its spend limits, its tag routing, and
 * that it is a hop of its own between this client and the provider, so a failure should say which
 * hop failed.
 *
 * <p>The proxy's JSON {@code code} is always the HTTP status as a string (LiteLLM's
 * {@code ProxyException}), so a provider's own code ({@code context_length_exceeded}) never
 * arrives. What does arrive is the name of LiteLLM's exception class at the start of the
 * message ({@code "litellm.ContextWindowExceededError: ..."}), which is what this dialect reads.
 */
final class LiteLlmErrorDialect implements ErrorDialect {

    static final LiteLlmErrorDialect INSTANCE = new LiteLlmErrorDialect();

    /** The router's message when every deployment of a model is cooling down after failures. */
    private static final String NO_DEPLOYMENTS = "No deployments available";
    /** Provider-budget routing: every deployment's provider has spent its budget. */
    private static final String CROSSED_BUDGET = "crossed budget";
    /** The router's message when tag routing leaves no deployment (the proxy sends it as a 401). */
    private static final String TAG_ROUTING = "Not allowed to access model due to tags configuration";
    /** LiteLLM's exception classes, named at the start of the message it sends. */
    private static final String CONTEXT_WINDOW = "ContextWindowExceededError";

    private static final String CONTENT_POLICY = "ContentPolicyViolationError";
    /** The overload signal of a router whose deployments are all cooling down. */
    static final String NO_DEPLOYMENTS_SIGNAL = "LiteLLM: no deployments available";

    private static final Hint COOLDOWN = Hint.of(" - every deployment of this model on the proxy is cooling down"
            + " after recent failures; retrying after a wait may succeed");
    private static final Hint TAGS = ctx -> " - the LiteLLM proxy at " + ctx.hostAndPort() + " routes by tags, and no"
            + " deployment of this model is open to the request's tags (ChatRequest tags, the key's or team's tags):"
            + " this is the proxy's routing configuration, not the API key; LiteLLM also answers so while the only"
            + " matching deployment is cooling down";
    private static final Hint UPSTREAM = ctx -> " - the LiteLLM proxy at " + ctx.hostAndPort() + " answered, so"
            + " this client reaches the proxy; it is the proxy that could not reach its upstream provider (check the"
            + " proxy's network, outbound HTTP proxy, api_base and provider keys)";
    private static final Hint BASE_URL = Hint.of(" - the proxy has no such endpoint; the proxy URL is probably"
            + " wrong (set LITELLM_PROXY_URL to the proxy's root, e.g. http://localhost:4000)");

    private LiteLlmErrorDialect() {}

    @Override
    public Classification refine(Classification generic, int status, ProviderError error) {
        if ("budget_exceeded".equals(error.type())
                || error.messageContains("Budget has been exceeded")
                || error.messageContains(CROSSED_BUDGET)) {
            // A spend limit on a key, user, team or provider: it does not clear in seconds, so no retry.
            return new Classification(ErrorCategory.INSUFFICIENT_CREDITS, false, Hint.CREDITS);
        }
        if ((status == 429 || status >= 500) && error.messageContains(NO_DEPLOYMENTS)) {
            // Sent as 429 (older proxies: 500): it clears when a cooldown ends, so wait and retry.
            return new Classification(ErrorCategory.RATE_LIMITED, true, COOLDOWN).withOverload(NO_DEPLOYMENTS_SIGNAL);
        }
        if (error.messageContains(TAG_ROUTING)) {
            // The proxy rewrites this router error to 401, but the key was accepted: routing refused it.
            return new Classification(ErrorCategory.PERMISSION, false, TAGS);
        }
        if (status == 400 && error.messageContains(CONTEXT_WINDOW)) {
            return new Classification(ErrorCategory.CONTEXT_LENGTH_EXCEEDED, false, Hint.NONE);
        }
        if (status == 400 && error.messageContains(CONTENT_POLICY)) {
            return new Classification(ErrorCategory.CONTENT_FILTERED, false, Hint.NONE);
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
