package io.github.llmbridge.rllm;

/**
 * Which generation of rLLM's training server a URL answers as, told apart without side effects
 * by the routes each one has (see docs/WIRE.md): {@link RllmGateway#generation()}.
 */
public enum RllmGeneration {
    /**
     * rLLM's model gateway newer than 0.1.0 (rLLM's main branch): it has
     * {@code GET /admin/weight_version}, takes a session's sampling parameters, and its
     * {@code /admin/flush} waits for trace writes in flight.
     */
    MODEL_GATEWAY("rLLM model gateway (newer than 0.1.0: sampling parameters, weight versions)"),
    /**
     * {@code rllm-model-gateway} 0.1.0, the release on PyPI: sessions, traces, workers; it ignores
     * a session's sampling parameters, and its {@code /admin/flush} returns before trace writes in
     * flight are done unless the gateway runs with {@code sync_traces: true}.
     */
    MODEL_GATEWAY_0_1_0("rLLM model gateway 0.1.0 (no sampling parameters; flush does not wait for writes)"),
    /**
     * rLLM's LiteLLM proxy ({@code rllm.sdk.proxy.litellm_server}, rLLM v0.2.1 to v0.3.0-pre only,
     * deleted since): URL-slug metadata and {@code POST /admin/flush-tracer}; the {@code litellm}
     * backend speaks it with {@code LITELLM_METADATA_MODE=rllm}.
     */
    LITELLM_PROXY_RLLM("rLLM's LiteLLM proxy (rLLM v0.2.1 to v0.3.0-pre; use LLM_BACKEND=litellm with"
            + " LITELLM_METADATA_MODE=rllm)"),
    /** A LiteLLM proxy without rLLM's tracer. */
    LITELLM_PROXY("a LiteLLM proxy without rLLM's tracer (use LLM_BACKEND=litellm)"),
    /** Something that answers none of the probes: not an rLLM server, or not reachable. */
    UNKNOWN("not an rLLM gateway or proxy");

    private final String description;

    RllmGeneration(String description) {
        this.description = description;
    }

    /** Returns whether this is a model gateway, which the {@code rllm} backend speaks. */
    public boolean isModelGateway() {
        return this == MODEL_GATEWAY || this == MODEL_GATEWAY_0_1_0;
    }

    /** Returns what it is, for people. */
    public String description() {
        return description;
    }
}
