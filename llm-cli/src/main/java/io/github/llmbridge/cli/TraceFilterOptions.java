package io.github.llmbridge.cli;

import io.github.llmbridge.cli.traces.TraceFilter;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.tracing.TraceStatus;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The filter options every command over traces shares (a picocli mixin). */
final class TraceFilterOptions {

    @Option(names = "--session", paramLabel = "NAME", description = "calls made in sessions of this name")
    private String sessionName;

    @Option(
            names = "--session-uid",
            paramLabel = "UID",
            description = "calls of this session and of every session nested in it")
    private String sessionUid;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "MODEL",
            description = "calls that asked for this model or were answered by it")
    private String model;

    @Option(names = "--status", paramLabel = "STATUS", description = "ok or failed")
    private TraceStatus status;

    @Option(
            names = "--category",
            paramLabel = "CATEGORY",
            description = "failed calls of this category: ${COMPLETION-CANDIDATES}")
    private ErrorCategory category;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = Arguments.TimeConverter.class,
            description = "calls started at or after TIME: " + Arguments.TIME_FORMS)
    private Instant since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = Arguments.TimeConverter.class,
            description = "calls started before TIME (same forms as --since)")
    private Instant until;

    /** Created by picocli. */
    TraceFilterOptions() {}

    /**
     * Returns the filter.
     *
     * @throws CliException {@link ExitCodes#USAGE} when {@code --until} is not after {@code --since}
     */
    TraceFilter filter() {
        try {
            return new TraceFilter(sessionName, sessionUid, model, status, category, since, until);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
