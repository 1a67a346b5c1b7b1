package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secrets contract every backend keeps: the API key never leaks into exceptions, their
 * headers, replies' headers or the client's toString, whatever the server echoes. A backend runs
 * it by subclassing it with its {@link ChatBackendFixture}; its subclass adds the cases written
 * in its own server's error format.
 */
public abstract class BackendSecretsContract {

    /** The stub server, on a random loopback port. */
    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** The key every client of this contract is built with. */
    protected static final String KEY = "sk-SECRETSECRET1234";
    /** A minimal request. */
    protected static final ChatRequest REQUEST =
            ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();

    /** The backend under test. */
    protected final ChatBackendFixture fixture;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendSecretsContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    /** Returns the URL that reaches the stub server, as a user of this backend would configure it. */
    protected String baseUrl() {
        return fixture.baseUrl("http://127.0.0.1:" + wm.getPort());
    }

    /** Returns a client for the stub server using {@link #KEY}. */
    protected ChatClient client() {
        return fixture.client(baseUrl(), KEY, b -> {});
    }

    /** Asserts that {@link #KEY} appears nowhere a caller or a log could see it. */
    protected static void assertNoKeyIn(LlmException e) {
        assertThat(e.getMessage()).doesNotContain(KEY);
        assertThat(e.toString()).doesNotContain(KEY);
        assertThat(e.getLocalizedMessage()).doesNotContain(KEY);
        assertThat(e.headers().toString()).doesNotContain(KEY);
        assertThat(e.partialContent().orElse("")).doesNotContain(KEY);
    }

    @Test
    void aNonJsonErrorPageEchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Bad gateway for Authorization: Bearer " + KEY + "</body></html>")));

        try (ChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.getMessage()).contains("Bad gateway");
            assertNoKeyIn(e);
        }
    }

    @Test
    void anUnparsable200EchoingTheKeyIsRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\": \"c\", \"echo\": \"" + KEY + "\", \"choices\": [")));

        try (ChatClient c = client()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> c.chat(REQUEST));

            assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
            assertNoKeyIn(e);
        }
    }

    @Test
    void successfulReplyHeadersEchoingTheKeyAreRedacted() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Echo", KEY)
                        .withHeader("Authorization", "Bearer " + KEY)
                        .withHeader("x-litellm-key-alias", KEY)
                        .withHeader("x-litellm-api-key", KEY)
                        .withBody("""
                        {"id": "c", "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "ok"}}]}
                        """)));

        try (ChatClient c = client()) {
            ChatResponse r = c.chat(REQUEST);

            assertThat(r.headers()).doesNotContainKey("authorization").doesNotContainKey("x-litellm-api-key");
            assertThat(r.headers().toString()).doesNotContain(KEY);
            assertThat(r.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aKeyTheHttpClientCannotSendNeverAppearsInTheError() {
        // A zero-width space, as pasted from a web page: not a legal header character.
        String pasted = "sk-SECRET\u200bSECRET1234";

        LlmException e = catchThrowableOfType(LlmException.class, () -> {
            try (ChatClient c = fixture.client(baseUrl(), pasted, b -> {})) {
                c.chat(REQUEST);
            }
        });

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain(pasted).doesNotContain("SECRET");
        assertThat(e.toString()).doesNotContain(pasted).doesNotContain("SECRET");
    }

    @Test
    void clientToStringNeverShowsTheKey() {
        try (ChatClient c = client()) {
            assertThat(c.toString())
                    .doesNotContain(KEY)
                    .doesNotContain("SECRET")
                    .contains("apiKey=set");
        }
    }

    @Test
    void clientFromEnvToStringNeverShowsTheKey() {
        try (ChatClient c = ChatClients.fromEnv(fixture.env(baseUrl(), KEY))) {
            assertThat(c.toString()).doesNotContain(KEY).doesNotContain("SECRET");
        }
    }

    @Test
    void invalidSettingsNeverEchoTheKey() {
        Map<String, String> env = new HashMap<>(fixture.env(baseUrl(), KEY));
        env.put(fixture.baseUrlVariable(), "not a url");

        LlmException e = catchThrowableOfType(LlmException.class, () -> ChatClients.fromEnv(env));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertNoKeyIn(e);
    }
}
