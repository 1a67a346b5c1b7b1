package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClientDecorator;
import io.github.llmbridge.core.config.Settings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Adds tracing to {@code ChatClients.fromEnv()} when {@code LLM_TRACE_DB} names a file, as the
 * outermost layer. Registered in {@code META-INF/services/io.github.llmbridge.core.config.ChatClientDecorator};
 * not meant to be called directly. The configured API keys are scrubbed from everything stored.
 */
public final class SqliteTracingDecorator implements ChatClientDecorator {

    /** The SQLite file to trace to; tracing is off when unset. */
    public static final String LLM_TRACE_DB = "LLM_TRACE_DB";
    /** How many traces may wait for the writer (default {@value SqliteTraceStore#DEFAULT_QUEUE_CAPACITY}). */
    public static final String LLM_TRACE_QUEUE_CAPACITY = "LLM_TRACE_QUEUE_CAPACITY";
    /** {@code block} (default) or {@code drop}: what happens to a trace that finds the queue full. */
    public static final String LLM_TRACE_QUEUE_POLICY = "LLM_TRACE_QUEUE_POLICY";
    /** Above every other layer, so a trace covers retries and fallbacks. */
    public static final int ORDER = 1000;

    /** The variables whose values are secrets, scrubbed from stored text. */
    private static final List<String> SECRET_VARIABLES =
            List.of("OPENROUTER_API_KEY", "OPENAI_API_KEY", "LITELLM_API_KEY", "LITELLM_ADMIN_TOKEN");

    /** Creates the provider (called by {@code ServiceLoader}). */
    public SqliteTracingDecorator() {}

    @Override
    public String name() {
        return "sqlite-tracing";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public boolean isEnabled(Settings settings) {
        return settings.get(LLM_TRACE_DB).isPresent();
    }

    /**
     * Opens the store named by {@code LLM_TRACE_DB} and wraps the client; closing the client
     * closes the store.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming the variable when a
     *                      value is invalid or the file cannot be opened
     */
    @Override
    public ChatClient decorate(ChatClient client, Settings settings) {
        String db = settings.get(LLM_TRACE_DB).orElseThrow();
        Path file;
        try {
            file = Path.of(db);
        } catch (InvalidPathException e) {
            throw configError(LLM_TRACE_DB + " is not a valid file path, was '" + db + "': " + e.getReason(), e);
        }
        SqliteTraceStore.Builder builder = SqliteTraceStore.builder(file)
                .queueCapacity(settings.positiveInt(LLM_TRACE_QUEUE_CAPACITY, SqliteTraceStore.DEFAULT_QUEUE_CAPACITY))
                .redact(SECRET_VARIABLES.stream()
                        .map(settings::get)
                        .flatMap(Optional::stream)
                        .toList());
        Optional<String> policy = settings.get(LLM_TRACE_QUEUE_POLICY);
        if (policy.isPresent()) {
            try {
                builder.fullQueuePolicy(FullQueuePolicy.parse(policy.get()));
            } catch (IllegalArgumentException e) {
                throw configError(LLM_TRACE_QUEUE_POLICY + " " + e.getMessage(), e);
            }
        }
        try {
            return TracingChatClient.owningStore(client, builder.open());
        } catch (TraceStoreException e) {
            throw configError(LLM_TRACE_DB + "=" + db + ": " + e.getMessage(), e);
        }
    }

    private static LlmException configError(String message, Throwable cause) {
        return LlmException.builder(ErrorCategory.CONFIGURATION, message)
                .cause(cause)
                .build();
    }
}
