package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The public API is what a user's module can compile against: programs compiled by javac on the
 * module path, against the built library modules and their dependencies, as a user's build would.
 * A realistic user module compiles and runs (ServiceLoader providers found through {@code provides});
 * one that imports an internal package does not compile.
 */
class ModuleFenceTest {

    /** A class from each module a user's application has on its module path, the library's and its dependencies'. */
    private static final List<String> MODULE_PATH_CLASSES = List.of(
            "io.github.llmbridge.core.ChatClient",
            "io.github.llmbridge.openrouter.OpenRouterChatClient",
            "io.github.llmbridge.litellm.LiteLlmChatClient",
            "io.github.llmbridge.tracing.TracingChatClient",
            "io.github.llmbridge.otel.OpenTelemetryChatClient",
            "io.opentelemetry.api.OpenTelemetry",
            "io.opentelemetry.context.Context",
            "io.opentelemetry.common.ComponentLoader",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "com.fasterxml.jackson.datatype.jdk8.Jdk8Module",
            "org.slf4j.LoggerFactory",
            "org.slf4j.simple.SimpleLogger",
            "io.github.resilience4j.core.IntervalFunction",
            "io.github.resilience4j.retry.Retry",
            "io.github.resilience4j.bulkhead.Bulkhead",
            "com.github.victools.jsonschema.generator.SchemaGenerator",
            "com.github.victools.jsonschema.module.jackson.JacksonModule",
            "com.fasterxml.classmate.ResolvedType",
            "org.sqlite.JDBC");

    private static String modulePath;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTheLibraryModules() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String name : MODULE_PATH_CLASSES) {
            entries.add(locationOf(Class.forName(name, false, ModuleFenceTest.class.getClassLoader())));
        }
        modulePath = entries.stream().distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private static String locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    @Test
    void aUserModuleCompilesAgainstTheApiAndRunsOnTheModulePath() throws Exception {
        Path traces = dir.resolve("traces.db");
        Path classes = compile("""
                module user.judge {
                    requires io.github.llmbridge.core;
                    requires io.github.llmbridge.openrouter;
                    // Jackson binds chatJson replies to the user's records by reflection.
                    opens user.judge to com.fasterxml.jackson.databind;
                }
                """, "user/judge/Main.java", """
                package user.judge;

                import io.github.llmbridge.core.ChatClient;
                import io.github.llmbridge.core.ChatRequest;
                import io.github.llmbridge.core.check.CheckTarget;
                import io.github.llmbridge.core.check.ConnectionCheck;
                import io.github.llmbridge.core.check.ConnectionReport;
                import io.github.llmbridge.core.config.BackendBuilder;
                import io.github.llmbridge.core.config.ChatClients;
                import io.github.llmbridge.core.httpproxy.EnvProxySelector;
                import io.github.llmbridge.core.resilience.ResilientChatClient;
                import io.github.llmbridge.core.testing.ScriptedChatClient;
                import io.github.llmbridge.openrouter.OpenRouterChatClient;
                import java.net.URI;
                import java.time.Duration;
                import java.util.Map;
                import java.util.function.Consumer;

                public final class Main {
                    record Score(int score) {}

                    public static void main(String[] args) throws Exception {
                        ChatRequest request = ChatRequest.builder().model("acme/judge").user("2+2?").build();

                        // Assembly from the environment: the mock backend and the tracing decorator are found
                        // by ServiceLoader through the library modules' provides clauses.
                        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", args[0]))) {
                            System.out.println("fromEnv: " + client.backend() + " answered " + !client.chat(request).content().isEmpty());
                        }

                        // A backend built in code, with the setters every backend's builder shares; settings
                        // meant for any backend are written once against their common supertype.
                        EnvProxySelector proxies = EnvProxySelector.builder().proxy("http://proxy.invalid:3128").build();
                        Consumer<BackendBuilder<?>> corporateNetwork = b -> b.proxySelector(proxies);
                        OpenRouterChatClient.Builder builder = OpenRouterChatClient.builder()
                                .apiKey("sk-or-v1-not-a-real-key")
                                .timeout(Duration.ofSeconds(30))
                                .maxConcurrency(8);
                        corporateNetwork.accept(builder);
                        try (OpenRouterChatClient judge = builder.build()) {
                            CheckTarget target = judge.unwrap(CheckTarget.class).orElseThrow();
                            System.out.println("route: " + target.proxySetup().route(URI.create("https://openrouter.ai")).proxyHostAndPort());
                        }

                        // Test doubles, resilience and diagnostics, none of which touches the network.
                        ScriptedChatClient scripted = new ScriptedChatClient().reply("{\\"score\\": 7}").reply("ok");
                        try (ChatClient resilient = ResilientChatClient.builder(scripted).build()) {
                            System.out.println("chatJson: " + resilient.chatJson(request, Score.class).score());
                        }
                        // A strict schema derived from the user's record, read by reflection on the module path.
                        System.out.println("schema: " + io.github.llmbridge.core.ResponseFormat.jsonSchema(Score.class)
                                .schema().orElseThrow().get("required"));
                        ConnectionReport report = ConnectionCheck.run(scripted, "acme/judge", Duration.ofSeconds(5));
                        System.out.println("check: " + report.ok());

                        // The registry of variables gathers every module's declarations through provides.
                        System.out.println("registry: " + io.github.llmbridge.core.settings.ConfigVariables.names().containsAll(
                                java.util.List.of("LLM_MAX_ATTEMPTS", "OPENROUTER_API_KEY", "LLM_TRACE_DB")));
                    }
                }
                """);

        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--module-path",
                        classes + File.pathSeparator + modulePath,
                        "--module",
                        "user.judge/user.judge.Main",
                        traces.toString())
                .redirectErrorStream(true)
                .start();
        java.getOutputStream().close();
        boolean finished = java.waitFor(120, TimeUnit.SECONDS);
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            java.destroyForcibly();
        }

        assertThat(finished).as("the user program finished").isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("fromEnv: mock answered true")
                .contains("route: proxy.invalid:3128")
                .contains("chatJson: 7")
                .contains("schema: [\"score\"]")
                .contains("check: true")
                .contains("registry: true");
        assertThat(traces).as("the tracing decorator ran on the module path").exists();
    }

    @Test
    void theOpenTelemetryLayerAndTheBudgetWorkOnTheModulePath() throws Exception {
        Path classes = compile("""
                module user.observed {
                    requires io.github.llmbridge.core;
                    requires io.github.llmbridge.otel;
                }
                """, "user/observed/Main.java", """
                package user.observed;

                import io.github.llmbridge.core.ChatClient;
                import io.github.llmbridge.core.ChatRequest;
                import io.github.llmbridge.core.budget.SpendingBudget;
                import io.github.llmbridge.core.config.ChatClients;
                import io.github.llmbridge.core.resilience.ResilientChatClient;
                import io.github.llmbridge.core.testing.ScriptedChatClient;
                import io.github.llmbridge.otel.OpenTelemetryChatClient;
                import io.opentelemetry.api.OpenTelemetry;
                import java.util.Map;

                public final class Main {
                    public static void main(String[] args) {
                        ChatRequest request = ChatRequest.builder().model("acme/judge").user("2+2?").build();
                        // The decorator is found through the otel module's provides clause.
                        try (ChatClient client = ChatClients.fromEnv(
                                Map.of("LLM_BACKEND", "mock", "LLM_OTEL", "true", "LLM_BUDGET_TOKENS", "1000"))) {
                            client.chat(request);
                            System.out.println("fromEnv: " + client.getClass().getSimpleName() + ", budget "
                                    + client.unwrap(SpendingBudget.class).orElseThrow().limit());
                        }
                        try (ChatClient client = OpenTelemetryChatClient.wrap(
                                ResilientChatClient.builder(new ScriptedChatClient().reply("4")).build(), OpenTelemetry.noop())) {
                            System.out.println("builder: " + client.chat(request).content());
                        }
                    }
                }
                """);

        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--module-path",
                        classes + File.pathSeparator + modulePath,
                        "--module",
                        "user.observed/user.observed.Main")
                .redirectErrorStream(true)
                .start();
        java.getOutputStream().close();
        boolean finished = java.waitFor(120, TimeUnit.SECONDS);
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            java.destroyForcibly();
        }

        assertThat(finished).as("the user program finished").isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("fromEnv: OpenTelemetryChatClient, budget 1000 tokens")
                .contains("builder: 4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "io.github.llmbridge.core.internal,   Json,              Json.MAPPER.createObjectNode()",
        "io.github.llmbridge.core.internal.transport,  OpenAiHttpTransport, OpenAiHttpTransport.builder()",
        "io.github.llmbridge.core.internal.errors,     TransportFailures, TransportFailures.class"
    })
    void aUserModuleThatImportsAFencedPackageDoesNotCompile(String fencedPackage, String type, String use)
            throws IOException {
        List<Diagnostic<? extends JavaFileObject>> errors =
                compileErrors("""
                module user.sneaky {
                    requires io.github.llmbridge.core;
                    requires io.github.llmbridge.openrouter;
                }
                """, "user/sneaky/Main.java", """
                package user.sneaky;

                import %s.%s;

                public final class Main {
                    public static void main(String[] args) {
                        System.out.println(%s);
                    }
                }
                """.formatted(fencedPackage, type, use));

        assertThat(errors).isNotEmpty();
        Diagnostic<? extends JavaFileObject> first = errors.get(0);
        assertThat(first.getCode()).isEqualTo("compiler.err.package.not.visible");
        assertThat(first.getMessage(Locale.ROOT))
                .contains("package " + fencedPackage + " is not visible")
                .contains("package " + fencedPackage + " is declared in module io.github.llmbridge.core,"
                        + " which does not export it to module user.sneaky");
    }

    /** Compiles a user module on the module path and returns its classes; fails on any error. */
    private Path compile(String moduleInfo, String mainPath, String main) throws IOException {
        List<Diagnostic<? extends JavaFileObject>> errors = compileErrors(moduleInfo, mainPath, main);
        assertThat(errors).as(errors.toString()).isEmpty();
        return dir.resolve("classes");
    }

    private List<Diagnostic<? extends JavaFileObject>> compileErrors(String moduleInfo, String mainPath, String main)
            throws IOException {
        Path sources = dir.resolve("src");
        Files.createDirectories(sources.resolve(mainPath).getParent());
        Files.writeString(sources.resolve("module-info.java"), moduleInfo);
        Files.writeString(sources.resolve(mainPath), main);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        // An empty class path: in-process javac would otherwise use this JVM's, where every library class
        // sits in the unnamed module too.
        Path noClassPath = Files.createDirectories(dir.resolve("empty"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
                Stream<Path> walk = Files.walk(sources)) {
            List<Path> javaFiles =
                    walk.filter(p -> p.toString().endsWith(".java")).toList();
            StringWriter out = new StringWriter();
            javac.getTask(
                            out,
                            files,
                            diagnostics,
                            List.of(
                                    "--release",
                                    "17",
                                    "--module-path",
                                    modulePath,
                                    "--class-path",
                                    noClassPath.toString(),
                                    "-d",
                                    classes.toString()),
                            null,
                            files.getJavaFileObjectsFromPaths(javaFiles))
                    .call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .toList();
    }
}
