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
import io.github.llmbridge.tracing.internal.TraceStoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Adds tracing to {@code ChatClients.fromEnv()} when {@code LLM_TRACE_DB} is set, as the
 * outermost layer: to a SQLite file, or to the store of a module that accepts the value (with
 * {@code llm-tracing-postgres}, a {@code postgresql://} or {@code jdbc:postgresql:} URL). Registered in {@code META-INF/services/io.github.llmbridge.core.config.ChatClientDecorator};
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

    /** A URL scheme ({@code postgresql://}, {@code jdbc:...}), not a drive letter ({@code C:\}). */
    private static final Pattern URL_LIKE = Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.-]+://|jdbc:).*");

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
        return TracingChatClient.owningStore(client, openStore(db, settings));
    }

    /**
     * Opens the store {@code location} names, with the queue settings and the secrets to scrub:
     * the first {@link TraceStoreProvider} that accepts it, else a SQLite file.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming {@code LLM_TRACE_DB}
     */
    static TraceStore openStore(String location, Settings settings) {
        TraceStoreProvider.Options options = new TraceStoreProvider.Options(
                settings.positiveInt(LLM_TRACE_QUEUE_CAPACITY, SqliteTraceStore.DEFAULT_QUEUE_CAPACITY),
                policy(settings),
                settings.flag(LLM_TRACE_FULL_MEDIA, false),
                secretValues(settings));
        for (TraceStoreProvider provider : ServiceLoader.load(TraceStoreProvider.class, classLoader())) {
            if (provider.accepts(location)) {
                try {
                    return provider.open(location, settings, options);
                } catch (TraceStoreException e) {
                    // The provider's message names the store without its password; the value itself may hold one.
                    throw configError(LLM_TRACE_DB.name() + ": " + e.getMessage(), null);
                }
            }
        }
        if (URL_LIKE.matcher(location).matches()) {
            String shown = ConfigVariable.Kind.URL.shown(location);
            boolean postgres = location.toLowerCase(Locale.ROOT).matches("^(postgres(ql)?://|jdbc:postgresql:).*");
            throw configError(
                    LLM_TRACE_DB.name() + "=" + shown + " is a URL, not a file"
                            + (postgres
                                    ? ", and PostgreSQL tracing needs io.github.llmbridge:llm-tracing-postgres on the"
                                            + " class path"
                                    : "; it takes a SQLite file path or, with llm-tracing-postgres, a postgresql:// URL"),
                    null);
        }
        return openSqlite(location, options);
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SqliteTracingDecorator.class.getClassLoader();
    }

    private static FullQueuePolicy policy(Settings settings) {
        Optional<String> policy = settings.get(LLM_TRACE_QUEUE_POLICY);
        if (policy.isEmpty()) {
            return FullQueuePolicy.BLOCK;
        }
        try {
            return FullQueuePolicy.parse(policy.get());
        } catch (IllegalArgumentException e) {
            throw configError(LLM_TRACE_QUEUE_POLICY.name() + " " + e.getMessage(), e);
        }
    }

    private static TraceStore openSqlite(String db, TraceStoreProvider.Options options) {
        Path file;
        try {
            file = Path.of(db);
        } catch (InvalidPathException e) {
            throw configError(LLM_TRACE_DB.name() + " is not a valid file path, was '" + db + "': " + e.getReason(), e);
        }
        SqliteTraceStore.Builder builder = SqliteTraceStore.builder(file)
                .queueCapacity(options.queueCapacity())
                .fullQueuePolicy(options.policy())
                .fullMedia(options.fullMedia())
                .redact(options.secrets());
        try {
            return builder.open();
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
