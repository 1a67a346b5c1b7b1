package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ResponseFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every backend puts on the wire: the path, the key and content headers, and the exact JSON
 * body of the typed fields and {@code extraBody}. A backend runs it by subclassing it with its
 * {@link ChatBackendFixture}; its subclass adds its own URL spellings, headers and body fields.
 */
public abstract class BackendWireContract {

    /** The stub server, on a random loopback port; it answers every POST with a short reply. */
    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** The key every client of this contract is built with. */
    protected static final String KEY = "sk-contract-wiretestkey0001";

    private static final String REPLY = """
            {"id": "chatcmpl-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    /** The backend under test. */
    protected final ChatBackendFixture fixture;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendWireContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    /** Returns the stub server's root URL, such as {@code http://127.0.0.1:41234}. */
    protected static String serverRoot() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    /** Returns the smallest request: one model, one user message. */
    protected static ChatRequest minimal() {
        return ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();
    }

    /** Returns the one request the server received, failing if it received more or none. */
    protected static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private ChatClient client() {
        return fixture.client(fixture.baseUrl(serverRoot()), KEY, b -> {});
    }

    /** Sends {@code request} with a fresh client and asserts the body the server received. */
    private void assertSendsBody(ChatRequest request, String expectedJson) {
        try (ChatClient c = client()) {
            c.chat(request);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(fixture.chatPath())).withRequestBody(equalToJson(expectedJson)));
    }

    @Test
    void postsToTheChatCompletionsPath() {
        try (ChatClient c = client()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(fixture.chatPath());
        assertThat(onlyRequest().getMethod().getName()).isEqualTo("POST");
    }

    @ParameterizedTest(name = "base URL suffix \"{0}\"")
    @ValueSource(strings = {"/", "//"})
    void acceptsTheBaseUrlWithTrailingSlashes(String suffix) {
        try (ChatClient c = fixture.client(fixture.baseUrl(serverRoot()) + suffix, KEY, b -> {})) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(fixture.chatPath());
    }

    @Test
    void sendsTheKeyJsonContentTypeAndLibraryUserAgent() {
        HttpHeader key = fixture.keyHeader(KEY);
        try (ChatClient c = client()) {
            c.chat(minimal());
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo(fixture.chatPath()))
                        .withHeader(key.key(), equalTo(key.firstValue()))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withHeader("Accept", equalTo("application/json"))
                        .withHeader("User-Agent", matching("llm-bridge/\\S+")));
    }

    @Test
    void sendsAStrippedKey() {
        HttpHeader key = fixture.keyHeader(KEY);
        try (ChatClient c = fixture.client(fixture.baseUrl(serverRoot()), "  " + KEY + "\n", b -> {})) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(fixture.chatPath())).withHeader(key.key(), equalTo(key.firstValue())));
    }

    @Test
    void sendsOnlyModelAndMessagesWhenNothingElseIsSet() {
        assertSendsBody(minimal(), """
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """);
    }

    @Test
    void sendsEveryTypedFieldAndExtraBody() {
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("order", List.of("openai", "azure"));
        provider.put("allow_fallbacks", false);
        provider.put("max_price", Map.of("prompt", 1, "completion", 2));
        ChatRequest request = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .system("You grade answers.")
                .user("What is 2+2?")
                .assistant("4")
                .user("Grade it.")
                .temperature(0.2)
                .topP(0.9)
                .maxTokens(800)
                .stop("###", "END")
                .seed(42L)
                .responseFormat(ResponseFormat.jsonObject())
                .frequencyPenalty(0.5)
                .presencePenalty(-0.5)
                .endUser("trainer-7")
                .extraBody("provider", provider)
                .extraBody("transforms", List.of("middle-out"))
                .extraBody("reasoning", Map.of("effort", "high", "exclude", true))
                .extraBody("fallbacks", List.of("gpt-4o", "claude-3-haiku"))
                .extraBody("num_retries", 2)
                .extraBody("mock_testing", Map.of("nested", Map.of("deep", List.of(1, 2)), "flag", true))
                .build();

        assertSendsBody(request, """
                {
                  "model": "openai/gpt-4o-mini",
                  "messages": [
                    {"role": "system", "content": "You grade answers."},
                    {"role": "user", "content": "What is 2+2?"},
                    {"role": "assistant", "content": "4"},
                    {"role": "user", "content": "Grade it."}
                  ],
                  "temperature": 0.2,
                  "top_p": 0.9,
                  "max_tokens": 800,
                  "stop": ["###", "END"],
                  "seed": 42,
                  "response_format": {"type": "json_object"},
                  "frequency_penalty": 0.5,
                  "presence_penalty": -0.5,
                  "user": "trainer-7",
                  "provider": {
                    "order": ["openai", "azure"],
                    "allow_fallbacks": false,
                    "max_price": {"prompt": 1, "completion": 2}
                  },
                  "transforms": ["middle-out"],
                  "reasoning": {"effort": "high", "exclude": true},
                  "fallbacks": ["gpt-4o", "claude-3-haiku"],
                  "num_retries": 2,
                  "mock_testing": {"nested": {"deep": [1, 2]}, "flag": true}
                }
                """);
    }

    @ParameterizedTest(name = "strict={0}")
    @ValueSource(booleans = {true, false})
    void sendsAJsonSchemaResponseFormatWithNameStrictAndSchema(boolean strict) throws Exception {
        JsonNode schema = new ObjectMapper().readTree("""
                {"type": "object", "properties": {"score": {"type": "number"}},
                 "required": ["score"], "additionalProperties": false}
                """);
        ChatRequest request = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .user("Grade it.")
                .responseFormat(ResponseFormat.jsonSchema("score", schema, strict))
                .build();

        assertSendsBody(request, """
                {
                  "model": "openai/gpt-4o-mini",
                  "messages": [{"role": "user", "content": "Grade it."}],
                  "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                      "name": "score",
                      "strict": %s,
                      "schema": {"type": "object", "properties": {"score": {"type": "number"}},
                                 "required": ["score"], "additionalProperties": false}
                    }
                  }
                }
                """.formatted(strict));
    }

    @Test
    void extraBodyFieldsWinOverTypedFields() {
        ChatRequest request = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .user("Hi")
                .temperature(0.2)
                .maxTokens(800)
                .extraBody("temperature", 0.7)
                .extraBody("max_tokens", 16384)
                .extraBody("models", List.of("openai/gpt-4o-mini", "anthropic/claude-3-haiku"))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "temperature": 0.7, "max_tokens": 16384,
                 "models": ["openai/gpt-4o-mini", "anthropic/claude-3-haiku"]}
                """);
    }
}
