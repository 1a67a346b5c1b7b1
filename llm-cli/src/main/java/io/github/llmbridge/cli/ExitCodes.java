package io.github.llmbridge.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code llm-bridge}, the same for every command, so that a script can tell
 * "the check failed" from "I called it wrong" from "the file is bad".
 */
public final class ExitCodes {

    /** Everything worked; for {@code doctor} and {@code check}: every check passed. */
    public static final int OK = 0;

    /** The command ran and the answer is no: a check failed, or no trace matched {@code traces show}. */
    public static final int FAILED = 1;

    /** A bad argument or option: the one-line message names it. */
    public static final int USAGE = 2;

    /**
     * The trace database cannot be used: missing, not a SQLite file, not a trace database, written
     * by a newer LLM Bridge, or unreadable.
     */
    public static final int BAD_DATABASE = 3;

    /** The output cannot be written (the report's file or directory). */
    public static final int CANNOT_WRITE = 4;

    /** An unexpected error: a bug, reported with its stack trace. */
    public static final int INTERNAL = 70;

    /** The lines of every command's help that list the codes. */
    static final Map<String, String> HELP = helpLines();

    private ExitCodes() {}

    private static Map<String, String> helpLines() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put(OK + "", "success; doctor and check: every check passed");
        lines.put(FAILED + "", "a check failed, or no trace matched");
        lines.put(USAGE + "", "a bad argument (the message names it)");
        lines.put(
                BAD_DATABASE + "",
                "the trace database cannot be used (missing, corrupt, not a trace database, newer schema)");
        lines.put(CANNOT_WRITE + "", "the output cannot be written");
        lines.put(INTERNAL + "", "an unexpected error (a bug: please report it with the stack trace)");
        return Collections.unmodifiableMap(lines);
    }
}
