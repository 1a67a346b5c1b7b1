package io.github.llmbridge.cli;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.CheckTarget;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.ConfigVariable;
import io.github.llmbridge.core.settings.ConfigVariables;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.openrouter.OpenRouterChatClient;
import io.github.llmbridge.openrouter.UnknownModel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Diagnoses the LLM setup of this machine in one command: every variable of the registry
 * ({@link ConfigVariables#all()}), with its value when set (keys masked to their last four
 * characters), which backend is chosen and why, which proxy is used and why, the model-id checks,
 * then the {@link ConnectionCheck} steps with ✓/✗ and a one-line fix per ✗. Exits 0 only when
 * everything passed. {@code llm-bridge doctor [model ...]} runs it ({@link DoctorCommand}).
 *
 * <pre>{@code
 * int status = Doctor.run(System.getenv(), List.of("openai/gpt-4o-mini"), System.out, ConnectionCheck.DEFAULT_BUDGET);
 * }</pre>
 *
 * The models default to {@code DEMO_MODEL}, else {@value #DEFAULT_MODEL}; the first one is used
 * for the test request, all of them (and {@code LLM_FALLBACK_MODELS}) for the model-id checks.
 */
public final class Doctor {

    /** The model asked when neither the arguments nor {@code DEMO_MODEL} name one. */
    public static final String DEFAULT_MODEL = "openai/gpt-4o-mini";

    /** Where the list of unset variables wraps. */
    private static final int WIDTH = 100;

    private final PrintStream out;
    private int problems;

    private Doctor(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the doctor.
     *
     * @param environment the variables to diagnose
     * @param models      model ids to check; empty: {@code DEMO_MODEL}, else {@value #DEFAULT_MODEL}
     * @param out         where the diagnosis is printed
     * @param budget      time budget of the connection check
     * @return the exit status: 0 when every check passed, 1 otherwise
     */
    public static int run(Map<String, String> environment, List<String> models, PrintStream out, Duration budget) {
        return new Doctor(out).diagnose(Settings.of(environment), models, budget);
    }

    private int diagnose(Settings settings, List<String> requested, Duration budget) {
        out.println("LLM Bridge doctor");
        out.println();
        printConfiguration(settings);
        List<String> models = models(settings, requested);
        ChatClient client;
        try {
            ChatClients.BackendChoice choice = ChatClients.chooseBackend(settings);
            out.println("Backend:  " + choice.name() + " (" + choice.reason() + ")");
            client = ChatClients.fromSettingsWithoutDecorators(settings);
        } catch (LlmException e) {
            out.println();
            fail("settings", e.getMessage(), "fix the variable named above");
            return finish();
        }
        try (client) {
            Optional<CheckTarget> target = client.unwrap(CheckTarget.class);
            target.ifPresent(t -> {
                out.println("Endpoint: "
                        + ConfigVariable.Kind.URL.shown(t.endpoint().toString()) + " (" + t.urlSetting() + ")");
                out.println("Proxy:    " + t.proxySetup().route(t.endpoint()));
            });
            out.println();
            out.println("Model ids");
            if (client.unwrap(OpenRouterChatClient.class).isPresent() && target.isPresent()) {
                models.forEach(m -> target.get()
                        .checkModelId(m)
                        .ifPresentOrElse(
                                step -> fail(m, step.detail(), step.fix()), () -> ok(m, "provider prefix present")));
            } else {
                models.forEach(m -> out.printf("  - %-10s not checked offline: the proxy's model list decides%n", m));
            }
            out.println();
            out.println("Connection check (model " + models.get(0) + ", at most " + budget.toSeconds() + " s)");
            ConnectionReport report = ConnectionCheck.run(client, models.get(0), budget);
            report.steps().forEach(this::print);
            if (report.ok()) {
                client.unwrap(OpenRouterChatClient.class).ifPresent(or -> checkCatalogue(or, models));
            }
        }
        return finish();
    }

    /**
     * Prints every variable of the registry: each one set with its value (secrets masked, URLs
     * without credentials), then the names not set.
     */
    private void printConfiguration(Settings settings) {
        out.println("Configuration (keys masked)");
        Map<String, ConfigVariable.Kind> kinds = new LinkedHashMap<>();
        for (ConfigVariable v : ConfigVariables.all()) {
            // primary name first; a name two variables share (OPENAI_API_KEY) is shown the stricter way
            List<String> names = new ArrayList<>(List.of(v.name()));
            v.names().stream().filter(n -> !n.equals(v.name())).forEach(names::add);
            names.forEach(n -> kinds.merge(n, v.kind(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
        }
        List<String> unset = new ArrayList<>();
        kinds.forEach((name, kind) -> settings.get(name)
                .ifPresentOrElse(value -> out.printf("  %-32s %s%n", name, kind.shown(value)), () -> unset.add(name)));
        printWrapped("  not set: ", unset);
        out.println();
    }

    private void printWrapped(String lead, List<String> names) {
        StringBuilder line = new StringBuilder(lead);
        String indent = " ".repeat(lead.length());
        for (int i = 0; i < names.size(); i++) {
            String item = names.get(i) + (i < names.size() - 1 ? "," : "");
            if (line.length() > lead.length() && line.length() + 1 + item.length() > WIDTH) {
                out.println(line);
                line = new StringBuilder(indent);
            } else if (line.length() > lead.length()) {
                line.append(' ');
            }
            line.append(item);
        }
        out.println(line);
    }

    private static List<String> models(Settings settings, List<String> requested) {
        Set<String> models = new LinkedHashSet<>(requested);
        if (models.isEmpty()) {
            models.add(settings.get(CliVariables.DEMO_MODEL).orElse(DEFAULT_MODEL));
        }
        settings.get(CoreVariables.LLM_FALLBACK_MODELS).ifPresent(list -> {
            for (String m : list.split(",", -1)) {
                if (!m.isBlank()) {
                    models.add(m.strip());
                }
            }
        });
        return new ArrayList<>(models);
    }

    private void checkCatalogue(OpenRouterChatClient client, List<String> models) {
        out.println();
        out.println("OpenRouter catalogue (GET /models)");
        try {
            List<UnknownModel> unknown = client.account().checkModels(models);
            if (unknown.isEmpty()) {
                ok("models", "OpenRouter offers " + String.join(", ", models));
            }
            unknown.forEach(u -> fail(
                    u.id(),
                    u.describe(),
                    u.closest().isEmpty()
                            ? "pick a model from https://openrouter.ai/models"
                            : "try " + u.closest().get(0)));
        } catch (LlmException e) {
            fail("models", e.getMessage(), "the catalogue could not be read; the chat call worked, so retry later");
        }
    }

    private void print(CheckStep step) {
        switch (step.status()) {
            case OK -> ok(step.name(), step.detail());
            case FAILED -> fail(step.name(), step.detail(), step.fix());
            case SKIPPED -> out.printf("  - %-10s skipped: %s%n", step.name(), step.detail());
        }
    }

    private void ok(String what, String detail) {
        out.printf("  ✓ %-10s %s%n", what, detail);
    }

    private void fail(String what, String detail, String fix) {
        problems++;
        out.printf("  ✗ %-10s %s%n", what, detail);
        out.println("      fix: " + fix);
    }

    private int finish() {
        out.println();
        out.println(
                problems == 0
                        ? "Result: all checks passed."
                        : "Result: " + problems + " problem" + (problems == 1 ? "" : "s") + "; fix the ✗ lines above.");
        return problems == 0 ? 0 : 1;
    }
}
