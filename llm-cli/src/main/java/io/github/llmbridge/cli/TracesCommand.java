package io.github.llmbridge.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llm-bridge traces}: the group of commands over a trace database. */
@Command(
        name = "traces",
        mixinStandardHelpOptions = true,
        description = "Reads a trace database: list and filter calls (and follow the file as it grows), show one call"
                + " in full, summarise by session, session prefix or model.",
        subcommands = {TracesListCommand.class, TracesShowCommand.class, TracesSummaryCommand.class})
final class TracesCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    TracesCommand() {}

    /** Without a subcommand: a usage error naming the subcommands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is missing: list, show or summary");
    }
}
