package io.github.llmbridge.core.internal.errors;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.httpproxy.ProxyRoute;
import io.github.llmbridge.core.internal.Http2Limit;
import io.github.llmbridge.core.internal.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Maps I/O failures of an exchange to {@link LlmException}s. The JDK re-wraps the real cause, so
 * the whole cause chain is inspected.
 */
public final class TransportFailures {

    /** The overload signal of a connection the server reset. */
    static final String CONNECTION_RESET = "connection reset";

    private TransportFailures() {}

    /**
     * Maps an I/O failure of any exchange with a backend to an {@link LlmException} (category
     * connection, timeout, or invalid response for an oversized reply), with attempts 1; backends
     * use it for calls they make beside chat completions.
     */
    public static LlmException fromIOException(IOException failure, CallContext ctx) {
        ProxyRoute proxy = ctx.proxyRoute().orElse(null);
        if (proxy != null) {
            LlmException viaProxy = proxyFailure(failure, ctx, proxy);
            if (viaProxy != null) {
                return viaProxy;
            }
        }
        String where = ctx.backend() + " at " + ctx.hostAndPort()
                + (proxy == null
                        ? ""
                        : " through the HTTP proxy " + proxy.proxyUrl() + " (from " + proxy.reason() + ")");
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
                    + " concurrency; lower the concurrency (above " + Http2Limit.MAX_CONCURRENCY
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
                .attemptCount(1)
                .overloadSignal(category == ErrorCategory.CONNECTION && wasReset(failure) ? CONNECTION_RESET : null)
                .build();
    }

    /**
     * A server that resets connections it already accepted is shedding load (a refused or
     * unresolvable one is down or misnamed, which no concurrency limit fixes).
     */
    private static boolean wasReset(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("connection reset")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Failures that happen between this client and its proxy, or that the proxy reports, named as
     * the proxy's: otherwise a refused proxy port reads like a refused LLM endpoint.
     *
     * @return the exception, or {@code null} when the failure is not the proxy's
     */
    private static LlmException proxyFailure(IOException failure, CallContext ctx, ProxyRoute proxy) {
        String theProxy = "the HTTP proxy " + proxy.proxyUrl() + " (from " + proxy.reason() + ")";
        String target = ctx.backend() + " at " + ctx.hostAndPort();
        String message = String.valueOf(failure.getMessage());
        ErrorCategory category = ErrorCategory.CONNECTION;
        boolean retryable = true;
        String what;
        if (message.equals("Tunnel failed, got: 401")) {
            // Some proxies (tinyproxy) answer wrong credentials on CONNECT with 401 rather than 407.
            category = ErrorCategory.AUTHENTICATION;
            retryable = false;
            what = theProxy + " rejected the proxy credentials"
                    + (proxy.hasCredentials() ? "" : " (none are configured)")
                    + " when asked to open a tunnel to " + target + " (it answered HTTP 401): check user:password in "
                    + proxy.reason() + ". This is the proxy's answer, not " + ctx.backend()
                    + "'s; the API key was not checked";
        } else if (message.startsWith("Tunnel failed, got: ")) {
            String status = message.substring("Tunnel failed, got: ".length()).strip();
            retryable = status.startsWith("5");
            what = theProxy + " refused to open a tunnel to " + target + " (it answered HTTP " + status
                    + "): the proxy blocks this host or port, or cannot reach it";
        } else if (find(failure, HttpConnectTimeoutException.class) != null) {
            what = "could not connect to " + theProxy + " on the way to " + target + " within the connect timeout";
        } else if (find(failure, UnresolvedAddressException.class) != null
                || find(failure, UnknownHostException.class) != null) {
            what = "could not resolve the host of " + theProxy + " (DNS) on the way to " + target
                    + ": check the proxy URL";
        } else if (find(failure, ConnectException.class) != null) {
            String reason = rootMessage(failure);
            boolean bare = reason.contains("ClosedChannelException") || reason.equals("ConnectException");
            what = "could not connect to " + theProxy + " on the way to " + target + " ("
                    + (bare ? "connection refused" : reason) + "): is the proxy running, and is " + proxy.reason()
                    + " right?";
        } else {
            return null;
        }
        return LlmException.builder(category, Secrets.scrub(what, ctx.secrets()))
                .cause(failure)
                .backend(ctx.backend())
                .model(ctx.model())
                .retryable(retryable)
                .attemptCount(1)
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
