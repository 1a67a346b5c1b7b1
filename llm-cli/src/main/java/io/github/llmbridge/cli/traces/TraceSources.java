package io.github.llmbridge.cli.traces;

import io.github.llmbridge.cli.CliException;
import io.github.llmbridge.cli.ExitCodes;
import io.github.llmbridge.tracing.TracingVariables;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the trace store a command names. Today that is a SQLite file written by
 * {@code llm-tracing-sqlite}; a PostgreSQL URL is recognised and refused with a message, and is where
 * a PostgreSQL {@link TraceSource} plugs in once that store exists.
 */
public final class TraceSources {

    private TraceSources() {}

    /**
     * Opens the store at {@code location}: a SQLite file path, or (once supported) a PostgreSQL URL.
     *
     * @throws CliException {@link ExitCodes#BAD_DATABASE} when it cannot be opened, naming it and why
     */
    public static TraceSource open(String location) {
        String lower = location.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgres://")
                || lower.startsWith("postgresql://")
                || lower.startsWith("jdbc:postgresql:")) {
            throw new CliException(
                    ExitCodes.BAD_DATABASE,
                    "PostgreSQL trace stores are not supported yet; give the path of a SQLite trace file ("
                            + TracingVariables.LLM_TRACE_DB.name() + ")");
        }
        if (lower.startsWith("jdbc:") || lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new CliException(
                    ExitCodes.BAD_DATABASE,
                    "'" + location + "' is not a trace file path; give the path of a SQLite trace file");
        }
        Path file;
        try {
            file = Path.of(location);
        } catch (InvalidPathException e) {
            throw new CliException(
                    ExitCodes.BAD_DATABASE, "'" + location + "' is not a file path: " + e.getReason(), e);
        }
        return SqliteTraceSource.open(file);
    }
}
