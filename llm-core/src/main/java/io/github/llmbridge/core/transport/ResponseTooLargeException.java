package io.github.llmbridge.core.transport;

import java.io.IOException;

/** Signals, inside the transport, that a reply passed the size limit. */
public final class ResponseTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    ResponseTooLargeException(long limitBytes) {
        super("response larger than " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    /** Returns the limit the reply passed. */
    public long limitBytes() {
        return limitBytes;
    }
}
