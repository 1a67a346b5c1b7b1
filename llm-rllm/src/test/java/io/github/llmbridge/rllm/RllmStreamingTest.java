package io.github.llmbridge.rllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.contract.SseServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed calls through rLLM's model gateway go where the non-streamed ones go: the session's URL
 * ({@code POST /sessions} first, for a session this client creates), with the gateway's trace
 * fields left for it to add, and the SSE events it forwards arrive as chunks that add up to the reply.
 */
class RllmStreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SseServer server = newServer();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        server.close();
        assertThat(server.failures()).isEmpty();
    }

    private static String chunk(String content, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"Qwen/Qwen3-4B\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    private static final String USAGE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"Qwen/Qwen3-4B\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}";

    /** The gateway's answer to {@code POST /sessions}. */
    private SseServer.Script sessionCreated() {
        return ex -> {
            requestLines.add(requestLine(ex));
            ex.reply(200, "application/json", "{\"session_id\": \"s\", \"url\": \"/sessions/s/v1\"}");
        };
    }

    /** The worker's stream as the gateway forwards it. */
    private SseServer.Script streamed() {
        return ex -> {
            requestLines.add(requestLine(ex));
            ex.streamHead()
                    .data(chunk("Paris", null))
                    .data(chunk(" is", null))
                    .data(chunk(" the capital.", null))
                    .data(chunk("", "stop"))
                    .data(USAGE)
                    .data("[DONE]");
        };
    }

    private static String requestLine(SseServer.Exchange ex) {
        return ex.head().lines().findFirst().orElseThrow();
    }

    private static ChatRequest request() {
        return ChatRequest.builder()
                .model("Qwen/Qwen3-4B")
                .user("Capital of France?")
                .build();
    }

    private String root() {
        return server.baseUri().toString();
    }

    @Test
    void aSessionsFirstStreamedCallCreatesItThenStreamsToItsUrl() throws Exception {
        server.then(sessionCreated()).then(streamed());
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        String uid;
        ChatResponse reply;
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession rollout = LlmSession.open("rollout-7", Map.of("task", "t-17"))) {
            uid = rollout.uid();
            reply = client.streamAsync(request(), chunks::add).get(10, TimeUnit.SECONDS);
        }

        assertThat(requestLines)
                .containsExactly("POST /sessions HTTP/1.1", "POST /sessions/" + uid + "/v1/chat/completions HTTP/1.1");
        JsonNode created = JSON.readTree(server.requestBodies().get(0));
        assertThat(created.get("session_id").asText()).isEqualTo(uid);
        assertThat(created.get("metadata").get("task").asText()).isEqualTo("t-17");
        JsonNode body = JSON.readTree(server.requestBodies().get(1));
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
        assertThat(body.get("model").asText()).isEqualTo("Qwen/Qwen3-4B");

        assertThat(chunks).extracting(ChatChunk::content).containsExactly("Paris", " is", " the capital.", "", "");
        assertThat(chunks.get(3).finishReason()).hasValue(FinishReason.STOP);
        assertThat(chunks.get(4).usage()).hasValue(new Usage(7, 3, 10, 0, 0));
        assertThat(reply.content()).isEqualTo("Paris is the capital.");
        assertThat(reply.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(reply.usage()).isEqualTo(new Usage(7, 3, 10, 0, 0));
    }

    @Test
    void aSessionUrlIsStreamedToAsItIsAndAFalseLogprobsIsLeftForTheGatewayToSet() throws Exception {
        server.then(streamed());
        ChatResponse reply;
        try (RllmChatClient client = RllmChatClient.builder()
                .gatewayUrl(root() + "/sessions/handed-over/v1")
                .build()) {
            reply = client.streamAsync(
                            ChatRequest.builder()
                                    .model("Qwen/Qwen3-4B")
                                    .user("Capital of France?")
                                    .logprobs(false)
                                    .build(),
                            c -> {})
                    .get(10, TimeUnit.SECONDS);
        }

        assertThat(requestLines).containsExactly("POST /sessions/handed-over/v1/chat/completions HTTP/1.1");
        JsonNode body = JSON.readTree(server.requestBodies().get(0));
        assertThat(body.has("logprobs")).isFalse();
        assertThat(body.has("return_token_ids")).isFalse();
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(reply.content()).isEqualTo("Paris is the capital.");
    }

    @Test
    void aFailedSessionCreationFailsTheStreamWithoutCallingTheModelOrDeliveringAChunk() {
        server.then(ex -> {
            requestLines.add(requestLine(ex));
            ex.reply(503, "application/json", "{\"detail\": \"store unavailable\"}");
        });
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession ignored = LlmSession.open("rollout-8")) {
            assertThatThrownBy(() -> client.streamAsync(request(), chunks::add).get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
                        assertThat(e.getMessage()).startsWith("creating the gateway session (POST /sessions) failed: ");
                    });
        }
        assertThat(requestLines).containsExactly("POST /sessions HTTP/1.1");
        assertThat(chunks).isEmpty();
    }

    @Test
    void aRetriedStreamFromTheEnvironmentsClientGoesBackToTheSameSession() throws Exception {
        server.then(sessionCreated())
                .then(ex -> {
                    requestLines.add(requestLine(ex));
                    ex.reply(
                            500,
                            "application/json",
                            "{\"error\": {\"message\": \"worker failed\", \"type\": \"InternalServerError\", \"code\": 500}}");
                })
                .then(streamed());
        String uid;
        ChatResponse reply;
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND", "rllm",
                        "RLLM_GATEWAY_URL", root(),
                        "LLM_BACKOFF_BASE_SECONDS", "0.01"));
                LlmSession rollout = LlmSession.open("rollout-9")) {
            uid = rollout.uid();
            try (ChatStream stream = client.stream(request())) {
                reply = stream.response().get(10, TimeUnit.SECONDS);
            }
        }

        String chat = "POST /sessions/" + uid + "/v1/chat/completions HTTP/1.1";
        assertThat(requestLines).containsExactly("POST /sessions HTTP/1.1", chat, chat);
        assertThat(reply.content()).isEqualTo("Paris is the capital.");
        assertThat(reply.attempts()).hasSize(2);
    }

    private static SseServer newServer() {
        try {
            return new SseServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
