package io.github.llmbridge.rllm;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-rllm} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()}. Each constant is named like its
 * variable, and the code reads the variable through it. The backend is selected with
 * {@code LLM_BACKEND=rllm}; it declares no yes/no switch of its own.
 */
public final class RllmVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-rllm";

    /**
     * Where rLLM's model gateway listens: its root ({@code http://host:9090}), or one session's URL
     * ({@code http://host:9090/sessions/<id>/v1}) handed over by the trainer, which every call then uses.
     */
    public static final ConfigVariable RLLM_GATEWAY_URL = variable("RLLM_GATEWAY_URL")
            .url()
            .meaning("rLLM model gateway: its root, or a session URL .../sessions/<id>/v1 that every call then uses")
            .defaultValue(RllmChatClient.DEFAULT_GATEWAY_URL)
            .build();

    /** The bulkhead size of the {@code rllm} backend. */
    public static final ConfigVariable RLLM_MAX_CONCURRENT_CALLS = variable("RLLM_MAX_CONCURRENT_CALLS")
            .meaning("bulkhead size, rllm: HTTP attempts in flight at once; more calls wait in a FIFO queue")
            .defaultValue(Integer.toString(RllmChatClient.DEFAULT_MAX_CONCURRENCY))
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public RllmVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(RLLM_GATEWAY_URL, RLLM_MAX_CONCURRENT_CALLS);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
