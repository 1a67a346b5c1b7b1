package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.Optional;

/**
 * What the connection check needs to know about an {@link OpenRouterChatClient}, offered through
 * {@code unwrap(CheckTarget.class)} so the client's own type stays about chatting.
 *
 * @param backend    the client itself
 * @param endpoint   the API root calls go to
 * @param proxySetup the HTTP proxies the client uses
 * @param urlSetting the variable (or builder method) the base URL came from
 * @param keySetting the variable (or builder method) the key came from
 */
record OpenRouterCheckTarget(
        OpenRouterChatClient backend, URI endpoint, ProxySetup proxySetup, String urlSetting, String keySetting)
        implements CheckTarget {

    @Override
    public String serverName() {
        return "OpenRouter";
    }

    @Override
    public String whenRefused() {
        return "is a firewall in the way? Behind a corporate proxy set HTTPS_PROXY";
    }

    /** OpenRouter ids need their provider: {@code gpt-4o-mini} fails with the prefixed id as the fix. */
    @Override
    public Optional<CheckStep> checkModelId(String model) {
        return ModelIds.problem(model, "model id")
                .map(problem -> CheckStep.failed(
                        ConnectionCheck.MODEL,
                        problem,
                        model != null && !model.isBlank() && model.indexOf('/') < 0
                                ? "OpenRouter model ids need a provider prefix: try "
                                        + ModelIds.suggestion(model)
                                                .orElse("<provider>/" + model + ", e.g. openai/gpt-4o-mini")
                                : "fix the model id, e.g. openai/gpt-4o-mini"));
    }

    /** Shows where and which settings, the URL's credentials masked; never the key. */
    @Override
    public String toString() {
        return "OpenRouterCheckTarget[" + Secrets.displayUrl(endpoint.toString()) + ", " + urlSetting + ", "
                + keySetting + "]";
    }
}
