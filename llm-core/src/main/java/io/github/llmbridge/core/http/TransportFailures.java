package io.github.llmbridge.core.http;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Maps I/O failures of an exchange to {@link LlmException}s. The JDK re-wraps the real cause, so
 * the whole cause chain is inspected.
 */
public final class TransportFailures {

    private TransportFailures() {
    }

    /**
     * Maps an I/O failure of any exchange with a backend to an {@link LlmException} (category
     * connection, timeout, or invalid response for an oversized reply), with attempts 1; backends
     * use it for calls they make beside chat completions.
     */
    public static LlmException fromIOException(IOException failure, CallContext ctx) {
        String where = ctx.backend() + " at " + ctx.hostAndPort();
        ErrorCategory category = ErrorCategory.CONNECTION;
        boolean retryable = true;
        String what;
        if (find(failure, ResponseTooLargeException.class) != null) {
            category = ErrorCategory.INVALID_RESPONSE;
            retryable = false; // the same request will produce the same oversized reply
            what = "the reply from " + where + " is larger than the limit of "
                    + find(failure, ResponseTooLargeException.class).limitBytes() + " bytes (maxResponseBytes)";
        } else if (find(failure, HttpConnectTimeoutException.class) != null) {
            what = "could not connect to " + where + " within the connect timeout";
        } else if (find(failure, HttpTimeoutException.class) != null) {
            category = ErrorCategory.TIMEOUT;
            what = "no reply from " + where + " in time";
        } else if (find(failure, UnresolvedAddressException.class) != null
                || find(failure, UnknownHostException.class) != null) {
            // Checked before ConnectException: the JDK reports an unknown host as a ConnectException.
            what = "could not resolve the host of " + where + " (DNS): check the URL's host name";
        } else if (find(failure, ConnectException.class) != null) {
            // On Linux the JDK reports a refused connection as a bare ConnectException caused by
            // ClosedChannelException; anything with a real message (no route to host) is shown as is.
            String reason = rootMessage(failure);
            boolean bare = reason.contains("ClosedChannelException") || reason.equals("ConnectException");
            what = "could not connect to " + where + " (" + (bare ? "connection refused" : reason) + ")"
                    + ": is the server running and the URL right?";
        } else if (String.valueOf(failure.getMessage()).contains("too many concurrent streams")) {
            what = "the HTTP/2 server at " + where + " allows fewer concurrent streams than this client's"
                    + " concurrency; lower the concurrency (above " + OpenAiHttpTransport.MAX_HTTP2_CONCURRENCY
                    + " the client switches to HTTP/1.1)";
        } else if (find(failure, SSLHandshakeException.class) != null) {
            what = "TLS handshake with " + where + " failed: " + rootMessage(failure);
        } else if (find(failure, SSLException.class) != null) {
            what = "TLS error talking to " + where + ": " + rootMessage(failure);
        } else {
            what = "connection to " + where + " failed: " + rootMessage(failure);
        }
        return LlmException.builder(category, Secrets.scrub(what, ctx.secrets()))
                .cause(failure)
                .backend(ctx.backend())
                .model(ctx.model())
                .retryable(retryable)
                .attempts(1)
                .build();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The innermost cause's message, with the outermost one in front when it says more. */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String inner = describe(root);
        String outer = describe(failure);
        return root == failure || outer.equals(inner) || outer.contains(inner) ? outer : outer + ": " + inner;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
