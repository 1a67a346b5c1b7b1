package io.github.llmbridge.core.internal.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failures below HTTP semantics: broken connections, nobody listening, unknown hosts, replies over
 * the size cap, slow servers and cancellation. All against loopback (the DNS case asks the
 * resolver; DNS failures are covered without the network by {@code TransportFailuresTest}).
 */
class TransportFailureTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    private static final String MODEL = "acme/chat-model-1";
    private static final String PATH = "/v1/chat/completions";
    private static final String SLOW_PATH = "/slow/v1/chat/completions";

    /** Released once per request the stub server has matched, before any configured delay. */
    private static final Semaphore requestsArrived = new Semaphore(0);

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new ServeEventListener() {
                @Override
                public String getName() {
                    return "request-arrivals";
                }

                @Override
                public void afterMatch(ServeEvent serveEvent, Parameters parameters) {
                    requestsArrived.release();
                }
            }))
            .build();

    private static OpenAiHttpTransport transport;

    @BeforeAll
    static void startTransport() {
        transport = OpenAiHttpTransport.builder().backend("test").secret(KEY).build();
    }

    @AfterAll
    static void closeTransport() {
        transport.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"
            })
    void brokenConnectionIsARetryableConnectionFailure(Fault fault) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(fault)));

        URI endpoint = URI.create(wm.baseUrl() + PATH);

        LlmException e = failureOf(transport, endpoint, null);

        assertThat(e.category()).as("category of %s", e).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getMessage()).contains("test at " + endpoint.getHost() + ":" + endpoint.getPort());
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(e.backend()).isEqualTo("test");
        assertThat(e.model()).isEqualTo(MODEL);
    }

    @Test
    void closedPortIsConnectionRefusedNamingHostAndPort() throws IOException {
        // A socket that is bound but never listens keeps the port ours (no other process can take
        // it between close and connect) and refuses every connection.
        try (java.net.Socket holder = new java.net.Socket()) {
            holder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = holder.getLocalPort();

            LlmException e = failureOf(transport, URI.create("http://127.0.0.1:" + port + PATH), null);

            assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.attemptCount()).isEqualTo(1);
            assertThat(e.getMessage()).contains("refused", "127.0.0.1:" + port);
            assertThat(e.backend()).isEqualTo("test");
            assertThat(e.model()).isEqualTo(MODEL);
        }
    }

    @Test
    void replyDeclaredLargerThanTheCapIsRejected() throws Exception {
        wm.stubFor(any(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Content-Length", "5000")
                        .withBody(completionOfSize(5000))));
        assertThat(probeHeaders(PATH).headers().firstValue("content-length"))
                .as("precondition")
                .contains("5000");

        assertOversizedReplyIsRejected();
    }

    @Test
    void chunkedReplyGrowingPastTheCapIsRejected() throws Exception {
        wm.stubFor(any(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Transfer-Encoding", "chunked")
                        .withBody(completionOfSize(5000))));
        HttpResponse<Void> probe = probeHeaders(PATH);
        assertThat(probe.headers().firstValue("content-length"))
                .as("precondition")
                .isEmpty();
        assertThat(probe.headers().firstValue("transfer-encoding"))
                .as("precondition")
                .contains("chunked");

        assertOversizedReplyIsRejected();
    }

    private static void assertOversizedReplyIsRejected() {
        try (OpenAiHttpTransport capped = OpenAiHttpTransport.builder()
                .backend("test")
                .secret(KEY)
                .maxResponseBytes(1024)
                .build()) {
            LlmException e = failureOf(capped, URI.create(wm.baseUrl() + PATH), null);

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("1024 bytes", "maxResponseBytes");
            assertThat(e.backend()).isEqualTo("test");
            assertThat(e.model()).isEqualTo(MODEL);
        }
    }

    @Test
    void slowServerRunsIntoTheCallsTimeLimit() {
        wm.stubFor(post(urlEqualTo(SLOW_PATH)).willReturn(okCompletion().withFixedDelay(10_000)));

        URI endpoint = URI.create(wm.baseUrl() + SLOW_PATH);

        LlmException e = failureOf(transport, endpoint, Duration.ofMillis(300));

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getMessage()).contains("300 ms", endpoint.getHost() + ":" + endpoint.getPort());
        assertThat(e.backend()).isEqualTo("test");
        assertThat(e.model()).isEqualTo(MODEL);
    }

    @Test
    void cancellingAnExchangeInFlightFreesItsThreadForTheNextCall() throws Exception {
        wm.stubFor(post(urlEqualTo(SLOW_PATH)).willReturn(okCompletion().withFixedDelay(10_000)));
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(okCompletion()));
        requestsArrived.drainPermits();
        // One thread: if the cancelled exchange kept it, the next call could not run at all.
        try (OpenAiHttpTransport single = OpenAiHttpTransport.builder()
                .backend("test")
                .secret(KEY)
                .maxConcurrency(1)
                .build()) {
            CompletableFuture<ChatResponse> slow = single.send(call(URI.create(wm.baseUrl() + SLOW_PATH), null));
            assertThat(requestsArrived.tryAcquire(5, TimeUnit.SECONDS))
                    .as("slow request reached the server")
                    .isTrue();

            assertThat(slow.cancel(true)).isTrue();

            assertThat(slow).isCancelled();
            ChatResponse next =
                    single.send(call(URI.create(wm.baseUrl() + PATH), null)).get(5, TimeUnit.SECONDS);
            assertThat(next.content()).isEqualTo("ok");
        }
    }

    // --- helpers ---

    private static ResponseDefinitionBuilder okCompletion() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"id":"chatcmpl-1","model":"acme/chat-model-1","choices":[{"index":0,
                  "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""");
    }

    /** A well-formed completion of exactly {@code size} bytes: only its size is wrong. */
    private static String completionOfSize(int size) {
        String head =
                "{\"id\":\"chatcmpl-big\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
        String tail = "\"},\"finish_reason\":\"stop\"}]}";
        return head + "a".repeat(size - head.length() - tail.length()) + tail;
    }

    /** Fetches the stub's reply headers with a plain client, to check how the body is framed. */
    private static HttpResponse<Void> probeHeaders(String path) throws IOException, InterruptedException {
        HttpClient plain =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return plain.send(
                HttpRequest.newBuilder(URI.create(wm.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static HttpCall call(URI uri, Duration timeout) {
        ChatRequest.Builder request = ChatRequest.builder().model(MODEL).user("Say hi");
        if (timeout != null) {
            request.timeout(timeout);
        }
        ChatRequest built = request.build();
        return HttpCall.of(uri, Map.of("Authorization", "Bearer " + KEY), ChatRequestJson.write(built), built);
    }

    private static LlmException failureOf(OpenAiHttpTransport via, URI uri, Duration timeout) {
        CompletableFuture<ChatResponse> reply = via.send(call(uri, timeout));
        Throwable thrown = catchThrowable(() -> reply.get(15, TimeUnit.SECONDS));
        assertThat(thrown)
                .as("the call should fail")
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(LlmException.class);
        return (LlmException) thrown.getCause();
    }
}
