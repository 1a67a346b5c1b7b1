package io.github.llmbridge.litellm;

import io.github.llmbridge.core.check.CheckStep;
import java.util.List;

/**
 * The LiteLLM proxy's own health checks as connection-check steps: {@code liveliness} (is the
 * process up) and {@code readiness} (are its database and cache connected).
 */
final class ServerChecks {

    /** Step names. */
    static final String LIVELINESS = "liveliness";

    static final String READINESS = "readiness";

    /** Which rLLM generation, if any, the proxy is. */
    static final String RLLM = "rllm";

    private ServerChecks() {}

    /**
     * Runs both checks.
     *
     * @param where how fixes name the proxy, e.g. {@code LITELLM_PROXY_URL http://localhost:4000}
     */
    static List<CheckStep> run(LiteLlmServer proxy, String where) {
        boolean alive = proxy.liveliness();
        if (!alive && proxy.isModelGateway(LiteLlmServer.DEFAULT_REQUEST_TIMEOUT)) {
            return List.of(CheckStep.failed(
                    LIVELINESS,
                    "this is rLLM's model gateway, not a LiteLLM proxy (no GET /health/liveliness; GET /health"
                            + " answered {\"status\": \"ok\"})",
                    where + ": use the rllm backend for it: LLM_BACKEND=rllm and RLLM_GATEWAY_URL"));
        }
        CheckStep live = alive
                ? CheckStep.ok(LIVELINESS, "GET /health/liveliness answered")
                : CheckStep.failed(
                        LIVELINESS,
                        "GET /health/liveliness did not answer 2xx",
                        where + ": the proxy is not alive; start it (litellm --config config.yaml --port 4000)"
                                + " or fix the URL");
        ServerReadiness r = proxy.readiness();
        CheckStep ready = r.ready()
                ? CheckStep.ok(READINESS, "ready" + describe(r))
                : CheckStep.failed(
                        READINESS,
                        "not ready" + describe(r) + (r.detail().isEmpty() ? "" : ": " + r.detail()),
                        where + ": the proxy is up but not ready; check its database, cache and config");
        if (!alive) {
            return List.of(live, ready);
        }
        CheckStep generation = proxy.hasRllmTracer(LiteLlmServer.DEFAULT_REQUEST_TIMEOUT)
                ? CheckStep.ok(
                        RLLM, "rLLM's LiteLLM proxy (rLLM v0.2.1 to v0.3.0-pre): it has POST /admin/flush-tracer")
                : CheckStep.ok(
                        RLLM, "a stock LiteLLM proxy (no rLLM tracer: LITELLM_METADATA_MODE=rllm traces nothing)");
        return List.of(live, ready, generation);
    }

    private static String describe(ServerReadiness r) {
        StringBuilder s = new StringBuilder();
        if (!r.status().isEmpty()) {
            s.append("status ").append(r.status());
        }
        if (!r.db().isEmpty()) {
            s.append(s.length() > 0 ? ", " : "").append("db ").append(r.db());
        }
        if (!r.version().isEmpty()) {
            s.append(s.length() > 0 ? ", " : "").append("LiteLLM ").append(r.version());
        }
        return s.length() == 0 ? "" : " (" + s + ")";
    }
}
