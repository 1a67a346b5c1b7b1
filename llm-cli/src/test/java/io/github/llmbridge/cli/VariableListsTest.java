package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariableSource;
import io.github.llmbridge.core.settings.ConfigVariables;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.openrouter.OpenRouterVariables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every list of configuration variables agrees with the registry, {@link ConfigVariables#all()}:
 * the README's Configuration table (names and defaults), the Surefire list of variables cleared
 * for tests in the root {@code pom.xml}, the Doctor's output, and the code itself (each name is
 * written once, in the module's {@code *Variables} class). Run here because llm-cli has every
 * module on its classpath (the examples' as a test dependency). A failure names each variable that is missing or extra, and where.
 */
class VariableListsTest {

    private static final Path ROOT = repositoryRoot();
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    /** A Settings read or {@code System.getenv} of an upper-case name written as a literal. */
    private static final Pattern UNDECLARED_READ =
            Pattern.compile("(?:\\b(?:get|first|require|positiveInt|flag|seconds|httpUrl|with)\\(|System\\.getenv\\()"
                    + "(?:[^\"()]*,\\s*)?\"([A-Z][A-Z0-9_]{2,})\"");

    @Test
    void readmeConfigurationTableListsEveryRegistryVariableWithItsDefault() {
        Map<String, ReadmeRow> rows = readmeRows();
        List<String> problems = new ArrayList<>();
        for (ConfigVariable v : ConfigVariables.all()) {
            ReadmeRow row = rows.remove(v.name());
            if (row == null) {
                problems.add("lacks " + v.name() + " (declared by " + v.module() + "); add the row | " + ticked(v)
                        + " | " + v.meaning() + " | " + v.defaultValue() + " |");
                continue;
            }
            if (!row.variables().equals(ticked(v))) {
                problems.add("writes " + v.name() + " as " + row.variables() + ", but " + v.module() + " reads "
                        + ticked(v));
            }
            if (!row.defaultValue().replace("`", "").equals(v.defaultValue())) {
                problems.add("gives " + v.name() + " the default '" + row.defaultValue() + "', but " + v.module()
                        + " declares '" + v.defaultValue() + "'");
            }
        }
        rows.keySet().forEach(name -> problems.add("lists " + name + ", which no module declares"));

        assertThat(problems)
                .withFailMessage(
                        "README.md's Configuration table differs from the registry (ConfigVariables.all()):%n  %s",
                        String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void surefireClearsEveryNameTheRegistryReads() {
        List<String> listed = surefireExclusions();
        Set<String> read = ConfigVariables.names();
        List<String> problems = new ArrayList<>();
        read.stream()
                .filter(name -> !listed.contains(name))
                .forEach(name ->
                        problems.add("lacks " + name + ": a developer's own " + name + " would reach the tests"));
        new TreeSet<>(listed)
                .stream()
                        .filter(name -> !read.contains(name))
                        .forEach(name -> problems.add("lists " + name + ", which no module declares"));
        listed.stream()
                .filter(name -> listed.indexOf(name) != listed.lastIndexOf(name))
                .distinct()
                .forEach(name -> problems.add("lists " + name + " twice"));

        assertThat(problems)
                .withFailMessage(
                        "The <excludedEnvironmentVariables> of pom.xml differ from the registry"
                                + " (ConfigVariables.names()):%n  %s",
                        String.join("\n  ", problems))
                .isEmpty();
    }

    @Test
    void doctorNamesEveryVariableTheRegistryReads() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // an invalid switch stops the doctor after the configuration block: no network
        Doctor.run(
                Map.of(OpenRouterVariables.USE_OPENROUTER_DIRECT.name(), "maybe"),
                List.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(2));
        String output = bytes.toString(StandardCharsets.UTF_8);

        List<String> unnamed = ConfigVariables.names().stream()
                .filter(name -> !Pattern.compile("(?<![A-Za-z0-9_])" + name + "(?![A-Za-z0-9_])")
                        .matcher(output)
                        .find())
                .toList();

        assertThat(unnamed)
                .withFailMessage("The Doctor's output does not name %s:%n%s", unnamed, output)
                .isEmpty();
    }

    @Test
    void everyBackendsConcurrencyVariableIsDeclared() {
        assertThat(ChatClients.availableBackends()).contains("litellm", "openrouter", "mock");
        for (String backend : ChatClients.availableBackends()) {
            String variable = ResilientChatClient.concurrencyVariable(backend);
            assertThat(ConfigVariables.find(variable))
                    .withFailMessage("backend '%s' reads %s, which no module declares", backend, variable)
                    .isPresent();
        }
    }

    @Test
    void everyDeclarationIsAConstantNamedLikeItsVariable() throws ReflectiveOperationException {
        Map<Class<?>, List<ConfigVariable>> sources = new LinkedHashMap<>();
        sources.put(
                CoreVariables.class,
                ConfigVariables.all().stream()
                        .filter(v -> v.module().equals(CoreVariables.MODULE))
                        .toList());
        for (ConfigVariableSource source : ServiceLoader.load(ConfigVariableSource.class)) {
            sources.put(source.getClass(), source.variables());
        }
        assertThat(sources).hasSize(8);

        for (Map.Entry<Class<?>, List<ConfigVariable>> source : sources.entrySet()) {
            Class<?> type = source.getKey();
            String module = (String) type.getField("MODULE").get(null);
            List<ConfigVariable> constants = new ArrayList<>();
            for (Field field : type.getFields()) {
                if (field.getType() == ConfigVariable.class && Modifier.isStatic(field.getModifiers())) {
                    ConfigVariable v = (ConfigVariable) field.get(null);
                    assertThat(field.getName())
                            .as("the constant holding %s in %s", v.name(), type.getSimpleName())
                            .isEqualTo(v.name());
                    assertThat(v.module()).as("the module of %s", v.name()).isEqualTo(module);
                    constants.add(v);
                }
            }
            assertThat(source.getValue())
                    .as("the variables %s declares, against its constants", type.getSimpleName())
                    .containsExactlyInAnyOrderElementsOf(constants);
        }
    }

    /**
     * The one file allowed to write other modules' variable names: tracing scrubs these keys even
     * when their module is absent, so it cannot ask the registry for them.
     */
    private static final Path WELL_KNOWN_SECRETS =
            Path.of("llm-tracing-sqlite/src/main/java/io/github/llmbridge/tracing/SqliteTracingDecorator.java");

    @Test
    void mainCodeSpellsNoVariableNameOutsideItsDeclaration() throws IOException {
        Set<String> names = ConfigVariables.names();
        Pattern literal = Pattern.compile("\"([A-Za-z][A-Za-z0-9_]*)\"");
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.getFileName().toString().endsWith("Variables.java"))
                    .filter(f -> !ROOT.relativize(f).equals(WELL_KNOWN_SECRETS))
                    .sorted()
                    .toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
                        continue; // documentation may name variables
                    }
                    Matcher m = literal.matcher(line);
                    while (m.find()) {
                        if (names.contains(m.group(1))) {
                            problems.add(ROOT.relativize(file) + ":" + (i + 1) + " spells \"" + m.group(1) + "\"");
                        }
                    }
                    // A variable read by a name no module declares: settings.get("ACME_KNOB"), System.getenv("X").
                    Matcher read = UNDECLARED_READ.matcher(line);
                    while (read.find()) {
                        if (!names.contains(read.group(1))) {
                            problems.add(ROOT.relativize(file) + ":" + (i + 1) + " reads \"" + read.group(1)
                                    + "\", which no module declares");
                        }
                    }
                }
            }
        }

        assertThat(problems)
                .withFailMessage(
                        "Variable names belong in the module's *Variables class; read them through the registry"
                                + " entry (e.g. settings.get(CoreVariables.LLM_BACKEND), LLM_BACKEND.name()):%n  %s",
                        String.join("\n  ", problems))
                .isEmpty();
    }

    /** How the README's table writes a variable's names: {@code `A`, else `B`} or {@code `A` / `a`}. */
    private static String ticked(ConfigVariable v) {
        StringBuilder cell = new StringBuilder("`" + v.name() + "`");
        if (v.lowerCaseWins()) {
            cell.append(" / `").append(v.name().toLowerCase(Locale.ROOT)).append('`');
        }
        v.fallbacks().forEach(f -> cell.append(", else `").append(f).append('`'));
        return cell.toString();
    }

    private record ReadmeRow(String variables, String meaning, String defaultValue) {}

    /** The rows of the table under "## Configuration", by the first name in each. */
    private static Map<String, ReadmeRow> readmeRows() {
        List<String> lines = read("README.md").lines().toList();
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README.md has a '## Configuration' section").isNotNegative();
        Map<String, ReadmeRow> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
            assertThat(cells).as("cells of the README row %s", line).hasSize(3);
            ReadmeRow row = new ReadmeRow(cells[0].strip(), cells[1].strip(), cells[2].strip());
            Matcher first = TICKED.matcher(row.variables());
            assertThat(first.find()).as("a variable name in %s", line).isTrue();
            assertThat(rows.put(first.group(1), row))
                    .as("README rows for %s", first.group(1))
                    .isNull();
        }
        return rows;
    }

    private static List<String> surefireExclusions() {
        Matcher block = Pattern.compile(
                        "<excludedEnvironmentVariables>(.*?)</excludedEnvironmentVariables>", Pattern.DOTALL)
                .matcher(read("pom.xml"));
        assertThat(block.find())
                .as("pom.xml has <excludedEnvironmentVariables>")
                .isTrue();
        Matcher v = Pattern.compile("<v>\\s*([^<\\s]+)\\s*</v>").matcher(block.group(1));
        List<String> names = new ArrayList<>();
        while (v.find()) {
            names.add(v.group(1));
        }
        return names;
    }

    private static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory with the README and the parent pom, found from the module's directory. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("llm-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no README.md with llm-core beside it above " + Path.of("").toAbsolutePath());
    }
}
