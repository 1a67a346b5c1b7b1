package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolCallDelta;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.contract.OpenAiRequestSchema;
import io.github.llmbridge.core.contract.SseServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed exchanges against a raw-socket server: what goes on the wire, how events become
 * chunks and one reply, and every way a stream can end.
 */
class StreamingTransportTest {

    static final String ROLE = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);
    static final String USAGE = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";
    static final String WHOLE = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m-1\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";

    private final SseServer server = newServer();
    private final OpenAiHttpTransport transport =
            OpenAiHttpTransport.builder().backend("test").build();
    private final ChatRequest request =
            ChatRequest.builder().model("m-1").user("hi").build();
    private final List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        transport.close();
        server.close();
        assertThat(server.failures()).isEmpty();
    }

    static String chunk(String delta, String finishReason) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]}";
    }

    static String content(String text) {
        return chunk("{\"content\":\"" + text + "\"}", null);
    }

    @Test
    void theAssembledReplyEqualsTheNonStreamedOneFieldByField() throws Exception {
        server.then(ex -> ex.streamHead()
                        .data(ROLE)
                        .data(content("Hel"))
                        .data(content("lo"))
                        .data(chunk("{}", "stop"))
                        .data(USAGE)
                        .data("[DONE]"))
                .then(ex -> ex.reply(200, "application/json", WHOLE));

        ChatResponse streamed = stream(request).get(10, TimeUnit.SECONDS);
        ChatResponse whole =
                transport.sendChat(server.chatUri(), Map.of(), request, b -> {}).get(10, TimeUnit.SECONDS);

        assertThat(streamed.choices()).isEqualTo(whole.choices());
        assertThat(streamed.id()).isEqualTo(whole.id()).isEqualTo("c1");
        assertThat(streamed.model()).isEqualTo(whole.model());
        assertThat(streamed.usage()).isEqualTo(whole.usage()).isEqualTo(new Usage(5, 2, 7, 0, 0));
        assertThat(streamed.cost()).isEqualTo(whole.cost());
        assertThat(streamed.promptTokenIds()).isEqualTo(whole.promptTokenIds());
        assertThat(streamed.raw()).isEqualTo(new ObjectMapper().readTree(WHOLE));
        assertThat(chunks).extracting(ChatChunk::content).containsExactly("", "Hel", "lo", "", "");
        assertThat(chunks.get(3).finishReason()).contains(FinishReason.STOP);
        assertThat(chunks.get(4).usage()).contains(new Usage(5, 2, 7, 0, 0));
    }

    @Test
    void toolCallDeltasAssembleIntoTheToolCallsOfTheNonStreamedReply() throws Exception {
        String wholeBody =
                "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m-1\",\"choices\":[{"
                        + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                        + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
                        + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},"
                        + "\"finish_reason\":\"tool_calls\"}]}";
        server.then(ex -> ex.streamHead()
                        .data(chunk(
                                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                                null))
                        .data(chunk(
                                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}",
                                null))
                        .data(chunk(
                                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}",
                                null))
                        .data(chunk(
                                "{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
                                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}",
                                null))
                        .data(chunk("{}", "tool_calls"))
                        .data("[DONE]"))
                .then(ex -> ex.reply(200, "application/json", wholeBody));

        ChatResponse streamed = stream(request).get(10, TimeUnit.SECONDS);
        ChatResponse whole =
                transport.sendChat(server.chatUri(), Map.of(), request, b -> {}).get(10, TimeUnit.SECONDS);

        assertThat(streamed.toolCalls())
                .containsExactly(
                        ToolCall.function("call_1", "get_weather", "{\"city\":\"Oslo\"}"),
                        ToolCall.function("call_2", "get_time", "{}"));
        assertThat(streamed.choices()).isEqualTo(whole.choices());
        assertThat(chunks.get(1).toolCalls()).containsExactly(new ToolCallDelta(0, "", "", "{\"city\":"));
    }

    @Test
    void logprobsTokenIdsAndReasoningAssembleAsInTheNonStreamedReply() throws Exception {
        String wholeBody = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m-1\","
                + "\"prompt_token_ids\":[1,2,3],\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Yes!\",\"reasoning_content\":\"think\"},\"finish_reason\":\"stop\","
                + "\"logprobs\":{\"content\":[" + logprob("Yes", -0.1) + "," + logprob("!", -0.2) + "]},"
                + "\"token_ids\":[7,8]}]}";
        String first = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\","
                + "\"prompt_token_ids\":[1,2,3],\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"think\"},\"finish_reason\":null}]}";
        server.then(ex -> ex.streamHead()
                        .data(first)
                        .data(tokenChunk("Yes", -0.1, 7, null))
                        .data(tokenChunk("!", -0.2, 8, "stop"))
                        .data("[DONE]"))
                .then(ex -> ex.reply(200, "application/json", wholeBody));

        ChatResponse streamed = stream(request).get(10, TimeUnit.SECONDS);
        ChatResponse whole =
                transport.sendChat(server.chatUri(), Map.of(), request, b -> {}).get(10, TimeUnit.SECONDS);

        assertThat(streamed.choices()).isEqualTo(whole.choices());
        assertThat(streamed.promptTokenIds()).isEqualTo(whole.promptTokenIds());
        assertThat(streamed.choices().get(0).tokenIds())
                .isEqualTo(whole.choices().get(0).tokenIds());
        assertThat(streamed.choices().get(0).logprobs().orElseThrow().content()).hasSize(2);
        assertThat(streamed.reasoning()).contains("think");
        assertThat(chunks.get(0).reasoning()).isEqualTo("think");
    }

    private static String logprob(String token, double logprob) {
        return "{\"token\":\"" + token + "\",\"logprob\":" + logprob + ",\"bytes\":null,\"top_logprobs\":[]}";
    }

    private static String tokenChunk(String token, double logprob, int id, String finishReason) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{"
                + "\"index\":0,\"delta\":{\"content\":\"" + token + "\"},\"logprobs\":{\"content\":["
                + logprob(token, logprob) + "]},\"token_ids\":[" + id + "],\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    @Test
    void eventsSplitAcrossWritesAndInsideUtf8CharactersArriveWhole() throws Exception {
        server.then(ex -> ex.streamHead()
                .writeByteByByte("data: " + content("héllo 日本 🎉") + "\r\n\r\n")
                .writeByteByByte("data: " + chunk("{}", "stop") + "\r\n\r\ndata: [DONE]\r\n\r\n"));

        assertThat(stream(request).get(10, TimeUnit.SECONDS).content()).isEqualTo("héllo 日本 🎉");
        assertThat(chunks.get(0).content()).isEqualTo("héllo 日本 🎉");
    }

    @Test
    void keepAliveCommentsAreSkippedAndAreNoChunks() throws Exception {
        server.then(ex -> ex.streamHead()
                .write(": OPENROUTER PROCESSING\n\n")
                .data(content("a"))
                .write(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n")
                .data(chunk("{}", "stop"))
                .data("[DONE]"));

        assertThat(stream(request).get(10, TimeUnit.SECONDS).content()).isEqualTo("a");
        assertThat(chunks).hasSize(2);
    }

    @Test
    void aStreamCutWithoutDoneAndWithoutFinishReasonFailsAsConnectionWithThePartialText() {
        server.then(ex -> ex.streamHead().data(content("Par")).data(content("tial")));

        LlmException e = failure(stream(request));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.partialContent()).contains("Partial");
        assertThat(e.getMessage()).contains("without [DONE]").contains("2 event(s)");
        assertThat(chunks).hasSize(2);
    }

    @Test
    void aStreamEndingAfterItsFinishReasonWithoutDoneIsComplete() throws Exception {
        server.then(ex -> ex.streamHead().data(content("ok")).data(chunk("{}", "stop")));

        assertThat(stream(request).get(10, TimeUnit.SECONDS).content()).isEqualTo("ok");
    }

    @Test
    void anErrorEventMidStreamIsClassifiedAsWithoutStreamingAndKeepsThePartialText() {
        server.then(
                ex -> ex.streamHead()
                        .data(content("Half"))
                        .data(
                                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"None\",\"param\":\"None\",\"code\":\"429\"}}"));

        LlmException e = failure(stream(request));
        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.partialContent()).contains("Half");
        assertThat(e.getMessage()).contains("Rate limit reached");
    }

    @Test
    void anHttpErrorBeforeTheStreamIsMappedAsWithoutStreaming() {
        server.then(ex -> ex.reply(
                429,
                "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\",\"code\":429}}"));

        LlmException e = failure(stream(request));
        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.httpStatus()).hasValue(429);
        assertThat(e.partialContent()).isEmpty();
    }

    @Test
    void aServerThatIgnoresStreamTrueAndAnswersJsonIsReadAsOneChunk() throws Exception {
        server.then(ex -> ex.reply(200, "application/json", WHOLE));

        assertThat(stream(request).get(10, TimeUnit.SECONDS).content()).isEqualTo("Hello");
        assertThat(chunks).singleElement().extracting(ChatChunk::content).isEqualTo("Hello");
    }

    @Test
    void theBodyAsksForAStreamWithUsageAndPassesOpenAisSchema() throws Exception {
        server.then(ex ->
                ex.streamHead().data(content("x")).data(chunk("{}", "stop")).data("[DONE]"));

        stream(ChatRequest.builder()
                        .model("m-1")
                        .system("be brief")
                        .user("hi")
                        .temperature(0.0)
                        .maxCompletionTokens(20)
                        .build())
                .get(10, TimeUnit.SECONDS);

        JsonNode body = new ObjectMapper().readTree(server.requestBodies().get(0));
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(OpenAiRequestSchema.violations(body)).isEmpty();
    }

    @Test
    void extraBodyStreamTrueOnAnOrdinaryCallIsReadAsAStreamNotRetriedAsInvalid() throws Exception {
        server.then(ex -> ex.streamHead()
                .data(content("Hel"))
                .data(content("lo"))
                .data(chunk("{}", "stop"))
                .data("[DONE]"));

        ChatResponse reply = transport
                .sendChat(
                        server.chatUri(),
                        Map.of(),
                        ChatRequest.builder()
                                .model("m-1")
                                .user("hi")
                                .extraBody("stream", true)
                                .build(),
                        b -> {})
                .get(10, TimeUnit.SECONDS);

        assertThat(reply.content()).isEqualTo("Hello");
        assertThat(server.requestBodies()).hasSize(1);
        assertThat(new ObjectMapper()
                        .readTree(server.requestBodies().get(0))
                        .at("/stream_options/include_usage")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void cancellingTheStreamClosesTheConnectionOnTheServer() throws Exception {
        CountDownLatch firstChunk = new CountDownLatch(1);
        CompletableFuture<Boolean> serverSawClose = new CompletableFuture<>();
        server.then(ex -> {
            ex.streamHead().data(content("a"));
            serverSawClose.complete(ex.clientClosedWithin(10_000));
        });

        CompletableFuture<ChatResponse> call = transport.streamChat(server.chatUri(), Map.of(), request, b -> {}, c -> {
            firstChunk.countDown();
        });
        assertThat(firstChunk.await(10, TimeUnit.SECONDS)).isTrue();
        call.cancel(true);

        assertThat(serverSawClose.get(15, TimeUnit.SECONDS)).isTrue();
        assertThat(call).isCancelled();
    }

    @Test
    void aHandlerThatThrowsEndsTheStreamAsCancelledAndClosesTheConnection() throws Exception {
        CompletableFuture<Boolean> serverSawClose = new CompletableFuture<>();
        AtomicBoolean secondCall = new AtomicBoolean();
        server.then(ex -> {
            ex.streamHead().data(content("a"));
            serverSawClose.complete(ex.clientClosedWithin(10_000));
        });

        CompletableFuture<ChatResponse> call = transport.streamChat(server.chatUri(), Map.of(), request, b -> {}, c -> {
            if (!secondCall.getAndSet(true)) {
                throw new IllegalStateException("consumer broke");
            }
        });

        LlmException e = failure(call);
        assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getCause()).hasMessage("consumer broke");
        assertThat(serverSawClose.get(15, TimeUnit.SECONDS)).isTrue();
    }

    private CompletableFuture<ChatResponse> stream(ChatRequest r) {
        return transport.streamChat(server.chatUri(), Map.of(), r, b -> {}, chunks::add);
    }

    private static LlmException failure(CompletableFuture<ChatResponse> call) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(LlmException.class);
        return (LlmException) e.getCause();
    }

    private static SseServer newServer() {
        try {
            return new SseServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
