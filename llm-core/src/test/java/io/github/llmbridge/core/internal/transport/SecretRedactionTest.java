package io.github.llmbridge.core.internal.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.internal.Secrets;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The configured API key never reaches a caller through an error or a reply, whichever part of the
 * server's answer echoes it: the error message, an HTML page, a response header, partial content.
 */
class SecretRedactionTest {

    private static final String KEY = "sk-test-SECRET-0123456789abcdef";
    /** All of the key but its last character: as good as the key for anyone who sees it. */
    private static final String MOST_OF_KEY = KEY.substring(0, KEY.length() - 1);

    private static final String MODEL = "acme/chat-model-1";
    private static final String PATH = "/v1/chat/completions";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
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

    @Test
    void keyEchoedInAnAuthenticationErrorMessageIsRedacted() {
        replyWith(aResponse()
                .withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error":{"message":"Incorrect API key provided: %s. You can find your API key at https://example.invalid/keys.",
                          "type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""".formatted(KEY)));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.getMessage()).contains("Incorrect API key provided: " + Secrets.REDACTED);
    }

    @Test
    void keyEchoedInAnHtmlErrorPageIsRedacted() {
        replyWith(aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("""
                <html><head><title>502 Bad Gateway</title></head>
                <body>upstream rejected Bearer %s</body></html>""".formatted(KEY)));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.getMessage()).as("the key was inside the snippet").contains("Bearer " + Secrets.REDACTED);
    }

    @Test
    void keyEchoedInAnErrorResponseHeaderIsRedacted() {
        replyWith(aResponse()
                .withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-echo", KEY)
                .withHeader("x-litellm-key", "Bearer " + KEY)
                .withBody("""
                        {"error":{"message":"Rate limit reached","code":"429"}}"""));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.headers())
                .containsEntry("x-echo", Secrets.REDACTED)
                .containsEntry("x-litellm-key", "Bearer " + Secrets.REDACTED);
    }

    @Test
    void keyInPartialContentOfAnInBodyErrorIsRedacted() {
        replyWith(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"id":"gen-1","choices":[{"index":0,"message":{"role":"assistant","content":"your key is %s"},
                  "finish_reason":"error","error":{"code":502,"message":"Provider returned error for %s"}}]}""".formatted(KEY, KEY)));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.partialContent()).contains("your key is " + Secrets.REDACTED);
    }

    @Test
    void keyEchoedInASuccessfulReplyHeaderIsRedacted() throws Exception {
        replyWith(aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-echo", KEY)
                .withHeader("x-litellm-call-id", "call-1")
                .withBody("""
                        {"id":"chatcmpl-1","model":"acme/chat-model-1","choices":[{"index":0,
                          "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""));

        ChatResponse reply = send().get(10, TimeUnit.SECONDS);

        assertThat(reply.content()).isEqualTo("hi");
        assertThat(reply.headers())
                .containsEntry("x-echo", Secrets.REDACTED)
                .containsEntry("x-litellm-call-id", "call-1");
        assertThat(reply.headers().values()).noneMatch(value -> value.contains(KEY));
        assertThat(reply.toString()).doesNotContain(KEY);
    }

    @Test
    void keyCutInHalfByTheBodySnippetIsStillRedacted() {
        // The snippet keeps the first 200 characters; the key starts 30 characters before the cut.
        String page = "<html><body>" + "x".repeat(200 - 30 - "<html><body>".length()) + KEY + "</body></html>";
        replyWith(aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody(page));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.getMessage()).doesNotContain(MOST_OF_KEY);
    }

    @Test
    void keyCutInHalfByTheProviderMessageLimitIsStillRedacted() {
        String longMessage = "y".repeat(1000 - 30) + KEY + " and the rest of a long traceback";
        replyWith(aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error":{"message":"%s","code":"500"}}""".formatted(longMessage)));

        LlmException e = callFails();

        assertKeyAbsent(e);
        assertThat(e.getMessage()).doesNotContain(MOST_OF_KEY);
    }

    // --- helpers ---

    private static void assertKeyAbsent(LlmException e) {
        assertThat(e.getMessage()).doesNotContain(KEY);
        assertThat(e.toString()).doesNotContain(KEY);
        assertThat(e.headers().values()).noneMatch(value -> value.contains(KEY));
        assertThat(e.partialContent().orElse("")).doesNotContain(KEY);
        // What a log shows: the stack trace with every cause in the chain.
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(KEY).doesNotContain(MOST_OF_KEY);
    }

    private static void replyWith(ResponseDefinitionBuilder response) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    private static CompletableFuture<ChatResponse> send() {
        ChatRequest request = ChatRequest.builder().model(MODEL).user("Say hi").build();
        return transport.send(HttpCall.of(
                URI.create(wm.baseUrl() + PATH),
                Map.of("Authorization", "Bearer " + KEY),
                ChatRequestJson.write(request),
                request));
    }

    private static LlmException callFails() {
        CompletableFuture<ChatResponse> reply = send();
        Throwable thrown = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
        assertThat(thrown)
                .as("the call should fail")
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(LlmException.class);
        return (LlmException) thrown.getCause();
    }
}
