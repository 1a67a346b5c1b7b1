package io.github.llmbridge.litellm;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-litellm-compat} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()}. Each constant is named like its
 * variable, and the code reads the variable through it. The names keep LiteLLM's own spelling
 * ({@code LITELLM_PROXY_URL}), which the LiteLLM server's users already have set.
 */
public final class LiteLlmVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-litellm-compat";

    /**
     * The seed's switch between the two bundled backends, read by both of them (they declare it
     * alike): true selects {@code openrouter}; false, or not set, {@code litellm}.
     */
    public static final ConfigVariable USE_OPENROUTER_DIRECT = variable("USE_OPENROUTER_DIRECT")
            .meaning("true/1/yes: openrouter; false/0/no: litellm (any case); anything else is an error")
            .defaultValue("false")
            .build();

    /** Where the LiteLLM server listens. */
    public static final ConfigVariable LITELLM_PROXY_URL = variable("LITELLM_PROXY_URL")
            .url()
            .meaning("LiteLLM server URL, with or without /v1")
            .defaultValue(LiteLlmChatClient.DEFAULT_SERVER_URL)
            .build();

    /** The LiteLLM server's key (master or virtual). */
    public static final ConfigVariable LITELLM_API_KEY = variable("LITELLM_API_KEY")
            .orElse("OPENAI_API_KEY")
            .secret()
            .meaning("LiteLLM server key (master or virtual)")
            .defaultValue("unset (no Authorization header)")
            .build();

    /** The bulkhead size of the {@code litellm} backend. */
    public static final ConfigVariable LITELLM_MAX_CONCURRENT_CALLS = variable("LITELLM_MAX_CONCURRENT_CALLS")
            .meaning("bulkhead size, litellm: HTTP attempts in flight at once; more calls wait in a FIFO queue")
            .defaultValue(Integer.toString(LiteLlmChatClient.DEFAULT_MAX_CONCURRENCY))
            .build();

    /** Where the session and metadata go ({@link LiteLlmMetadataMode}). */
    public static final ConfigVariable LITELLM_METADATA_MODE = variable("LITELLM_METADATA_MODE")
            .meaning("where the current LlmSession and the request's metadata go: body, rllm (in the URL, for"
                    + " rLLM's server) or none")
            .defaultValue("body")
            .build();

    /** Which header carries the key ({@link LiteLlmKeyHeader}). */
    public static final ConfigVariable LITELLM_KEY_HEADER = variable("LITELLM_KEY_HEADER")
            .meaning("header that carries the key: Authorization (as Bearer <key>) or x-litellm-api-key")
            .defaultValue("Authorization")
            .build();

    /** The server's own retries for every call ({@code num_retries}). */
    public static final ConfigVariable LITELLM_NUM_RETRIES = variable("LITELLM_NUM_RETRIES")
            .meaning("the server's own retries for every call (num_retries, 0 or more); 0 leaves retrying to this"
                    + " client")
            .defaultValue("unset (the proxy's config decides)")
            .build();

    /** The token of the server's admin endpoints (rLLM's {@code --admin-token}). */
    public static final ConfigVariable LITELLM_ADMIN_TOKEN = variable("LITELLM_ADMIN_TOKEN")
            .secret()
            .meaning("token for the server's admin endpoints (rLLM's --admin-token), used by"
                    + " LiteLlmServer.flushTracer")
            .defaultValue("unset (no Authorization header)")
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public LiteLlmVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(
                USE_OPENROUTER_DIRECT,
                LITELLM_PROXY_URL,
                LITELLM_API_KEY,
                LITELLM_MAX_CONCURRENT_CALLS,
                LITELLM_METADATA_MODE,
                LITELLM_KEY_HEADER,
                LITELLM_NUM_RETRIES,
                LITELLM_ADMIN_TOKEN);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
