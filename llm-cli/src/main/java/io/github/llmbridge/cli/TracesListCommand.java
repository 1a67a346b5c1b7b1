package io.github.llmbridge.cli;

import io.github.llmbridge.cli.traces.TraceFilter;
import io.github.llmbridge.cli.traces.TraceSource;
import io.github.llmbridge.tracing.TraceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llm-bridge traces list}: the calls that match the filters, newest first; with
 * {@code --follow}, the latest ones oldest first and then every call as it is written, like
 * {@code tail -f}.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Lists calls, newest first, as a table, JSON lines or CSV.",
            "With --follow: the latest calls oldest first, then each call as the trainer writes it, until"
                    + " interrupted (Ctrl-C)."
        })
final class TracesListCommand implements Callable<Integer> {

    /** How many positions one poll of {@code --follow} reads at most in one query. */
    private static final int PAGE = 1000;

    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = Databases.LABEL, description = Databases.HELP)
    private String database;

    @Mixin
    private TraceFilterOptions filters;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "at most N calls (default: ${DEFAULT-VALUE}; with --follow, how many to show first)",
            defaultValue = "50")
    private int limit;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            description = "table, jsonl or csv (default: ${DEFAULT-VALUE})",
            defaultValue = "table")
    private Rows.Format format;

    @Option(names = "--follow", description = "keep reading: print each new call as it is written")
    private boolean follow;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = Arguments.DurationConverter.class,
            description = "with --follow, how often to look for new calls (default: ${DEFAULT-VALUE})",
            defaultValue = "1s")
    private Duration interval;

    TracesListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CliException(ExitCodes.USAGE, "--limit must be at least 1, was " + limit);
        }
        TraceFilter filter = filters.filter();
        Rows<TraceRecord> rows =
                new Rows<>(format, TraceColumns.calls(), TraceColumns.callTable(context.zone()), context.out(), follow);
        try (TraceSource source = Databases.open(database, context)) {
            if (!follow) {
                source.find(filter, limit).forEach(rows::write);
                rows.finish();
                if (rows.count() == 0 && format == Rows.Format.TABLE) {
                    context.err().println("no calls match " + filter.describe() + " in " + source.description());
                }
                return ExitCodes.OK;
            }
            follow(source, filter, rows);
            return ExitCodes.OK;
        }
    }

    /** Prints the latest calls, then polls for what is written after them until interrupted. */
    private void follow(TraceSource source, TraceFilter filter, Rows<TraceRecord> rows) {
        long seen = source.lastPosition();
        printOldestFirst(source.writtenBetween(0, seen, filter, limit), rows);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = source.lastPosition();
            while (seen < now) {
                long upTo = Math.min(now, seen + PAGE);
                printOldestFirst(source.writtenBetween(seen, upTo, filter, PAGE), rows);
                seen = upTo;
            }
        }
    }

    private static void printOldestFirst(List<TraceRecord> newestFirst, Rows<TraceRecord> rows) {
        List<TraceRecord> ordered = new ArrayList<>(newestFirst);
        ordered.sort(Comparator.comparing(TraceRecord::startedAt));
        ordered.forEach(rows::write);
    }
}
