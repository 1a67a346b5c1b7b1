package io.github.llmbridge.rllm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Tells rLLM's server generations apart with {@code GET}s only (docs/WIRE.md):
 *
 * <ul>
 *   <li>the model gateway answers {@code GET /health} with {@code {"status": "ok"}} and
 *       {@code GET /health/workers} with a {@code workers} list; of its versions, only those after
 *       0.1.0 have {@code GET /admin/weight_version};
 *   <li>a LiteLLM proxy answers {@code GET /health/liveliness}; rLLM's has a {@code POST}-only
 *       {@code /admin/flush-tracer}, so a {@code GET} there is 405 (plain LiteLLM: 404).
 * </ul>
 */
final class GenerationProbe {

    private GenerationProbe() {}

    static RllmGeneration probe(JsonHttp http, URI root, Duration timeout) {
        try {
            JsonHttp.Reply health = http.get(URI.create(root + "/health"), Map.of(), timeout);
            if (health.ok() && "ok".equals(Json.text(health.json().orElse(null), "status"))) {
                JsonHttp.Reply workers = http.get(URI.create(root + "/health/workers"), Map.of(), timeout);
                JsonNode list = workers.json().map(w -> w.get("workers")).orElse(null);
                if (workers.ok() && list != null && list.isArray()) {
                    int weightVersion = http.get(URI.create(root + "/admin/weight_version"), Map.of(), timeout)
                            .status();
                    return weightVersion == 200 ? RllmGeneration.MODEL_GATEWAY : RllmGeneration.MODEL_GATEWAY_0_1_0;
                }
            }
            if (http.get(URI.create(root + "/health/liveliness"), Map.of(), timeout)
                    .ok()) {
                int flush = http.get(URI.create(root + "/admin/flush-tracer"), Map.of(), timeout)
                        .status();
                return flush == 405 ? RllmGeneration.LITELLM_PROXY_RLLM : RllmGeneration.LITELLM_PROXY;
            }
            return RllmGeneration.UNKNOWN;
        } catch (LlmException e) {
            if (e.category() == ErrorCategory.CANCELLED) {
                throw e;
            }
            return RllmGeneration.UNKNOWN;
        }
    }
}
