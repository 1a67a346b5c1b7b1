package io.github.llmbridge.tracing;

/**
 * A trace database could not be opened, migrated or queried: the file is not writable, not a
 * SQLite database, or was written by a newer version of this library. The message names the file.
 */
public class TraceStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the file
     * @param cause   the underlying failure, or {@code null}
     */
    public TraceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
