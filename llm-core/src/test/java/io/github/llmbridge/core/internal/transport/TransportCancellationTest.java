package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that reads the request and never answers: cancelling the call, or its time limit
 * passing, must close the connection, so the server sees end-of-stream.
 */
class TransportCancellationTest {

    @Test
    void cancellingTheFutureClosesTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                OpenAiHttpTransport transport =
                        OpenAiHttpTransport.builder().backend("test").build()) {
            CompletableFuture<ChatResponse> call = transport.send(callTo(server, null));
            try (Socket connection = server.accept()) {
                readRequestHead(connection.getInputStream());
                call.cancel(true);
                assertThat(call).isCancelled();
                assertThat(serverSeesEndOfStream(connection)).isTrue();
            }
        }
    }

    @Test
    void theTimeLimitFailsTheCallAsTimeoutAndClosesTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                OpenAiHttpTransport transport =
                        OpenAiHttpTransport.builder().backend("test").build()) {
            CompletableFuture<ChatResponse> call = transport.send(callTo(server, Duration.ofMillis(300)));
            try (Socket connection = server.accept()) {
                readRequestHead(connection.getInputStream());
                ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                        ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertThat(failure.getCause()).isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("300 ms");
                });
                assertThat(serverSeesEndOfStream(connection)).isTrue();
            }
        }
    }

    private static HttpCall callTo(ServerSocket server, Duration timeout) {
        ChatRequest.Builder b = ChatRequest.builder().model("m").user("hi");
        if (timeout != null) {
            b.timeout(timeout);
        }
        ChatRequest request = b.build();
        URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
        return HttpCall.of(uri, Map.of(), ChatRequestJson.write(request), request);
    }

    private static void readRequestHead(InputStream in) throws Exception {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            assertThat(b).as("request head").isNotEqualTo(-1);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** Reads (and drops) the body until the client closes; a 10 s socket timeout fails the test. */
    private static boolean serverSeesEndOfStream(Socket connection) throws Exception {
        connection.setSoTimeout(10_000);
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) == -1) {
                    return true;
                }
            }
        } catch (java.net.SocketException reset) {
            return true; // closed with a reset: also closed
        }
    }
}
