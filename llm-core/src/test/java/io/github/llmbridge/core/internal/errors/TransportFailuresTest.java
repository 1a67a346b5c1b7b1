package io.github.llmbridge.core.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The mapping of I/O failures in the shapes the JDK's HttpClient throws them, for the cases a
 * loopback-only test cannot provoke (DNS, TLS, connect timeouts, HTTP/2 stream limits).
 */
class TransportFailuresTest {

    private static final CallContext CTX = new CallContext(
            "openrouter",
            "openai/gpt-4o-mini",
            URI.create("https://openrouter.example/api/v1/chat/completions"),
            List.of("sk-secret-123456"));

    @Test
    void anUnknownHostBlamesDnsEvenThoughTheJdkWrapsItInAConnectException() {
        ConnectException jdkShape = new ConnectException();
        jdkShape.initCause(new UnresolvedAddressException());

        LlmException e = TransportFailures.fromIOException(jdkShape, CTX);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("openrouter.example:443", "DNS").doesNotContain("refused");
    }

    @Test
    void aConnectTimeoutIsAConnectionFailureNotACallTimeout() {
        LlmException e =
                TransportFailures.fromIOException(new HttpConnectTimeoutException("HTTP connect timed out"), CTX);
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.getMessage()).contains("connect timeout");
    }

    @Test
    void aTlsHandshakeFailureNamesTheHostAndTheReason() {
        IOException jdkShape = new SSLHandshakeException("PKIX path building failed");
        LlmException e = TransportFailures.fromIOException(jdkShape, CTX);
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.getMessage()).contains("TLS handshake", "openrouter.example:443", "PKIX path building failed");
    }

    @Test
    void theHttp2StreamLimitSaysToLowerTheConcurrency() {
        LlmException e = TransportFailures.fromIOException(new IOException("too many concurrent streams"), CTX);
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).contains("fewer concurrent streams", "lower the concurrency");
    }

    @Test
    void aStaleConnectionIsARetryableConnectionFailureKeepingBothMessages() {
        IOException jdkShape = new IOException(
                "HTTP/1.1 header parser received no bytes", new java.io.EOFException("EOF reached while reading"));
        LlmException e = TransportFailures.fromIOException(jdkShape, CTX);
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.getMessage()).contains("header parser received no bytes", "EOF reached while reading");
    }

    @Test
    void aConnectionTheServerResetIsAnOverloadSignal() {
        IOException jdkShape = new IOException("Connection reset");
        jdkShape.initCause(new java.net.SocketException("Connection reset"));

        LlmException e = TransportFailures.fromIOException(jdkShape, CTX);

        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.overloadSignal()).contains("connection reset");
    }

    @Test
    void aRefusedConnectionOrAStalePooledOneIsNoOverloadSignal() {
        assertThat(TransportFailures.fromIOException(new ConnectException(), CTX)
                        .overloadSignal())
                .as("a server that is down is not shedding load")
                .isEmpty();
        assertThat(TransportFailures.fromIOException(new IOException("HTTP/1.1 header parser received no bytes"), CTX)
                        .overloadSignal())
                .isEmpty();
    }
}
