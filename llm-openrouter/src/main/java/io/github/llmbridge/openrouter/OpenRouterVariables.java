package io.github.llmbridge.openrouter;

import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import java.util.List;

/**
 * The configuration variables {@code llm-openrouter} reads, declared for
 * {@link io.github.llmbridge.core.settings.ConfigVariables#all()}. Each constant is named like its
 * variable, and the code reads the variable through it.
 */
public final class OpenRouterVariables implements ConfigVariableSource {

    /** The artifact these variables belong to. */
    public static final String MODULE = "llm-openrouter";

    /**
     * The seed's switch between the two bundled backends, read by both of them (they declare it
     * alike): true selects {@code openrouter}; false, or not set, {@code litellm}.
     */
    public static final ConfigVariable USE_OPENROUTER_DIRECT = variable("USE_OPENROUTER_DIRECT")
            .meaning("true/1/yes: openrouter; false/0/no: litellm (any case); anything else is an error")
            .defaultValue("false")
            .build();

    /** The OpenRouter API key. */
    public static final ConfigVariable OPENROUTER_API_KEY = variable("OPENROUTER_API_KEY")
            .orElse("OPENAI_API_KEY")
            .secret()
            .meaning("OpenRouter key")
            .defaultValue("required for openrouter")
            .build();

    /** The OpenRouter API root. */
    public static final ConfigVariable OPENROUTER_BASE_URL = variable("OPENROUTER_BASE_URL")
            .orElse("OPENAI_API_BASE")
            .url()
            .meaning("OpenRouter API root")
            .defaultValue(OpenRouterChatClient.DEFAULT_BASE_URL)
            .build();

    /** Sent as {@code HTTP-Referer}. */
    public static final ConfigVariable OPENROUTER_REFERER = variable("OPENROUTER_REFERER")
            .meaning("sent as HTTP-Referer")
            .defaultValue("unset (header not sent)")
            .build();

    /** Sent as {@code X-OpenRouter-Title} and {@code X-Title}. */
    public static final ConfigVariable OPENROUTER_TITLE = variable("OPENROUTER_TITLE")
            .meaning("sent as X-OpenRouter-Title and X-Title")
            .defaultValue("unset (headers not sent)")
            .build();

    /** The bulkhead size of the {@code openrouter} backend. */
    public static final ConfigVariable OPENROUTER_MAX_CONCURRENT_CALLS = variable("OPENROUTER_MAX_CONCURRENT_CALLS")
            .meaning("bulkhead size, openrouter: HTTP attempts in flight at once; more calls wait in a FIFO queue")
            .defaultValue(Integer.toString(OpenRouterChatClient.DEFAULT_MAX_CONCURRENCY))
            .build();

    /** Creates the source (called by {@link java.util.ServiceLoader}). */
    public OpenRouterVariables() {}

    @Override
    public List<ConfigVariable> variables() {
        return List.of(
                USE_OPENROUTER_DIRECT,
                OPENROUTER_API_KEY,
                OPENROUTER_BASE_URL,
                OPENROUTER_REFERER,
                OPENROUTER_TITLE,
                OPENROUTER_MAX_CONCURRENT_CALLS);
    }

    private static ConfigVariable.Builder variable(String name) {
        return ConfigVariable.builder(MODULE, name);
    }
}
