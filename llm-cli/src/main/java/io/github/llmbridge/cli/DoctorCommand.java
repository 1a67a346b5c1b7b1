package io.github.llmbridge.cli;

import io.github.llmbridge.core.check.ConnectionCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llm-bridge doctor [model ...]}: the {@link Doctor}. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Diagnoses this machine's LLM setup: every configuration variable (keys masked), the backend chosen and"
                    + " why, the HTTP proxy used and why, the model ids, then a connection check with a fix for"
                    + " each problem, and for OpenRouter whether its catalogue offers the models.",
            "Exits 0 only when everything passed."
        })
final class DoctorCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(
            paramLabel = "MODEL",
            arity = "0..*",
            description = "model ids to check; the first is asked a 5-token question (default: DEMO_MODEL, else" + " "
                    + Doctor.DEFAULT_MODEL + "; LLM_FALLBACK_MODELS are checked too)")
    private List<String> models = new ArrayList<>();

    @Option(
            names = "--budget",
            paramLabel = "DURATION",
            converter = Arguments.DurationConverter.class,
            description = "time the connection check may take (default: ${DEFAULT-VALUE})",
            defaultValue = "30s")
    private Duration budget = ConnectionCheck.DEFAULT_BUDGET;

    DoctorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return Doctor.run(context.environment(), models, context.out(), budget);
    }
}
