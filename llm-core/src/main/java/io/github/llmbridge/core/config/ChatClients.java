package io.github.llmbridge.core.config;

import static io.github.llmbridge.core.config.CoreVariables.LLM_BACKEND;
import static io.github.llmbridge.core.config.CoreVariables.USE_OPENROUTER_DIRECT;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a ready-to-use {@link ChatClient} from configuration variables, so switching backends
 * is an environment change, never a code change:
 *
 * <pre>{@code
 * // USE_OPENROUTER_DIRECT=true OPENROUTER_API_KEY=sk-or-...  -> OpenRouter
 * // (unset)                    LITELLM_PROXY_URL=http://localhost:4000 -> LiteLLM proxy
 * try (ChatClient client = ChatClients.fromEnv()) { ... }
 * }</pre>
 *
 * <p>The backend is chosen by name: {@code LLM_BACKEND} if set, else {@code openrouter} when
 * {@code USE_OPENROUTER_DIRECT} is true, else {@code litellm}. Backends are found through
 * {@link ServiceLoader} ({@link ChatClientProvider}) and always wrapped in a
 * {@link ResilientChatClient} (retry, deadline, bulkhead, fallback models, fail-open); then every
 * {@link ChatClientDecorator} whose settings are present wraps that. The variables read are listed
 * by {@link ConfigVariables#all()}.
 */
public final class ChatClients {

    private static final Logger log = LoggerFactory.getLogger(ChatClients.class);

    private ChatClients() {}

    /**
     * Builds a client from the process environment.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when a variable is
     *                      invalid, a required one is missing, or the backend is unknown
     */
    public static ChatClient fromEnv() {
        return fromSettings(Settings.fromEnvironment());
    }

    /**
     * Builds a client from the given variables instead of the environment (tests, or a trainer
     * that keeps its configuration elsewhere).
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} as for {@link #fromEnv()}
     */
    public static ChatClient fromEnv(Map<String, String> variables) {
        return fromSettings(Settings.of(variables));
    }

    /**
     * Builds a client from settings.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} as for {@link #fromEnv()}
     */
    public static ChatClient fromSettings(Settings settings) {
        return decorate(fromSettingsWithoutDecorators(settings), settings);
    }

    /**
     * Builds the backend the settings select wrapped in resilience, as {@link #fromSettings} does,
     * but without the optional {@link ChatClientDecorator}s (tracing): for diagnostics, which
     * should validate every setting without opening a trace database.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} as for {@link #fromEnv()}
     */
    public static ChatClient fromSettingsWithoutDecorators(Settings settings) {
        BackendChoice choice = chooseBackend(settings);
        Map<String, ChatClientProvider> providers = providers();
        ChatClientProvider provider = providers.get(choice.name());
        if (provider == null) {
            throw new LlmException(
                    ErrorCategory.CONFIGURATION,
                    "unknown LLM backend '" + choice.name() + "' ("
                            + choice.reason() + "); available: " + String.join(", ", providers.keySet())
                            + (providers.isEmpty()
                                    ? "none - add llm-openrouter or llm-litellm-compat to the classpath"
                                    : ""));
        }
        ChatClient backend = provider.create(settings);
        ChatClient client;
        try {
            client = ResilientChatClient.wrap(backend, settings);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        log.info("LLM backend '{}' selected ({}): {}", choice.name(), choice.reason(), client);
        return client;
    }

    /** Returns the names of the backends on the classpath, sorted. */
    public static List<String> availableBackends() {
        return new ArrayList<>(providers().keySet());
    }

    /**
     * Returns which backend the settings select and why, without creating a client.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when the switch is invalid
     */
    public static BackendChoice chooseBackend(Settings settings) {
        var explicit = settings.get(LLM_BACKEND);
        boolean direct = settings.flag(USE_OPENROUTER_DIRECT, false); // validated even when LLM_BACKEND wins
        if (explicit.isPresent()) {
            return new BackendChoice(
                    explicit.get().toLowerCase(Locale.ROOT), LLM_BACKEND.name() + "=" + explicit.get());
        }
        String reason = settings.get(USE_OPENROUTER_DIRECT)
                .map(v -> USE_OPENROUTER_DIRECT.name() + "=" + v)
                .orElse(USE_OPENROUTER_DIRECT.name() + " not set");
        return new BackendChoice(direct ? "openrouter" : "litellm", reason);
    }

    private static ChatClient decorate(ChatClient client, Settings settings) {
        List<ChatClientDecorator> decorators = new ArrayList<>();
        ServiceLoader.load(ChatClientDecorator.class, classLoader()).forEach(decorators::add);
        decorators.sort(Comparator.comparingInt(ChatClientDecorator::order).thenComparing(ChatClientDecorator::name));
        ChatClient decorated = client;
        for (ChatClientDecorator decorator : decorators) {
            if (decorator.isEnabled(settings)) {
                try {
                    decorated = decorator.decorate(decorated, settings);
                } catch (RuntimeException e) {
                    decorated.close();
                    throw e;
                }
                log.info("LLM client decorated with '{}'", decorator.name());
            }
        }
        return decorated;
    }

    private static Map<String, ChatClientProvider> providers() {
        Map<String, ChatClientProvider> byName = new TreeMap<>();
        for (ChatClientProvider provider : ServiceLoader.load(ChatClientProvider.class, classLoader())) {
            byName.putIfAbsent(provider.name().toLowerCase(Locale.ROOT), provider);
        }
        return byName;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ChatClients.class.getClassLoader();
    }

    /**
     * The backend the settings select.
     *
     * @param name   the provider name
     * @param reason which variable decided it, e.g. {@code USE_OPENROUTER_DIRECT=true}
     */
    public record BackendChoice(String name, String reason) {}
}
