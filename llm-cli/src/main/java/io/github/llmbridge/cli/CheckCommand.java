package io.github.llmbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.check.CheckStep;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llm-bridge check}: the {@link ConnectionCheck} alone, for scripts and CI: one line per
 * step (or one JSON object), exit code 0 when the backend answered and 1 when it did not.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks the configured backend step by step (settings, DNS, connect, TLS, HTTP, key, model, reply) with"
                    + " one 5-token request, and exits 0 when it answered, 1 when a step failed.",
            "For a full diagnosis with every variable and the proxy route, use doctor."
        })
final class CheckCommand implements Callable<Integer> {

    /** How the steps are printed. */
    enum Format {
        /** One line per step, with a fix under each failure. */
        TEXT,
        /** One JSON object: backend, model, ok, and the steps. */
        JSON
    }

    private final CliContext context;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "MODEL",
            description = "the model asked (default: DEMO_MODEL, else " + Doctor.DEFAULT_MODEL + ")")
    private String model;

    @Option(
            names = "--budget",
            paramLabel = "DURATION",
            converter = Arguments.DurationConverter.class,
            description = "time the whole check may take (default: ${DEFAULT-VALUE})",
            defaultValue = "30s")
    private Duration budget = ConnectionCheck.DEFAULT_BUDGET;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE})",
            defaultValue = "text")
    private Format format = Format.TEXT;

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Settings settings = context.settings();
        String asked =
                model != null ? model : settings.get(CliVariables.DEMO_MODEL).orElse(Doctor.DEFAULT_MODEL);
        ConnectionReport report = ConnectionCheck.run(settings, asked, budget);
        if (format == Format.JSON) {
            context.out().println(json(report));
        } else {
            text(report);
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void text(ConnectionReport report) {
        context.out()
                .println("Connection check: backend "
                        + (report.backend().isEmpty() ? "(none: the settings failed)" : report.backend()) + ", model "
                        + report.model());
        for (CheckStep step : report.steps()) {
            switch (step.status()) {
                case OK -> context.out().printf("  ✓ %-10s %s%n", step.name(), step.detail());
                case FAILED -> {
                    context.out().printf("  ✗ %-10s %s%n", step.name(), step.detail());
                    context.out().println("      fix: " + step.fix());
                }
                case SKIPPED -> context.out().printf("  - %-10s skipped: %s%n", step.name(), step.detail());
            }
        }
        context.out()
                .println(
                        report.ok()
                                ? "Result: ok"
                                : "Result: failed at "
                                        + report.failures().get(0).name());
    }

    private static String json(ConnectionReport report) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode()
                .put("backend", report.backend())
                .put("model", report.model())
                .put("ok", report.ok());
        ArrayNode steps = root.putArray("steps");
        for (CheckStep step : report.steps()) {
            ObjectNode s = steps.addObject()
                    .put("name", step.name())
                    .put("status", step.status().name().toLowerCase(Locale.ROOT))
                    .put("detail", step.detail());
            if (step.failed()) {
                s.put("fix", step.fix());
            }
        }
        return root.toString();
    }
}
