package io.github.llmbridge.cli;

/**
 * A failure a command reports as one line on stderr and an exit code (see {@link ExitCodes}),
 * never as a stack trace: a bad argument, a file that cannot be read or written.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * Creates the failure.
     *
     * @param exitCode one of {@link ExitCodes}
     * @param message  one line saying what is wrong and, where it helps, what to do
     */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Creates the failure with its cause, kept for debugging; the message is what users see. */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Returns the exit code the process ends with. */
    public int exitCode() {
        return exitCode;
    }
}
