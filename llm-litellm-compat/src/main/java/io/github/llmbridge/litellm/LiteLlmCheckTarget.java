package io.github.llmbridge.litellm;

import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What the connection check needs to know about a {@link LiteLlmChatClient}, offered through
 * {@code unwrap(CheckTarget.class)} so the client's own type stays about chatting.
 *
 * @param backend    the client itself
 * @param endpoint   the LiteLLM server's root URL
 * @param proxySetup the HTTP proxies the client uses on its way to the server
 * @param urlSetting the variable (or builder method) the server URL came from
 * @param keySetting the variable (or builder method) the key came from
 */
record LiteLlmCheckTarget(
        LiteLlmChatClient backend, URI endpoint, ProxySetup proxySetup, String urlSetting, String keySetting)
        implements CheckTarget {

    @Override
    public String serverName() {
        return "the LiteLLM proxy";
    }

    @Override
    public String whenRefused() {
        return "is the proxy running?";
    }

    /** The server's liveliness and readiness ({@link LiteLlmServer}), through the client's own HTTP client. */
    @Override
    public List<CheckStep> healthSteps(Duration timeout) {
        return ServerChecks.run(
                backend.serverBuilder().requestTimeout(timeout).build(),
                urlSetting + " " + Secrets.displayUrl(endpoint.toString()));
    }

    /** Shows where and which settings; never the key. */
    @Override
    public String toString() {
        return "LiteLlmCheckTarget[" + Secrets.displayUrl(endpoint.toString()) + ", " + urlSetting + ", " + keySetting
                + "]";
    }
}
