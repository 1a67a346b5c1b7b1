package io.github.llmbridge.core.config;

import static io.github.llmbridge.core.settings.CoreVariables.LLM_BACKEND;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.settings.ConfigVariables;
import io.github.llmbridge.core.settings.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a ready-to-use {@link ChatClient} from configuration variables, so switching backends
 * is an environment change, never a code change:
 *
 * <pre>{@code
 * // LLM_BACKEND=<name> (or a backend's switch), plus that backend's URL and key variables
 * try (ChatClient client = ChatClients.fromEnv()) { ... }
 * }</pre>
 *
 * <p>The backend is chosen by name: {@code LLM_BACKEND} if set, else by the yes/no switches the
 * backends on the classpath declare ({@link BackendSwitch}; the README lists them): a switch that
 * is set picks its backend, else a switch that is not set picks its default. Backends are found
 * through {@link ServiceLoader} ({@link ChatClientProvider}) and always wrapped in a
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
        Map<String, ChatClientProvider> providers = providers();
        BackendChoice choice = chooseBackend(settings, providers.values());
        ChatClientProvider provider = providers.get(choice.name());
        if (provider == null) {
            throw new LlmException(
                    ErrorCategory.CONFIGURATION,
                    "unknown LLM backend '" + choice.name() + "' ("
                            + choice.reason() + "); available: " + String.join(", ", providers.keySet())
                            + (providers.isEmpty()
                                    ? "none - add a backend module (one that registers a ChatClientProvider) to"
                                            + " the classpath"
                                    : " - add the module of '" + choice.name() + "' to the classpath, or choose"
                                            + " one of these with " + LLM_BACKEND));
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
     * Returns which backend the settings select and why, without creating a client: the one
     * {@code LLM_BACKEND} names; else the one the backends' switches that are set pick; else the
     * default of a switch that is not set. The backend chosen may be missing from the classpath
     * (a switch names the backends of both its values); {@link #fromSettings} reports that.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when a switch has a value
     *                      that is not yes or no (checked even when {@code LLM_BACKEND} is set),
     *                      when switches pick different backends, or when nothing picks one
     */
    public static BackendChoice chooseBackend(Settings settings) {
        return chooseBackend(settings, providers().values());
    }

    static BackendChoice chooseBackend(Settings settings, Collection<ChatClientProvider> providers) {
        Set<BackendSwitch> switches = new LinkedHashSet<>();
        providers.forEach(p -> switches.addAll(p.switches()));
        Map<BackendSwitch, Boolean> set = new LinkedHashMap<>();
        for (BackendSwitch s : switches) {
            if (settings.get(s.variable()).isPresent()) {
                set.put(s, settings.flag(s.variable(), false)); // validated even when LLM_BACKEND wins
            }
        }
        var explicit = settings.get(LLM_BACKEND);
        if (explicit.isPresent()) {
            return new BackendChoice(
                    explicit.get().toLowerCase(Locale.ROOT), LLM_BACKEND.name() + "=" + explicit.get());
        }
        // A switch that is set says what the user wants; a default only applies when none does.
        Map<String, String> picked = new LinkedHashMap<>();
        set.forEach((s, value) -> {
            String backend = s.backendFor(value);
            if (backend != null) {
                picked.merge(
                        backend.toLowerCase(Locale.ROOT),
                        s.variable() + "=" + settings.get(s.variable()).orElseThrow(),
                        (a, b) -> a + ", " + b);
            }
        });
        if (picked.isEmpty()) {
            for (BackendSwitch s : switches) {
                if (!set.containsKey(s) && s.whenFalse() != null) {
                    picked.merge(
                            s.whenFalse().toLowerCase(Locale.ROOT), s.variable() + " not set", (a, b) -> a + ", " + b);
                }
            }
        }
        if (picked.size() == 1) {
            var only = picked.entrySet().iterator().next();
            return new BackendChoice(only.getKey(), only.getValue());
        }
        List<String> available = new ArrayList<>();
        providers.forEach(p -> available.add(p.name().toLowerCase(Locale.ROOT)));
        if (picked.isEmpty()) {
            throw new LlmException(
                    ErrorCategory.CONFIGURATION,
                    "no LLM backend selected: set " + LLM_BACKEND + " to one of: " + String.join(", ", available)
                            + (switches.isEmpty() ? "" : ", or set one of the switches: " + describe(switches)));
        }
        List<String> conflicts = new ArrayList<>();
        picked.forEach((backend, reason) -> conflicts.add(reason + " -> " + backend));
        throw new LlmException(
                ErrorCategory.CONFIGURATION,
                "the backend switches pick different LLM backends (" + String.join("; ", conflicts) + "): set "
                        + LLM_BACKEND + " to the one you mean");
    }

    private static String describe(Set<BackendSwitch> switches) {
        List<String> texts = new ArrayList<>();
        for (BackendSwitch s : switches) {
            texts.add(s.variable() + "=true -> " + s.whenTrue()
                    + (s.whenFalse() == null ? "" : " (false or not set -> " + s.whenFalse() + ")"));
        }
        return String.join(", ", texts);
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
     * @param reason which variable decided it, e.g. {@code LLM_BACKEND=mock} or {@code USE_ACME_DIRECT=true}
     */
    public record BackendChoice(String name, String reason) {}
}
