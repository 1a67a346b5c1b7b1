package io.github.llmbridge.core.internal.errors;

import java.io.IOException;

/** Signals, inside the transport, that a reply passed the size limit; mapped to an invalid-response failure. */
public final class ResponseTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    /** Creates the signal for a reply that passed {@code limitBytes}. */
    public ResponseTooLargeException(long limitBytes) {
        super("response larger than " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    /** Returns the limit the reply passed. */
    public long limitBytes() {
        return limitBytes;
    }
}
