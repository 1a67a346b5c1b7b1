package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code llm-core} depend on each other one way, so each can be read, tested and
 * changed knowing only what lies beneath it (see docs/ARCHITECTURE.md, "Where each concern lives").
 * The one pair allowed to use each other is the API and {@code core.internal}, whose helpers
 * implement the API's defaults ({@code chat()} joining {@code chatAsync()}) and build its exceptions.
 */
class PackageDependenciesTest {

    private static final String ROOT = "io.github.llmbridge.core";
    private static final Path SOURCES = Path.of("src/main/java/io/github/llmbridge/core");
    private static final Pattern REFERENCE =
            Pattern.compile("\\b(io\\.github\\.llmbridge\\.core(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Set<String> ALLOWED_CYCLE = Set.of(ROOT, ROOT + ".internal");

    @Test
    void noPackageCyclesBesidesTheApiAndItsInternals() {
        Map<String, Set<String>> graph = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String from : graph.keySet()) {
            for (String to : graph.get(from)) {
                if (reaches(graph, to, from, new HashSet<>())
                        && !(ALLOWED_CYCLE.contains(from) && ALLOWED_CYCLE.contains(to))) {
                    cycles.add(shortName(from) + " -> " + shortName(to) + " -> ... -> " + shortName(from));
                }
            }
        }
        assertThat(cycles)
                .withFailMessage("package cycles in llm-core:%n  %s%ngraph: %s", String.join("\n  ", cycles), graph)
                .isEmpty();
    }

    @Test
    void eachLayerUsesOnlyWhatLiesBeneathIt() {
        Map<String, Set<String>> graph = dependencies();
        assertThat(graph).containsKeys(ROOT + ".settings", ROOT + ".internal.transport", ROOT + ".resilience");
        // settings are read by everything, so they read nothing but the API
        assertThat(graph.get(ROOT + ".settings")).isSubsetOf(ROOT, ROOT + ".internal");
        // the transport knows nothing of assembly, retries or diagnostics
        assertThat(graph.get(ROOT + ".internal.transport"))
                .doesNotContain(ROOT + ".config", ROOT + ".resilience", ROOT + ".check", ROOT + ".testing");
        // resilience composes around any ChatClient: no HTTP exchange, no proxies, no backend assembly
        assertThat(graph.get(ROOT + ".resilience"))
                .doesNotContain(ROOT + ".internal.transport", ROOT + ".httpproxy", ROOT + ".config", ROOT + ".check");
        // error mapping is below the transport that uses it
        assertThat(graph.get(ROOT + ".internal.errors")).doesNotContain(ROOT + ".internal.transport", ROOT + ".config");
    }

    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))
                    .forEach(f -> {
                        String text = read(f).replaceAll("(?s)/\\*.*?\\*/", ""); // Javadoc links are no dependency
                        Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                        if (!pkg.find()) {
                            return;
                        }
                        Set<String> uses = graph.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                        Matcher ref = REFERENCE.matcher(text);
                        while (ref.find()) {
                            if (!ref.group(1).equals(pkg.group(1))) {
                                uses.add(ref.group(1));
                            }
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(graph).as("sources read from " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(5);
        return graph;
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (reaches(graph, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "core" : "core" + pkg.substring(ROOT.length());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
