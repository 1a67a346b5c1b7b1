package io.github.llmbridge.rllm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;

/**
 * An inference worker the gateway routes sessions to ({@code GET /health/workers}, {@code POST
 * /admin/workers}).
 *
 * @param workerId       the gateway's id of the worker
 * @param url            its base URL ({@code http://host:8000}); health checks go to {@code <url>/health}
 * @param apiPath        the path calls are forwarded under, e.g. {@code /v1}
 * @param modelName      the model it serves, {@code ""} when not given
 * @param healthy        whether the gateway's health checks find it alive (three failures mark it dead)
 * @param activeRequests the calls in flight to it
 */
public record GatewayWorker(
        String workerId, String url, String apiPath, String modelName, boolean healthy, int activeRequests) {

    static GatewayWorker of(JsonNode w) {
        JsonNode healthy = w.get("healthy");
        return new GatewayWorker(
                text(w, "worker_id"),
                text(w, "url"),
                text(w, "api_path"),
                text(w, "model_name"),
                healthy == null || healthy.asBoolean(true),
                (int) Json.count(w, "active_requests"));
    }

    private static String text(JsonNode node, String field) {
        String value = Json.text(node, field);
        return value == null ? "" : value;
    }
}
