package io.github.llmbridge.core.settings;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of configuration variables: every variable LLM Bridge reads, as declared by the
 * module that reads it ({@link CoreVariables} here, the others through
 * {@link ConfigVariableSource}). The Doctor prints it, and a test holds the README's
 * configuration table and the build's list of variables hidden from tests to it.
 *
 * <pre>{@code
 * for (ConfigVariable v : ConfigVariables.all()) {
 *     System.out.println(v.label() + " (" + v.module() + "): " + v.meaning() + "; default " + v.defaultValue());
 * }
 * }</pre>
 */
public final class ConfigVariables {

    private ConfigVariables() {}

    /**
     * Returns every variable the modules on the classpath declare: {@code llm-core}'s first, then
     * the other modules' by module name, each module's in its own order.
     *
     * A variable that several modules read (a switch between backends) may be declared by each of
     * them, provided the declarations agree; it is listed once, with the modules joined.
     *
     * @throws LlmException category {@link ErrorCategory#CONFIGURATION} when two declarations of one
     *                      name disagree (modules of different versions on the classpath)
     */
    public static List<ConfigVariable> all() {
        List<ConfigVariable> declared = new ArrayList<>(CoreVariables.variables());
        Map<String, ConfigVariableSource> sources = new LinkedHashMap<>();
        for (ConfigVariableSource source : ServiceLoader.load(ConfigVariableSource.class, classLoader())) {
            // the same jar twice on the classpath must not read as a conflict
            sources.putIfAbsent(source.getClass().getName(), source);
        }
        sources.values().forEach(s -> declared.addAll(s.variables()));
        return merge(declared);
    }

    /**
     * Returns every name read (fallbacks and lower-case spellings included), sorted: the list a
     * test environment must clear.
     */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>();
        all().forEach(v -> names.addAll(v.names()));
        return names;
    }

    /** Returns the variable declared under this name (not a fallback or lower-case spelling). */
    public static Optional<ConfigVariable> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * Sorts the declarations, core first; joins agreeing declarations of one name by several
     * modules, refusing two that differ in anything but the module.
     */
    static List<ConfigVariable> merge(List<ConfigVariable> declared) {
        Map<String, ConfigVariable> byName = new LinkedHashMap<>();
        for (ConfigVariable v : declared) {
            ConfigVariable earlier = byName.putIfAbsent(v.name(), v);
            if (earlier == null || earlier.module().equals(v.module())) {
                if (earlier != null && !earlier.equals(v)) {
                    throw new LlmException(
                            ErrorCategory.CONFIGURATION, v.name() + " is declared twice by " + v.module());
                }
                continue;
            }
            if (!earlier.withModule(v.module()).equals(v)) {
                throw new LlmException(
                        ErrorCategory.CONFIGURATION,
                        v.name() + " is declared differently by " + earlier.module() + " and by " + v.module()
                                + "; modules that share a variable must declare it alike");
            }
            byName.put(v.name(), earlier.withModule(joined(earlier.module(), v.module())));
        }
        List<ConfigVariable> sorted = new ArrayList<>(byName.values());
        // a stable sort: each module's own order survives
        sorted.sort(Comparator.comparing((ConfigVariable v) -> !v.module().equals(CoreVariables.MODULE))
                .thenComparing(ConfigVariable::module));
        return List.copyOf(sorted);
    }

    private static String joined(String modules, String another) {
        Set<String> all = new TreeSet<>(List.of(modules.split(", ")));
        all.add(another);
        return String.join(", ", all);
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ConfigVariables.class.getClassLoader();
    }
}
