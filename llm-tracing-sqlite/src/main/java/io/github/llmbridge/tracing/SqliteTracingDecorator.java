package io.github.llmbridge.tracing;

import static io.github.llmbridge.tracing.TracingVariables.LLM_CACHE;
import static io.github.llmbridge.tracing.TracingVariables.LLM_CACHE_MAX_AGE;
import static io.github.llmbridge.tracing.TracingVariables.LLM_REPLAY_DB;
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
import io.github.llmbridge.tracing.cache.CacheScope;
import io.github.llmbridge.tracing.cache.CachingChatClient;
import io.github.llmbridge.tracing.internal.TraceStoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
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
        // LLM_CACHE alone is enabled too, so that it fails naming LLM_TRACE_DB instead of doing nothing
        return settings.get(LLM_TRACE_DB).isPresent()
                || settings.get(LLM_REPLAY_DB).isPresent()
                || settings.get(LLM_CACHE).isPresent();
    }

    /**
     * Wraps the client: in replay from {@code LLM_REPLAY_DB} or the cache ({@code LLM_CACHE}) over
     * the traces, then in tracing to {@code LLM_TRACE_DB}, the outermost layer, so cache hits and
     * replayed calls are traced too and take no permit of the resilience layer inside. Closing the
     * client closes the stores.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming the variable when a
     *                      value is invalid or a store cannot be opened
     */
    @Override
    public ChatClient decorate(ChatClient client, Settings settings) {
        Optional<String> traceDb = settings.get(LLM_TRACE_DB);
        Optional<String> replayDb = settings.get(LLM_REPLAY_DB);
        Optional<CacheScope> scope = cacheScope(settings);
        Optional<Duration> maxAge = settings.seconds(LLM_CACHE_MAX_AGE);
        if (scope.isPresent() && traceDb.isEmpty()) {
            throw configError(
                    LLM_CACHE.name() + "=" + settings.get(LLM_CACHE).orElseThrow() + " answers calls from the traces"
                            + " of " + LLM_TRACE_DB.name() + ", which is not set; set it to the trace database to"
                            + " cache in, or use " + LLM_REPLAY_DB.name() + " to replay a recorded run",
                    null);
        }
        if (scope.isPresent() && replayDb.isPresent()) {
            throw configError(
                    LLM_CACHE.name() + " and " + LLM_REPLAY_DB.name() + " are both set; replay answers every call"
                            + " already, unset one",
                    null);
        }
        ChatClient inner = client;
        if (replayDb.isPresent()) {
            inner = CachingChatClient.replayOwningStore(client, openStore(replayDb.get(), settings, LLM_REPLAY_DB));
        }
        if (traceDb.isEmpty()) {
            return inner;
        }
        TraceStore store;
        try {
            store = openStore(traceDb.get(), settings, LLM_TRACE_DB);
        } catch (RuntimeException e) {
            closeQuietly(inner, e);
            throw e;
        }
        if (scope.isPresent()) {
            try {
                inner = CachingChatClient.cache(inner, store, scope.get(), maxAge.orElse(null));
            } catch (RuntimeException e) {
                store.close();
                throw configError(
                        LLM_CACHE.name() + ": cannot read " + LLM_TRACE_DB.name() + ": " + e.getMessage(), null);
            }
        }
        return TracingChatClient.owningStore(inner, store);
    }

    private static Optional<CacheScope> cacheScope(Settings settings) {
        Optional<String> value = settings.get(LLM_CACHE);
        if (value.isEmpty() || value.get().trim().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(CacheScope.parse(value.get()));
        } catch (IllegalArgumentException e) {
            throw configError(LLM_CACHE.name() + " " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ChatClient client, RuntimeException failure) {
        try {
            client.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Opens the store {@code LLM_TRACE_DB} names; see {@link #openStore(String, Settings, ConfigVariable)}. */
    static TraceStore openStore(String location, Settings settings) {
        return openStore(location, settings, LLM_TRACE_DB);
    }

    /**
     * Opens the store {@code location} names, with the queue settings and the secrets to scrub:
     * the first {@link TraceStoreProvider} that accepts it, else a SQLite file.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} naming {@code LLM_TRACE_DB}
     */
    static TraceStore openStore(String location, Settings settings, ConfigVariable variable) {
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
                    throw configError(variable.name() + ": " + e.getMessage(), null);
                }
            }
        }
        if (URL_LIKE.matcher(location).matches()) {
            String shown = ConfigVariable.Kind.URL.shown(location);
            boolean postgres = location.toLowerCase(Locale.ROOT).matches("^(postgres(ql)?://|jdbc:postgresql:).*");
            throw configError(
                    variable.name() + "=" + shown + " is a URL, not a file"
                            + (postgres
                                    ? ", and PostgreSQL tracing needs io.github.llmbridge:llm-tracing-postgres on the"
                                            + " class path"
                                    : "; it takes a SQLite file path or, with llm-tracing-postgres, a postgresql:// URL"),
                    null);
        }
        return openSqlite(location, options, variable);
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

    private static TraceStore openSqlite(String db, TraceStoreProvider.Options options, ConfigVariable variable) {
        Path file;
        try {
            file = Path.of(db);
        } catch (InvalidPathException e) {
            throw configError(variable.name() + " is not a valid file path, was '" + db + "': " + e.getReason(), e);
        }
        SqliteTraceStore.Builder builder = SqliteTraceStore.builder(file)
                .queueCapacity(options.queueCapacity())
                .fullQueuePolicy(options.policy())
                .fullMedia(options.fullMedia())
                .redact(options.secrets());
        try {
            return builder.open();
        } catch (TraceStoreException e) {
            throw configError(variable.name() + "=" + db + ": " + e.getMessage(), e);
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
