package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exact JSON every backend sends for the message model: each content part, names, tool
 * definitions and {@code tool_choice}, the model parameters both backends send unchanged, and the
 * messages of a tool conversation, including a reply's own message appended to the next request.
 * A backend runs it by subclassing it with its {@link ChatBackendFixture}; fields a backend sends
 * its own way ({@code n}, {@code reasoning_effort}, {@code return_token_ids}) are tested beside
 * its subclass.
 */
public abstract class BackendMessagesWireContract {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    /** The stub server, on a random loopback port. */
    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** The model every request of this contract names. */
    protected static final String MODEL = "openai/gpt-4o-mini";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String TEXT_REPLY = """
            {"id": "chatcmpl-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    /**
     * OpenAI's reply shape for two parallel calls (content null, {@code refusal} and
     * {@code annotations} present), plus OpenRouter's reasoning fields: what a reasoning model
     * calling tools through OpenRouter sends.
     */
    private static final String TOOL_CALLS_REPLY = """
            {
              "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
              "object": "chat.completion",
              "created": 1741569952,
              "model": "openai/gpt-4o-mini-2024-07-18",
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": null,
                  "refusal": null,
                  "annotations": [],
                  "reasoning": "The user asks about two cities; call the weather tool for each.",
                  "reasoning_details": [
                    {"type": "reasoning.text", "text": "The user asks about two cities.", "signature": null,
                     "id": "rs_1", "format": "openai-responses-v1", "index": 0},
                    {"type": "reasoning.encrypted", "data": "gAAAAABn0Xk3", "id": "rs_1",
                     "format": "openai-responses-v1", "index": 1}
                  ],
                  "tool_calls": [
                    {"id": "call_Paris01", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}},
                    {"id": "call_Oslo02", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\", \\"unit\\": \\"celsius\\"}"}}
                  ]
                },
                "logprobs": null,
                "finish_reason": "tool_calls"
              }],
              "usage": {"prompt_tokens": 82, "completion_tokens": 57, "total_tokens": 139}
            }
            """;

    private static final String WEATHER_SCHEMA = """
            {"type": "object",
             "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
             "required": ["city", "unit"], "additionalProperties": false}
            """;

    /** The backend under test. */
    protected final ChatBackendFixture fixture;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendMessagesWireContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    @BeforeEach
    void stubTextReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(TEXT_REPLY)));
    }

    /** Returns a client for the stub server; the caller closes it. */
    protected ChatClient client() {
        return fixture.client(fixture.baseUrl("http://127.0.0.1:" + wm.getPort()), "sk-contract-messages", b -> {});
    }

    /** Returns the JSON text as a tree. */
    protected static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Returns the weather tool's parameters schema. */
    protected static JsonNode weatherSchema() {
        return json(WEATHER_SCHEMA);
    }

    /** Sends {@code request} with a fresh client and asserts the exact body the server received. */
    protected void assertSendsBody(ChatRequest request, String expectedJson) {
        try (ChatClient c = client()) {
            c.chat(request);
        }
        wm.verify(1, postRequestedFor(urlEqualTo(fixture.chatPath())).withRequestBody(equalToJson(expectedJson)));
    }

    /** Returns the bodies the server received, in order. */
    protected static List<JsonNode> receivedBodies() {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(anyUrl()))) {
            bodies.add(json(r.getBodyAsString()));
        }
        return bodies;
    }

    private static ChatRequest.Builder ask(String text) {
        return ChatRequest.builder().model(MODEL).user(text);
    }

    private static Tool weatherTool() {
        return Tool.function("get_weather", "Current weather in a city", weatherSchema());
    }

    @Test
    void sendsATextOnlyMessageAsAStringAndItsName() {
        ChatRequest request = ChatRequest.builder()
                .model(MODEL)
                .message(ChatMessage.builder(ChatMessage.DEVELOPER)
                        .text("Grade strictly.")
                        .build())
                .message(ChatMessage.builder(ChatMessage.USER)
                        .text("Grade this.")
                        .name("trainer_7")
                        .build())
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "developer", "content": "Grade strictly."},
                              {"role": "user", "content": "Grade this.", "name": "trainer_7"}]}
                """);
    }

    @Test
    void sendsEachContentPartInTheChatCompletionsShape() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        byte[] wav = {'R', 'I', 'F', 'F'};
        byte[] pdf = {'%', 'P', 'D', 'F'};
        ChatRequest request = ChatRequest.builder()
                .model(MODEL)
                .user(
                        ContentPart.text("Is this chart readable?"),
                        ContentPart.imageUrl("https://example.com/chart.png").withDetail(ContentPart.ImageDetail.LOW),
                        ContentPart.image(png, "image/png").withDetail(ContentPart.ImageDetail.HIGH),
                        ContentPart.image(png, "image/png"),
                        ContentPart.audio(wav, "wav"),
                        ContentPart.file(pdf, "application/pdf", "report.pdf"),
                        ContentPart.fileId("file-abc123"))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "user", "content": [
                   {"type": "text", "text": "Is this chart readable?"},
                   {"type": "image_url", "image_url": {"url": "https://example.com/chart.png", "detail": "low"}},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw==", "detail": "high"}},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}},
                   {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
                   {"type": "file", "file": {"filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERg=="}},
                   {"type": "file", "file": {"file_id": "file-abc123"}}
                 ]}]}
                """);
    }

    @Test
    void sendsACustomPartAsGivenThoughOpenAiDefinesNoSuchPart() {
        openAiBodies.expectViolation("$.messages[0].content[1].type: does not have a value in the enumeration");
        ChatRequest request = ChatRequest.builder()
                .model(MODEL)
                .user(ContentPart.text("Describe the clip."), ContentPart.custom(json("""
                                {"type": "video_url", "video_url": {"url": "https://example.com/clip.mp4"}}""")))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "user", "content": [
                   {"type": "text", "text": "Describe the clip."},
                   {"type": "video_url", "video_url": {"url": "https://example.com/clip.mp4"}}
                 ]}]}
                """);
    }

    @Test
    void sendsProviderSpecificPartFieldsBesideThePartsOwn() {
        ChatRequest request = ChatRequest.builder()
                .model(MODEL)
                .message(ChatMessage.builder(ChatMessage.SYSTEM)
                        .part(ContentPart.text("A long rubric, cached.")
                                .withExtra("cache_control", Map.of("type", "ephemeral")))
                        .build())
                .user(ContentPart.imageUrl("https://example.com/a.png")
                        .withExtra("cache_control", Map.of("type", "ephemeral", "ttl", "1h")))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [
                   {"role": "system", "content": [
                     {"type": "text", "text": "A long rubric, cached.", "cache_control": {"type": "ephemeral"}}]},
                   {"role": "user", "content": [
                     {"type": "image_url", "image_url": {"url": "https://example.com/a.png"},
                      "cache_control": {"type": "ephemeral", "ttl": "1h"}}]}
                 ]}
                """);
    }

    @Test
    void sendsToolDefinitionsWithDescriptionSchemaAndStrict() {
        ChatRequest request = ask("Weather in Paris and the time in Oslo?")
                .tools(
                        weatherTool().withStrict(true),
                        Tool.function("get_time", null),
                        new Tool("get_news", "Headlines", json("{\"type\": \"object\", \"properties\": {}}"), false))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "user", "content": "Weather in Paris and the time in Oslo?"}],
                 "tools": [
                   {"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city",
                     "parameters": %s, "strict": true}},
                   {"type": "function", "function": {"name": "get_time"}},
                   {"type": "function", "function": {"name": "get_news", "description": "Headlines",
                     "parameters": {"type": "object", "properties": {}}, "strict": false}}
                 ]}
                """.formatted(WEATHER_SCHEMA));
    }

    @Test
    void sendsEachToolChoiceAndParallelToolCalls() {
        List<ToolChoice> choices = List.of(
                ToolChoice.auto(), ToolChoice.none(), ToolChoice.required(), ToolChoice.function("get_weather"));
        try (ChatClient c = client()) {
            for (ToolChoice choice : choices) {
                c.chat(ask("Weather?")
                        .tools(weatherTool())
                        .toolChoice(choice)
                        .parallelToolCalls(false)
                        .build());
            }
        }

        List<JsonNode> bodies = receivedBodies();
        assertThat(bodies)
                .extracting(b -> b.get("tool_choice"))
                .containsExactly(
                        json("\"auto\""),
                        json("\"none\""),
                        json("\"required\""),
                        json("{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}"));
        assertThat(bodies)
                .allSatisfy(b -> assertThat(b.get("parallel_tool_calls")).isEqualTo(json("false")));
    }

    @Test
    void sendsTheModelParametersBothBackendsShare() {
        ChatRequest request = ask("Score it from 1 to 10; answer with the number only.")
                .logprobs(true)
                .topLogprobs(5)
                .maxCompletionTokens(1)
                .promptCacheKey("judge-rubric-v3")
                .serviceTier("flex")
                .modalities("text")
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [{"role": "user", "content": "Score it from 1 to 10; answer with the number only."}],
                 "logprobs": true, "top_logprobs": 5, "max_completion_tokens": 1,
                 "prompt_cache_key": "judge-rubric-v3", "service_tier": "flex", "modalities": ["text"]}
                """);
    }

    @Test
    void topLogprobsAloneAlsoAsksForLogprobs() {
        assertSendsBody(ask("Score it.").topLogprobs(20).build(), """
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Score it."}],
                 "logprobs": true, "top_logprobs": 20}
                """);
    }

    @Test
    void aTwoRoundToolConversationSendsTheCallsAndTheirResultsBackExactly() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(TOOL_CALLS_REPLY)));
        ChatRequest first = ask("What's the weather in Paris and Oslo?")
                .tools(weatherTool())
                .build();
        try (ChatClient c = client()) {
            ChatResponse round1 = c.chat(first);
            List<ChatMessage> conversation = new ArrayList<>(first.messages());
            conversation.add(round1.choices().get(0).message());
            for (ToolCall call : round1.toolCalls()) {
                String city = call.argumentsJson().path("city").asText();
                conversation.add(ChatMessage.toolResult(call.id(), "{\"city\": \"" + city + "\", \"celsius\": 21}"));
            }
            wm.stubFor(post(anyUrl()).willReturn(okJson(TEXT_REPLY)));
            c.chat(first.toBuilder().messages(conversation).build());
        }

        List<JsonNode> bodies = receivedBodies();
        assertThat(bodies).hasSize(2);
        assertThat(openAiBodies.checked())
                .as("both bodies checked against OpenAI's schema")
                .hasSize(2);
        assertThat(bodies.get(1)).isEqualTo(json("""
                {"model": "openai/gpt-4o-mini",
                 "messages": [
                   {"role": "user", "content": "What's the weather in Paris and Oslo?"},
                   {"role": "assistant", "content": null,
                    "tool_calls": [
                      {"id": "call_Paris01", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}},
                      {"id": "call_Oslo02", "type": "function",
                       "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\", \\"unit\\": \\"celsius\\"}"}}
                    ],
                    "reasoning_details": [
                      {"type": "reasoning.text", "text": "The user asks about two cities.", "signature": null,
                       "id": "rs_1", "format": "openai-responses-v1", "index": 0},
                      {"type": "reasoning.encrypted", "data": "gAAAAABn0Xk3", "id": "rs_1",
                       "format": "openai-responses-v1", "index": 1}
                    ]},
                   {"role": "tool", "content": "{\\"city\\": \\"Paris\\", \\"celsius\\": 21}", "tool_call_id": "call_Paris01"},
                   {"role": "tool", "content": "{\\"city\\": \\"Oslo\\", \\"celsius\\": 21}", "tool_call_id": "call_Oslo02"}
                 ],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city",
                            "parameters": %s}}]}
                """.formatted(WEATHER_SCHEMA)));
    }

    @Test
    void aRepliedMessageGoesBackWithItsCallsAndReasoningDetailsButNotItsReasoningText() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(TOOL_CALLS_REPLY)));
        try (ChatClient c = client()) {
            ChatMessage replied = c.chat(ask("Weather?").tools(weatherTool()).build())
                    .choices()
                    .get(0)
                    .message();
            assertThat(replied.reasoning()).hasValue("The user asks about two cities; call the weather tool for each.");

            c.chat(ask("Weather?").message(replied).build());
        }

        JsonNode sentBack = receivedBodies().get(1).path("messages").get(1);
        assertThat(sentBack.has("tool_calls")).isTrue();
        assertThat(sentBack.path("reasoning_details")).hasSize(2);
        assertThat(sentBack.has("reasoning"))
                .as("reasoning text is not sent back")
                .isFalse();
        assertThat(sentBack.has("reasoning_content")).isFalse();
        assertThat(sentBack.has("annotations"))
                .as("reply-only fields stay in raw()")
                .isFalse();
        assertThat(sentBack.has("refusal")).isFalse();
    }

    @Test
    void anAssistantMessageBuiltFromCallsIsSentWithNullContent() {
        ToolCall call = ToolCall.function("call_1", "get_weather", "{\"city\": \"Oslo\", \"unit\": \"celsius\"}");
        ChatRequest request = ask("Weather in Oslo?")
                .message(ChatMessage.assistant(List.of(call)))
                .message(ChatMessage.toolResult("call_1", "rain"))
                .build();

        assertSendsBody(request, """
                {"model": "openai/gpt-4o-mini",
                 "messages": [
                   {"role": "user", "content": "Weather in Oslo?"},
                   {"role": "assistant", "content": null, "tool_calls": [
                     {"id": "call_1", "type": "function",
                      "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\", \\"unit\\": \\"celsius\\"}"}}]},
                   {"role": "tool", "content": "rain", "tool_call_id": "call_1"}
                 ]}
                """);
    }
}
