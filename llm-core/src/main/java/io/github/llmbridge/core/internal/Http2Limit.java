package io.github.llmbridge.core.internal;

/**
 * Up to how many concurrent calls a client talks HTTP/2 to an https server. The JDK puts every
 * HTTP/2 exchange to one server on one connection, whose server caps the concurrent streams
 * (commonly at 100-250); above this limit the transport uses HTTP/1.1 and a connection per call,
 * and the error mapping names the limit when a server refuses streams.
 */
public final class Http2Limit {

    /** The most concurrent calls that still use HTTP/2. */
    public static final int MAX_CONCURRENCY = 100;

    private Http2Limit() {}
}
