package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.Usage;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How every backend turns a 2xx chat-completion reply into a {@link ChatResponse}. A backend runs
 * it by subclassing it with its {@link ChatBackendFixture}; its subclass adds the fields and
 * headers only its own server sends.
 */
public abstract class BackendResponseContract {

    /** The stub server, on a random loopback port. */
    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    protected static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    protected static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    /** The request every test sends. */
    protected static final ChatRequest REQUEST = ChatRequest.builder()
            .model("openai/gpt-4o-mini")
            .user("Grade this.")
            .build();

    /** The backend under test. */
    protected final ChatBackendFixture fixture;
    /** A client for the stub server, built before and closed after each test. */
    protected ChatClient client;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendResponseContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    @BeforeEach
    void createClient() {
        client = fixture.client(
                fixture.baseUrl("http://127.0.0.1:" + wm.getPort()), "sk-contract-responsetest", b -> {});
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Stubs a 200 reply with {@code json} and sends {@link #REQUEST}. */
    protected ChatResponse replyWith(String json) {
        wm.stubFor(post(anyUrl()).willReturn(okJson(json)));
        return client.chat(REQUEST);
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void parsesEveryFieldOfAFullReply() {
        ObjectNode body = json("""
                {
                  "id": "chatcmpl-abc",
                  "object": "chat.completion",
                  "created": 1735689600,
                  "model": "openai/gpt-4o-mini-2024-07-18",
                  "system_fingerprint": "fp_abc",
                  "some_future_field": {"nested": [1, 2, 3]},
                  "choices": [
                    {
                      "index": 0,
                      "logprobs": null,
                      "finish_reason": "stop",
                      "message": {"role": "assistant", "content": "The score is 7.", "refusal": null}
                    },
                    {
                      "index": 1,
                      "finish_reason": "length",
                      "message": {"role": "assistant", "content": "The score is"}
                    }
                  ],
                  "usage": {
                    "prompt_tokens": 120,
                    "completion_tokens": 30,
                    "total_tokens": 150,
                    "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
                    "completion_tokens_details": {"reasoning_tokens": 12}
                  }
                }
                """);
        wm.stubFor(post(anyUrl())
                .willReturn(fixture.replyCosting(body, 0.000123)
                        .withHeader("X-Request-Id", "req-42")
                        .withHeader("X-RateLimit-Remaining", "99")
                        .withHeader("Set-Cookie", "session=abc123; HttpOnly")));

        ChatResponse r = client.chat(REQUEST);

        assertThat(r.id()).isEqualTo("chatcmpl-abc");
        assertThat(r.model()).isEqualTo("openai/gpt-4o-mini-2024-07-18");
        assertThat(r.content()).isEqualTo("The score is 7.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.choices())
                .containsExactly(
                        new Choice(0, ChatMessage.assistant("The score is 7."), FinishReason.STOP),
                        new Choice(1, ChatMessage.assistant("The score is"), FinishReason.LENGTH));
        assertThat(r.usage()).isEqualTo(new Usage(120, 30, 150, 64, 12));
        assertThat(r.cost()).hasValue(0.000123);
        assertThat(r.latency()).isPositive();
        assertThat(r.backend()).isEqualTo(fixture.backend()).isEqualTo(client.backend());
        assertThat(r.headers())
                .containsEntry("x-request-id", "req-42")
                .containsEntry("x-ratelimit-remaining", "99")
                .doesNotContainKey("set-cookie");
        assertThat(r.headers().keySet()).allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        assertThat(r.headers().values()).noneMatch(v -> v.contains("abc123"));
        assertThat(r.header("X-Request-ID")).hasValue("req-42");
        assertThat(r.raw().path("some_future_field").path("nested")).hasSize(3);
        assertThat(r.raw().path("choices")).hasSize(2);
    }

    @Test
    void nullContentOfARefusalBecomesEmptyString() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-2", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "content_filter",
                              "message": {"role": "assistant", "content": null, "refusal": "I can't help."}}]}
                """);

        assertThat(r.content()).isEmpty();
        assertThat(r.choices().get(0).message())
                .isEqualTo(ChatMessage.builder(ChatMessage.ASSISTANT)
                        .refusal("I can't help.")
                        .build());
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    }

    @Test
    void nullContentOfAToolCallBecomesEmptyString() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-3", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "tool_calls",
                              "message": {"role": "assistant", "content": null,
                                          "tool_calls": [{"id": "call_1", "type": "function",
                                                          "function": {"name": "f", "arguments": "{}"}}]}}]}
                """);

        assertThat(r.content()).isEmpty();
        assertThat(r.choices().get(0).message())
                .isEqualTo(ChatMessage.assistant(List.of(ToolCall.function("call_1", "f", "{}"))));
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void unknownFinishReasonIsKeptAsSent() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-4", "model": "openai/gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "weird_reason",
                              "message": {"role": "assistant", "content": "x"}}]}
                """);

        assertThat(r.finishReason()).isEqualTo(new FinishReason("weird_reason"));
        assertThat(r.finishReason().value()).isEqualTo("weird_reason");
        assertThat(r.finishReason().isPresent()).isTrue();
    }

    @Test
    void missingFinishReasonIsMissing() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-4b", "choices": [{"message": {"content": "x"}}]}
                """);

        assertThat(r.finishReason()).isEqualTo(FinishReason.MISSING);
        assertThat(r.choices().get(0).message().role()).isEqualTo(ChatMessage.ASSISTANT);
        assertThat(r.choices().get(0).index()).isZero();
    }

    @Test
    void toleratesUnknownFieldsEverywhere() {
        ChatResponse r = replyWith("""
                {"id": "gen-5", "model": "m", "brand_new": {"a": [1, {"b": null}]}, "x": 1,
                 "choices": [{"index": 0, "finish_reason": "stop", "future": true,
                              "message": {"role": "assistant", "content": "hi", "tool_calls": [],
                                          "images": [{"type": "image_url"}], "new_thing": 3}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "server_tool_use": {},
                           "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 5}}}
                """);

        assertThat(r.content()).isEqualTo("hi");
        assertThat(r.usage()).isEqualTo(new Usage(1, 2, 3, 0, 0));
    }

    @Test
    void toleratesUnknownFieldsAndNullDetailsBesideTheCachedTokens() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-5", "model": "m", "_hidden_params": {"a": [1, {"b": null}]},
                 "choices": [{"index": 0, "finish_reason": "stop", "logprobs": {"content": []},
                              "message": {"role": "assistant", "content": "hi", "thinking_blocks": [],
                                          "reasoning_content": "r", "annotations": [{"x": 1}]}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                           "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                           "prompt_tokens_details": {"cached_tokens": 1, "text_tokens": null, "image_tokens": null}}}
                """);

        assertThat(r.content()).isEqualTo("hi");
        assertThat(r.usage()).isEqualTo(new Usage(1, 2, 3, 1, 0));
    }

    @Test
    void nullUsageDetailsGiveZeros() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-6", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                           "prompt_tokens_details": null, "completion_tokens_details": null}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
    }

    @Test
    void absentUsageDetailsGiveZerosAndNoCost() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-7", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """);

        assertThat(r.usage()).isEqualTo(new Usage(10, 5, 15, 0, 0));
        assertThat(r.cost()).isEmpty();
    }

    @Test
    void absentUsageGivesEmptyUsageAndNoCost() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-8", "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}]}
                """);

        assertThat(r.usage()).isEqualTo(Usage.EMPTY);
        assertThat(r.cost()).isEmpty();
    }

    @Test
    void missingModelFallsBackToTheRequestedOne() {
        ChatResponse r = replyWith("""
                {"id": "chatcmpl-9",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}}]}
                """);

        assertThat(r.model()).isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void replyWithoutChoicesIsAnInvalidResponse() {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-10", "model": "m", "choices": []}
                """)));

        assertThatThrownBy(() -> client.chat(REQUEST))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
    }
}
