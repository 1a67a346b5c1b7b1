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
final class TransportFailures {

    private TransportFailures() {
    }

    static LlmException fromIOException(IOException failure, CallContext ctx) {
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
        } else if (find(failure, ConnectException.class) != null) {
            what = "could not connect to " + where + " (connection refused): is the server running and the URL right?";
        } else if (find(failure, UnresolvedAddressException.class) != null
                || find(failure, UnknownHostException.class) != null) {
            what = "could not resolve the host of " + where + " (DNS)";
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

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
