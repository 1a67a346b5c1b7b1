package io.github.llmbridge.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolChoice;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ReplyDetailsJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool definitions, tool calls, token ids, log probabilities and refusals in a trace: stored as
 * they went over the wire and came back (the stored reply reads back into the same choices), and
 * queryable with plain SQL through JDBC, as a {@code sqlite3} user would.
 */
class TracedToolsAndTokensTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String KEY = "sk-tools-test-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void toolDefinitionsAndToolCallsAreStoredAsSentAndReceived() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-tools", "object": "chat.completion", "model": "gpt-4o-2024-08-06",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": null,
                  "message": {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                   {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Lima\\"}"}},
                   {"id": "call_3", "type": "function", "function": {"name": "get_time", "arguments": "{\\"city\\": \\"Lima\\"}"}}]}}],
                 "usage": {"prompt_tokens": 90, "completion_tokens": 40, "total_tokens": 130}}""")));
        Tool weather = Tool.function("get_weather", "Current weather in a city", Json.MAPPER.readTree("""
                                {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                                 "additionalProperties": false}"""))
                .withStrict(true);
        Tool time = Tool.function(
                "get_time",
                "Local time in a city",
                Json.MAPPER.readTree("{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}"));
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o")
                .system("Use the tools.")
                .user("Weather in Paris, then weather and time in Lima?")
                .message(ChatMessage.assistant(
                        List.of(ToolCall.function("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
                .message(ChatMessage.toolResult("call_1", "18 C, cloudy"))
                .tools(weather, time)
                .toolChoice(ToolChoice.auto())
                .parallelToolCalls(true)
                .build();

        Traced traced = traceOne(request);

        TraceRecord t = traced.record();
        assertThat(Json.MAPPER.readTree(t.requestJson())).isEqualTo(WireBackend.onlyBody(wm));
        assertThat(Json.MAPPER.readTree(t.responseJson()))
                .isEqualTo(traced.reply().raw());
        assertThat(WireBackend.choicesOf(t.responseJson()))
                .isEqualTo(traced.reply().choices());
        assertThat(t.finishReason()).isEqualTo("tool_calls");
        assertThat(t.toolCalls())
                .isEqualTo(traced.reply().toolCalls())
                .containsExactly(
                        ToolCall.function("call_2", "get_weather", "{\"city\": \"Lima\"}"),
                        ToolCall.function("call_3", "get_time", "{\"city\": \"Lima\"}"));
        assertThat(t.refusal()).isNull();

        assertThat(sql("SELECT tool_calls FROM traces"))
                .containsExactly(
                        "[{\"id\":\"call_2\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Lima\\\"}\"},"
                                + "{\"id\":\"call_3\",\"name\":\"get_time\",\"arguments\":\"{\\\"city\\\": \\\"Lima\\\"}\"}]");
        assertThat(sql("SELECT json_extract(c.value, '$.name') || ' ' || json_extract(c.value, '$.arguments')"
                        + " FROM traces t, json_each(t.tool_calls) c ORDER BY c.key"))
                .containsExactly("get_weather {\"city\": \"Lima\"}", "get_time {\"city\": \"Lima\"}");
        assertThat(sql("SELECT json_extract(request_json, '$.tools[0].function.name') || ' '"
                        + " || json_extract(request_json, '$.tools[0].function.strict') || ' '"
                        + " || json_extract(request_json, '$.tool_choice') || ' '"
                        + " || json_extract(request_json, '$.messages[2].tool_calls[0].id') || ' '"
                        + " || json_extract(request_json, '$.messages[3].tool_call_id') FROM traces"))
                .containsExactly("get_weather 1 auto call_1 call_1");
    }

    @Test
    void tokenIdsAndLogprobsOfEveryChoiceAreQueryableWithPlainSql() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-vllm-1", "object": "chat.completion", "model": "Qwen/Qwen3-8B",
                 "prompt_token_ids": [151644, 872, 198, 3838, 374, 220, 17, 10, 17, 30, 151645],
                 "choices": [
                  {"index": 0, "message": {"role": "assistant", "content": "4", "reasoning_content": null, "tool_calls": []},
                   "logprobs": {"content": [
                    {"token": "4", "logprob": -0.0123, "bytes": [52], "top_logprobs": [
                      {"token": "4", "logprob": -0.0123, "bytes": [52]}, {"token": "5", "logprob": -4.5, "bytes": [53]}]},
                    {"token": "<|im_end|>", "logprob": -0.5, "bytes": [60, 124], "top_logprobs": []}]},
                   "finish_reason": "stop", "stop_reason": null, "token_ids": [19, 151645]},
                  {"index": 1, "message": {"role": "assistant", "content": "5", "reasoning_content": null, "tool_calls": []},
                   "logprobs": {"content": [
                    {"token": "5", "logprob": -1.25, "bytes": [53], "top_logprobs": []},
                    {"token": "<|im_end|>", "logprob": -0.25, "bytes": [60, 124], "top_logprobs": []}]},
                   "finish_reason": "stop", "stop_reason": null, "token_ids": [20, 151645]}],
                 "usage": {"prompt_tokens": 11, "completion_tokens": 4, "total_tokens": 15}}""")));
        ChatRequest request = ChatRequest.builder()
                .model("Qwen/Qwen3-8B")
                .user("What is 2+2?")
                .n(2)
                .logprobs(true)
                .topLogprobs(2)
                .returnTokenIds(true)
                .build();

        Traced traced = traceOne(request);

        TraceRecord t = traced.record();
        assertThat(t.promptTokenIds())
                .isEqualTo(traced.reply().promptTokenIds().orElseThrow())
                .isEqualTo(TokenIds.of(151644, 872, 198, 3838, 374, 220, 17, 10, 17, 30, 151645));
        assertThat(t.completionTokenIds()).containsExactly(TokenIds.of(19, 151645), TokenIds.of(20, 151645));
        assertThat(t.completionLogprobs())
                .containsExactly(LogprobSequence.of(-0.0123, -0.5), LogprobSequence.of(-1.25, -0.25));
        assertThat(t.completionLogprobs().get(1).sum()).isEqualTo(-1.5);
        assertThat(WireBackend.choicesOf(t.responseJson()))
                .isEqualTo(traced.reply().choices());
        assertThat(ReplyDetailsJson.tokenIds(Json.MAPPER.readTree(t.responseJson()), "prompt_token_ids"))
                .isEqualTo(t.promptTokenIds());

        assertThat(sql("SELECT json_array_length(prompt_token_ids) || ' ' || json_array_length(completion_token_ids)"
                        + " || ' ' || json_extract(completion_token_ids, '$[1][0]') || ' '"
                        + " || json_array_length(completion_logprobs, '$[0]') FROM traces"))
                .containsExactly("11 2 20 2");
        // the sequence log-likelihood of each choice, as an importance-sampling correction needs it
        List<String> sums = sql("SELECT (SELECT sum(l.value) FROM json_each(c.value) l)"
                + " FROM traces t, json_each(t.completion_logprobs) c ORDER BY c.key");
        assertThat(sums).hasSize(2);
        assertThat(Double.parseDouble(sums.get(0))).isCloseTo(-0.5123, within(1e-12));
        assertThat(Double.parseDouble(sums.get(1))).isCloseTo(-1.5, within(1e-12));
        // token ids and log probabilities line up position by position
        assertThat(sql("SELECT i.value || ':' || l.value FROM traces t, json_each(t.completion_token_ids, '$[1]') i"
                        + " JOIN json_each(t.completion_logprobs, '$[1]') l ON l.key = i.key ORDER BY i.key"))
                .containsExactly("20:-1.25", "151645:-0.25");
    }

    @Test
    void aRefusalIsStoredInItsOwnColumn() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-r", "object": "chat.completion", "model": "gpt-4o-2024-08-06",
                 "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                  "message": {"role": "assistant", "content": null, "refusal": "I'm sorry, I can't help with that."}}]}""")));

        Traced traced = traceOne(
                ChatRequest.builder().model("gpt-4o").user("Grade this essay.").build());

        TraceRecord t = traced.record();
        assertThat(t.refusal()).isEqualTo("I'm sorry, I can't help with that.");
        assertThat(t.finishReason()).isEqualTo("stop");
        assertThat(t.toolCalls()).isEmpty();
        assertThat(t.completionLogprobs()).isEmpty();
        assertThat(WireBackend.choicesOf(t.responseJson()))
                .isEqualTo(traced.reply().choices());
        assertThat(sql("SELECT count(*) || ' ' || refusal || ' ' || (tool_calls IS NULL)"
                        + " || (completion_logprobs IS NULL) || (prompt_token_ids IS NULL) FROM traces"
                        + " WHERE refusal IS NOT NULL"))
                .containsExactly("1 I'm sorry, I can't help with that. 111");
    }

    @Test
    void aKeyInToolArgumentsOrARefusalNeverReachesTheDatabaseFiles() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("""
                {"id": "chatcmpl-leak", "model": "gpt-4o", "choices": [{"index": 0, "finish_reason": "tool_calls",
                  "message": {"role": "assistant", "content": null, "refusal": "I won't use %1$s",
                   "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "login", "arguments": "{\\"key\\": \\"%1$s\\"}"}}]}}]}""".formatted(KEY))));

        Traced traced = traceOne(ChatRequest.builder()
                .model("gpt-4o")
                .user("Log in with " + KEY)
                .tools(Tool.function("login", "Logs in"))
                .build());

        assertThat(traced.reply().toolCalls().get(0).arguments()).contains(KEY); // the caller gets the reply as sent
        TraceRecord t = traced.record();
        assertThat(t.toolCalls()).containsExactly(ToolCall.function("call_1", "login", "{\"key\": \"[REDACTED]\"}"));
        assertThat(t.refusal()).isEqualTo("I won't use [REDACTED]");
        StringBuilder bytes = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(bytes.toString()).contains("[REDACTED]").doesNotContain(KEY);
    }

    private record Traced(ChatResponse reply, TraceRecord record) {}

    private Traced traceOne(ChatRequest request) {
        try (SqliteTraceStore store = SqliteTraceStore.builder(dir.resolve("t.db"))
                        .redact(List.of(KEY))
                        .open();
                TracingChatClient client = TracingChatClient.wrap(new WireBackend(wm, KEY), store)) {
            ChatResponse reply = client.chat(request);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all).hasSize(1);
            return new Traced(reply, all.get(0));
        }
    }

    /** Runs a query on its own connection, as a {@code sqlite3} user would; one string per row, columns joined by spaces. */
    private List<String> sql(String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(r.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
