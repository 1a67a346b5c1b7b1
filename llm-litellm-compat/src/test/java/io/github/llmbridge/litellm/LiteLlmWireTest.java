package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ResponseFormat;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link LiteLlmChatClient} puts on the wire: path, headers and the exact JSON body. */
class LiteLlmWireTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-litellm-wiretest-0001";
    private static final String PATH = "/v1/chat/completions";

    private static final String REPLY = """
            {"id": "chatcmpl-1", "model": "gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static LiteLlmChatClient.Builder client() {
        return LiteLlmChatClient.builder().proxyUrl(root()).apiKey(KEY);
    }

    private static ChatRequest minimal() {
        return ChatRequest.builder().model("gpt-4o-mini").user("Hi").build();
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @ParameterizedTest(name = "proxy URL suffix \"{0}\"")
    @ValueSource(strings = {"", "/", "/v1", "/v1/", "//"})
    void postsToV1ChatCompletionsWhateverTheProxyUrlSpelling(String suffix) {
        try (LiteLlmChatClient c = client().proxyUrl(root() + suffix).build()) {
            assertThat(c.proxyUrl()).isEqualTo(URI.create(root()));
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
        assertThat(onlyRequest().getMethod().getName()).isEqualTo("POST");
    }

    @Test
    void keepsAPathPrefixSuchAsRllmSessionMetadata() {
        String slug = "rllm1:eyJzZXNzaW9uX25hbWUiOiJzIn0";
        try (LiteLlmChatClient c = client().proxyUrl(root() + "/meta/" + slug + "/v1").build()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo("/meta/" + slug + "/v1/chat/completions");
    }

    @Test
    void sendsBearerKeyJsonContentTypeAndLibraryUserAgent() {
        try (LiteLlmChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", matching("llm-bridge/\\S+")));
    }

    @Test
    void sendsAStrippedKey() {
        try (LiteLlmChatClient c = client().apiKey(" " + KEY + "\n").build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAKey() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().proxyUrl(root()).build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void sendsNoAuthorizationHeaderForABlankKey() {
        try (LiteLlmChatClient c = client().apiKey("   ").build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void sendsNoOpenRouterAttributionHeaders() {
        try (LiteLlmChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("HTTP-Referer", absent())
                .withHeader("X-OpenRouter-Title", absent())
                .withHeader("X-Title", absent()));
    }

    @Test
    void sendsOnlyModelAndMessagesWhenNothingElseIsSet() {
        try (LiteLlmChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }

    @Test
    void sendsEveryTypedFieldExtraBodyAndMetadata() {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("session_name", "episode-3");
        session.put("session_uids", List.of("outer", "inner"));
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-mini")
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
                .metadata("trace_id", "t-1")
                .metadata("tags", List.of("judge", "step-9"))
                .metadata("session", session)
                .extraBody("litellm_session_id", "sess-1")
                .extraBody("fallbacks", List.of("gpt-4o", "claude-3-haiku"))
                .extraBody("num_retries", 2)
                .extraBody("mock_testing", Map.of("nested", Map.of("deep", List.of(1, 2)), "flag", true))
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {
                  "model": "gpt-4o-mini",
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
                  "metadata": {
                    "trace_id": "t-1",
                    "tags": ["judge", "step-9"],
                    "session": {"session_name": "episode-3", "session_uids": ["outer", "inner"]}
                  },
                  "litellm_session_id": "sess-1",
                  "fallbacks": ["gpt-4o", "claude-3-haiku"],
                  "num_retries": 2,
                  "mock_testing": {"nested": {"deep": [1, 2]}, "flag": true}
                }
                """)));
    }

    @Test
    void sendsAJsonSchemaResponseFormatWithNameStrictAndSchema() throws Exception {
        JsonNode schema = new ObjectMapper().readTree("""
                {"type": "object", "properties": {"score": {"type": "number"}},
                 "required": ["score"], "additionalProperties": false}
                """);
        ChatRequest request = ChatRequest.builder().model("gpt-4o-mini").user("Grade it.")
                .responseFormat(ResponseFormat.jsonSchema("score", schema, false))
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {
                  "model": "gpt-4o-mini",
                  "messages": [{"role": "user", "content": "Grade it."}],
                  "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                      "name": "score",
                      "strict": false,
                      "schema": {"type": "object", "properties": {"score": {"type": "number"}},
                                 "required": ["score"], "additionalProperties": false}
                    }
                  }
                }
                """)));
    }

    @Test
    void extraBodyFieldsWinOverTypedFields() {
        ChatRequest request = ChatRequest.builder().model("gpt-4o-mini").user("Hi")
                .maxTokens(800)
                .extraBody("max_tokens", 16384)
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 16384}
                """)));
    }

    @Test
    void sendsNoMetadataFieldWhenTheRequestHasNone() {
        ChatRequest request = ChatRequest.builder().model("gpt-4o-mini").user("Hi").temperature(0.0).build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.0}
                """)));
    }

    @Test
    void extraBodyMetadataIsMergedWithTheRequestMetadataItsKeysWinning() {
        ChatRequest request = ChatRequest.builder().model("gpt-4o-mini").user("Hi")
                .metadata("step", 3).metadata("trace_id", "from-request")
                .extraBody("metadata", Map.of("trace_id", "from-extra", "generation_name", "judge"))
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "metadata": {"step": 3, "trace_id": "from-extra", "generation_name": "judge"}}
                """)));
    }
}
