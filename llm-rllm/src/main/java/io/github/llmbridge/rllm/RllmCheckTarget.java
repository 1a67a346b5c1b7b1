package io.github.llmbridge.rllm;

import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the connection check needs to know about an {@link RllmChatClient}, offered through
 * {@code unwrap(CheckTarget.class)}: the gateway's {@code /health}, which rLLM generation answers,
 * and its workers.
 *
 * @param backend    the client itself
 * @param endpoint   the gateway's root
 * @param proxySetup the HTTP proxies the client uses
 * @param urlSetting the variable (or builder method) the URL came from
 */
record RllmCheckTarget(RllmChatClient backend, URI endpoint, ProxySetup proxySetup, String urlSetting)
        implements CheckTarget {

    /** Step names. */
    static final String GATEWAY = "gateway";

    static final String WORKERS = "workers";

    @Override
    public String serverName() {
        return "rLLM's model gateway";
    }

    @Override
    public String keySetting() {
        return "no key (the gateway takes none)";
    }

    @Override
    public String whenRefused() {
        return "is the gateway running (rllm-model-gateway --port 9090 --worker http://localhost:8000/v1)?";
    }

    @Override
    public List<CheckStep> healthSteps(Duration timeout) {
        RllmGateway gateway = backend.gateway();
        String where = urlSetting + " " + Secrets.displayUrl(endpoint.toString());
        RllmGeneration generation = GenerationProbe.probe(gatewayHttp(gateway), endpoint, timeout);
        List<CheckStep> steps = new ArrayList<>();
        if (!generation.isModelGateway()) {
            steps.add(CheckStep.failed(
                    GATEWAY,
                    "GET /health did not answer as rLLM's model gateway: found " + generation.description(),
                    where + ": "
                            + (generation == RllmGeneration.UNKNOWN
                                    ? "start the gateway or fix the URL"
                                    : "this is a LiteLLM proxy, not the gateway; point " + urlSetting
                                            + " at the gateway or switch the backend")));
            return steps;
        }
        steps.add(CheckStep.ok(GATEWAY, "GET /health answered: " + generation.description()));
        try {
            List<GatewayWorker> workers = gateway.workers();
            long healthy = workers.stream().filter(GatewayWorker::healthy).count();
            steps.add(
                    healthy > 0
                            ? CheckStep.ok(WORKERS, healthy + " of " + workers.size() + " workers healthy")
                            : CheckStep.failed(
                                    WORKERS,
                                    workers.isEmpty()
                                            ? "the gateway has no worker"
                                            : "none of the gateway's " + workers.size() + " workers is healthy",
                                    where
                                            + ": register an inference server (POST /admin/workers, or start the gateway with"
                                            + " --worker http://host:8000/v1) and check that its /health answers"));
        } catch (io.github.llmbridge.core.LlmException e) {
            steps.add(CheckStep.failed(WORKERS, "GET /health/workers failed: " + e.getMessage(), where));
        }
        return steps;
    }

    private static io.github.llmbridge.core.internal.transport.JsonHttp gatewayHttp(RllmGateway gateway) {
        return gateway.http();
    }

    /** Shows where and which setting. */
    @Override
    public String toString() {
        return "RllmCheckTarget[" + Secrets.displayUrl(endpoint.toString()) + ", " + urlSetting + "]";
    }
}
