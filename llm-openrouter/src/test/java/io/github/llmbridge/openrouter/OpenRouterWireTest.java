package io.github.llmbridge.openrouter;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@link OpenRouterChatClient} puts on the wire: path, headers and the exact JSON body. */
class OpenRouterWireTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-or-v1-wiretestkey0001";
    private static final String PATH = "/api/v1/chat/completions";

    private static final String REPLY = """
            {"id": "gen-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    private static String apiRoot() {
        return "http://127.0.0.1:" + wm.getPort() + "/api/v1";
    }

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder().apiKey(KEY).baseUrl(apiRoot());
    }

    private static ChatRequest minimal() {
        return ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi").build();
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void postsToChatCompletionsUnderTheApiRoot() {
        try (OpenRouterChatClient c = client().build()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
        assertThat(onlyRequest().getMethod().getName()).isEqualTo("POST");
    }

    @Test
    void acceptsTheApiRootWithATrailingSlash() {
        try (OpenRouterChatClient c = client().baseUrl(apiRoot() + "/").build()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
    }

    @Test
    void acceptsTheApiRootWithSeveralTrailingSlashes() {
        try (OpenRouterChatClient c = client().baseUrl(apiRoot() + "//").build()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
    }

    @Test
    void sendsBearerKeyJsonContentTypeAndLibraryUserAgent() {
        try (OpenRouterChatClient c = client().build()) {
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
        try (OpenRouterChatClient c = client().apiKey("  " + KEY + "\n").build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void sendsBearerKeyAndAttributionHeadersWhenSet() {
        try (OpenRouterChatClient c = client().referer("https://github.com/example/trainer").title("RL Trainer").build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("HTTP-Referer", equalTo("https://github.com/example/trainer"))
                .withHeader("X-OpenRouter-Title", equalTo("RL Trainer"))
                .withHeader("X-Title", equalTo("RL Trainer")));
    }

    @Test
    void sendsNoAttributionHeadersWhenUnset() {
        try (OpenRouterChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("HTTP-Referer", absent())
                .withHeader("X-OpenRouter-Title", absent())
                .withHeader("X-Title", absent()));
    }

    @Test
    void sendsOnlyModelAndMessagesWhenNothingElseIsSet() {
        try (OpenRouterChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }

    @Test
    void sendsEveryTypedFieldAndExtraBodyAndNoMetadata() {
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
                .metadata("trace_id", "t-1")
                .metadata("session", Map.of("name", "s"))
                .extraBody("provider", provider)
                .extraBody("transforms", List.of("middle-out"))
                .extraBody("reasoning", Map.of("effort", "high", "exclude", true))
                .build();

        try (OpenRouterChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
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
                  "reasoning": {"effort": "high", "exclude": true}
                }
                """)));
    }

    @Test
    void sendsAJsonSchemaResponseFormatWithNameStrictAndSchema() throws Exception {
        JsonNode schema = new ObjectMapper().readTree("""
                {"type": "object", "properties": {"score": {"type": "number"}},
                 "required": ["score"], "additionalProperties": false}
                """);
        ChatRequest request = ChatRequest.builder().model("openai/gpt-4o-mini").user("Grade it.")
                .responseFormat(ResponseFormat.jsonSchema("score", schema, true))
                .build();

        try (OpenRouterChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {
                  "model": "openai/gpt-4o-mini",
                  "messages": [{"role": "user", "content": "Grade it."}],
                  "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                      "name": "score",
                      "strict": true,
                      "schema": {"type": "object", "properties": {"score": {"type": "number"}},
                                 "required": ["score"], "additionalProperties": false}
                    }
                  }
                }
                """)));
    }

    @Test
    void extraBodyFieldsWinOverTypedFields() {
        ChatRequest request = ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi")
                .temperature(0.2)
                .extraBody("temperature", 0.7)
                .extraBody("models", List.of("openai/gpt-4o-mini", "anthropic/claude-3-haiku"))
                .build();

        try (OpenRouterChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "temperature": 0.7, "models": ["openai/gpt-4o-mini", "anthropic/claude-3-haiku"]}
                """)));
    }

    @Test
    void neverSendsRequestMetadata() {
        ChatRequest request = ChatRequest.builder().model("openai/gpt-4o-mini").user("Hi")
                .metadata("trace_id", "t-1").metadata("tags", List.of("judge"))
                .build();

        try (OpenRouterChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }
}
