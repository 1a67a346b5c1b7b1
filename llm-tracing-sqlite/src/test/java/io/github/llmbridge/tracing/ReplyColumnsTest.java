package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version-4 columns from typed replies (a test double's, with no raw JSON), choices that lack
 * what others have, failures, and rows a user edited into something the reader cannot use.
 */
class ReplyColumnsTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aScriptedReplyFillsTheColumnsFromItsTypedValues() throws Exception {
        List<ToolCall> calls = List.of(ToolCall.function("call_1", "lookup", "{\"q\":\"tides\"}"));
        ChatResponse scripted = ChatResponse.builder()
                .model("m")
                .choices(List.of(new Choice(0, ChatMessage.assistant(calls), FinishReason.TOOL_CALLS)))
                .build();
        Path db = dir.resolve("t.db");

        try (SqliteTraceStore store = SqliteTraceStore.open(db);
                TracingChatClient client = TracingChatClient.wrap(new ScriptedChatClient().reply(scripted), store)) {
            client.chat(
                    ChatRequest.builder().model("m").user("when is high tide?").build());
            assertThat(store.flush(FLUSH)).isTrue();
            TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
            assertThat(t.responseJson()).isNull(); // a double has no raw body
            assertThat(t.toolCalls()).isEqualTo(calls);
            assertThat(t.finishReason()).isEqualTo("tool_calls");
        }
        assertThat(column(db, "tool_calls"))
                .isEqualTo("[{\"id\":\"call_1\",\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"tides\\\"}\"}]");
    }

    @Test
    void aChoiceWithoutTokenIdsOrLogprobsIsNullInItsColumnAndEmptyInTheRecord() throws Exception {
        Logprobs logprobs = new Logprobs(List.of(new TokenLogprob("b", -0.75, List.of(98), List.of())), List.of());
        ChatResponse reply = ChatResponse.builder()
                .model("m")
                .choices(List.of(
                        new Choice(0, ChatMessage.assistant("a"), FinishReason.STOP),
                        new Choice(1, ChatMessage.assistant("b"), FinishReason.STOP, logprobs, TokenIds.of(98))))
                .build();
        Path db = dir.resolve("t.db");

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            store.enqueue(trace(reply));
            store.enqueue(Traces.failed(
                    "m",
                    java.time.Instant.now(),
                    Duration.ofMillis(1),
                    io.github.llmbridge.core.LlmException.builder(ErrorCategory.TIMEOUT, "too slow")
                            .build(),
                    null));
            assertThat(store.flush(FLUSH)).isTrue();
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            TraceRecord ok = all.stream()
                    .filter(r -> r.errorCategory() == null)
                    .findFirst()
                    .orElseThrow();
            assertThat(ok.promptTokenIds()).isNull();
            assertThat(ok.completionTokenIds()).containsExactly(TokenIds.of(), TokenIds.of(98));
            assertThat(ok.completionLogprobs()).containsExactly(LogprobSequence.of(), LogprobSequence.of(-0.75));
            TraceRecord failed = all.stream()
                    .filter(r -> r.errorCategory() != null)
                    .findFirst()
                    .orElseThrow();
            assertThat(failed.completionTokenIds()).isEmpty();
            assertThat(failed.completionLogprobs()).isEmpty();
            assertThat(failed.toolCalls()).isEmpty();
            assertThat(failed.refusal()).isNull();
        }
        assertThat(column(db, "completion_token_ids")).isEqualTo("[null,[98]]");
        assertThat(column(db, "completion_logprobs")).isEqualTo("[null,[-0.75]]");
    }

    @Test
    void aColumnEditedIntoSomethingElseIsReportedNamingTheTrace() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            store.enqueue(Traces.ok(1));
            assertThat(store.flush(FLUSH)).isTrue();
        }
        String traceId;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("UPDATE traces SET completion_token_ids = '[[1, 2.5]]'");
            try (ResultSet r = s.executeQuery("SELECT trace_id FROM traces")) {
                r.next();
                traceId = r.getString(1);
            }
        }

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            assertThatThrownBy(() -> store.find(TraceQuery.builder().build()))
                    .isInstanceOf(TraceStoreException.class)
                    .hasMessage("trace database " + db.toAbsolutePath() + " has a row this library cannot read (trace "
                            + traceId + "): completion_token_ids holds a value that is not a token id: 2.5");
        }
    }

    private static CallTrace trace(ChatResponse reply) {
        return new CallTrace(
                Traces.request("m", "q"), null, java.time.Instant.now(), Duration.ofMillis(1), "fake", reply, null);
    }

    private static String column(Path db, String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + name + " FROM traces WHERE " + name + " IS NOT NULL")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
