package io.github.llmbridge.litellm;

import java.util.List;

/**
 * What the proxy's {@code GET /health} found: it makes one real call per configured deployment
 * and reports which answered.
 *
 * @param healthy   the deployments that answered
 * @param unhealthy the deployments that failed, each with its error
 */
public record ServerHealth(List<Endpoint> healthy, List<Endpoint> unhealthy) {

    /** Copies the lists. */
    public ServerHealth {
        healthy = List.copyOf(healthy);
        unhealthy = List.copyOf(unhealthy);
    }

    /** Returns whether at least one deployment answered and none failed. */
    public boolean allHealthy() {
        return !healthy.isEmpty() && unhealthy.isEmpty();
    }

    /**
     * One deployment the proxy checked.
     *
     * @param model   its model, e.g. {@code openai/gpt-4o-mini} ({@code ""} when not reported)
     * @param apiBase where the proxy calls it ({@code ""} when not reported)
     * @param error   why it failed ({@code ""} for a healthy one), configured secrets scrubbed
     */
    public record Endpoint(String model, String apiBase, String error) {}
}
