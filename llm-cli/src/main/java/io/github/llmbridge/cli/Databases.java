package io.github.llmbridge.cli;

import io.github.llmbridge.cli.traces.SqliteTraceSource;
import io.github.llmbridge.cli.traces.TraceSource;
import io.github.llmbridge.cli.traces.TraceSources;
import io.github.llmbridge.tracing.TracingVariables;

/** Which trace database a command reads: the one named, else {@code LLM_TRACE_DB}. */
final class Databases {

    /** The placeholder of the database argument in help texts. */
    static final String LABEL = "DATABASE";

    /** The database argument's help text. */
    static final String HELP = "the trace file (a SQLite file written with LLM_TRACE_DB); default: $LLM_TRACE_DB";

    private Databases() {}

    /**
     * Opens the named database, or {@code LLM_TRACE_DB}'s; says on stderr when an older file was
     * migrated forward on the way.
     *
     * @throws CliException {@link ExitCodes#USAGE} when neither names one, or
     *                      {@link ExitCodes#BAD_DATABASE} when it cannot be used
     */
    static TraceSource open(String named, CliContext context) {
        String location = named != null
                ? named
                : context.settings()
                        .get(TracingVariables.LLM_TRACE_DB)
                        .orElseThrow(() -> new CliException(
                                ExitCodes.USAGE,
                                "no trace database: give its path, or set " + TracingVariables.LLM_TRACE_DB.name()));
        TraceSource source = TraceSources.open(location);
        if (source instanceof SqliteTraceSource sqlite && sqlite.migratedFrom() > 0) {
            context.err()
                    .println("note: " + sqlite.file() + " was written by an older LLM Bridge; migrated its schema from"
                            + " version " + sqlite.migratedFrom() + " to " + sqlite.schemaVersion());
        }
        return source;
    }
}
