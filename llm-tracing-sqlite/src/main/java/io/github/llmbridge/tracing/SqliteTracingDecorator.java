package io.github.llmbridge.tracing;

import static io.github.llmbridge.tracing.TracingVariables.LLM_TRACE_DB;
import static io.github.llmbridge.tracing.TracingVariables.LLM_TRACE_FULL_MEDIA;
import static io.github.llmbridge.tracing.TracingVariables.LLM_TRACE_QUEUE_CAPACITY;
import static io.github.llmbridge.tracing.TracingVariables.LLM_TRACE_QUEUE_POLICY;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClientDecorator;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariables;
import io.github.llmbridge.core.settings.Settings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Adds tracing to {@code ChatClients.fromEnv()} when {@code LLM_TRACE_DB} names a file, as the
 * outermost layer. Registered in {@code META-INF/services/io.github.llmbridge.core.config.ChatClientDecorator};
 * not meant to be called directly. The values of the variables {@link ConfigVariables} marks
 * secret (the configured API keys and tokens) are scrubbed from everything stored.
 */
public final class SqliteTracingDecorator implements ChatClientDecorator {

    /** Above every other layer, so a trace covers retries and fallbacks. */
    public static final int ORDER = 1000;

    /**
     * Keys scrubbed even when the module that declares them is not on the classpath: a key set in
     * the environment can reach a prompt or an error whichever backend runs, and this module
     * depends on none of them to ask the registry. (The one place these names are written twice;
     * VariableListsTest allows it here only.)
     */
    private static final List<String> WELL_KNOWN_SECRETS =
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
            throw configError(LLM_TRACE_DB.name() + " is not a valid file path, was '" + db + "': " + e.getReason(), e);
        }
        SqliteTraceStore.Builder builder = SqliteTraceStore.builder(file)
                .queueCapacity(settings.positiveInt(LLM_TRACE_QUEUE_CAPACITY, SqliteTraceStore.DEFAULT_QUEUE_CAPACITY))
                .fullMedia(settings.flag(LLM_TRACE_FULL_MEDIA, false))
                .redact(secretValues(settings));
        Optional<String> policy = settings.get(LLM_TRACE_QUEUE_POLICY);
        if (policy.isPresent()) {
            try {
                builder.fullQueuePolicy(FullQueuePolicy.parse(policy.get()));
            } catch (IllegalArgumentException e) {
                throw configError(LLM_TRACE_QUEUE_POLICY.name() + " " + e.getMessage(), e);
            }
        }
        try {
            return TracingChatClient.owningStore(client, builder.open());
        } catch (TraceStoreException e) {
            throw configError(LLM_TRACE_DB.name() + "=" + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * The values of every variable the registry marks secret (keys, tokens), under all their
     * names, and of the {@link #WELL_KNOWN_SECRETS}.
     */
    private static List<String> secretValues(Settings settings) {
        return Stream.concat(
                        WELL_KNOWN_SECRETS.stream(),
                        ConfigVariables.all().stream()
                                .filter(ConfigVariable::secret)
                                .flatMap(v -> v.names().stream()))
                .distinct()
                .map(settings::get)
                .flatMap(Optional::stream)
                .toList();
    }

    private static LlmException configError(String message, Throwable cause) {
        return LlmException.builder(ErrorCategory.CONFIGURATION, message)
                .cause(cause)
                .build();
    }
}
