package io.github.llmbridge.cli;

import io.github.llmbridge.cli.traces.GroupTotals;
import io.github.llmbridge.cli.traces.Grouping;
import io.github.llmbridge.cli.traces.TraceFilter;
import io.github.llmbridge.cli.traces.TraceSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llm-bridge traces summary}: calls, failures, attempts, tokens, cost and latency per group. */
@Command(
        name = "summary",
        mixinStandardHelpOptions = true,
        description = "Totals of the matching calls: calls, failures, attempts, tokens, cost, latency p50 and p95,"
                + " over all of them or per session, session prefix (a training step) or model, in order of"
                + " each group's first call.")
final class TracesSummaryCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = Databases.LABEL, description = Databases.HELP)
    private String database;

    @Mixin
    private TraceFilterOptions filters;

    @Option(
            names = "--by",
            paramLabel = "GROUPING",
            description = "all, session, prefix or model (default: ${DEFAULT-VALUE})",
            defaultValue = "all")
    private Grouping grouping;

    @Option(
            names = "--prefix-delimiter",
            paramLabel = "CHAR",
            description = "with --by prefix, where a session name's prefix ends: step-42/rollout-7 is in step-42"
                    + " (default: ${DEFAULT-VALUE})",
            defaultValue = "/")
    private String delimiter;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "at most N groups, the earliest first (default: ${DEFAULT-VALUE})",
            defaultValue = "1000")
    private int limit;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            description = "table, jsonl or csv (default: ${DEFAULT-VALUE})",
            defaultValue = "table")
    private Rows.Format format;

    TracesSummaryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        char d = delimiter(delimiter);
        if (limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, was " + limit);
        }
        TraceFilter filter = filters.filter();
        try (TraceSource source = Databases.open(database, context)) {
            List<GroupTotals> groups = source.summarise(filter, grouping, d, limit);
            Rows<GroupTotals> rows = new Rows<>(
                    format, TraceColumns.groups(), TraceColumns.groupTable(context.zone()), context.out(), false);
            groups.forEach(rows::write);
            rows.finish();
            if (groups.isEmpty() && format == Rows.Format.TABLE) {
                context.err().println("no calls match " + filter.describe() + " in " + source.description());
            }
            return ExitCodes.OK;
        }
    }

    /**
     * Returns the one character of {@code --prefix-delimiter}.
     *
     * @throws CliException {@link ExitCodes#USAGE} for anything but one character
     */
    static char delimiter(String option) {
        if (option.length() != 1) {
            throw new CliException(ExitCodes.USAGE, "--prefix-delimiter must be one character, was '" + option + "'");
        }
        return option.charAt(0);
    }
}
