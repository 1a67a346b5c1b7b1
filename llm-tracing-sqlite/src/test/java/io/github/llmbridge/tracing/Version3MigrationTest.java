package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file the released schema version 3 wrote (the fixture described at
 * {@link Traces#copyOfVersion3Fixture}) opens, migrates to the current version (through 4), keeps every row as it was,
 * and gains the token and tool-call columns; stores migrating one such file at once all succeed.
 */
class Version3MigrationTest {

    /** The columns of version 3, in table order. */
    private static final List<String> V3_COLUMNS = List.of(
            "id",
            "trace_id",
            "started_at_ms",
            "session_name",
            "session_uid",
            "session_uids",
            "metadata",
            "tags",
            "backend",
            "model_requested",
            "model_used",
            "status",
            "error_category",
            "error_message",
            "http_status",
            "attempts",
            "attempt_history",
            "latency_ms",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "cached_tokens",
            "reasoning_tokens",
            "cost",
            "response_id",
            "litellm_call_id",
            "generation_id",
            "finish_reason",
            "request_json",
            "response_json");

    /** The columns version 4 adds, after them. */
    static final List<String> V4_COLUMNS =
            List.of("prompt_token_ids", "completion_token_ids", "completion_logprobs", "tool_calls", "refusal");

    /** The columns version 5 adds, after those. */
    static final List<String> V5_COLUMNS = List.of("stream_first_token_ms", "stream_chunks", "stream_clean_end");

    private static final String OUTER_UID = "85b3b29b-29a2-41d8-b1d2-8c996178f684";
    private static final String INNER_UID = "bce25205-4756-4003-b784-b22d788b94d4";

    @TempDir
    Path dir;

    @Test
    void theFixtureIsAVersion3FileWithThreeRows() throws Exception {
        Path db = Traces.copyOfVersion3Fixture(dir, "v3.db");
        assertThat(userVersion(db)).isEqualTo(3);
        assertThat(columns(db)).isEqualTo(V3_COLUMNS);
        assertThat(Traces.countRows(db)).isEqualTo(3);
    }

    @Test
    void aVersion3FileKeepsEveryRowAndGainsTheVersion4Columns() throws Exception {
        Path db = Traces.copyOfVersion3Fixture(dir, "v3.db");

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all)
                    .extracting(TraceRecord::traceId)
                    .containsExactly(
                            "f20bcb5d-c10e-41cf-9ff1-313c6c3a237a", // newest first
                            "7023ecdc-4d98-4e55-9e1f-782f3c0bf84f",
                            "7bfcb21b-28ef-41ca-93de-3773d922ec38");
            TraceRecord judged = all.get(1);
            assertThat(judged.startedAt()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));
            assertThat(judged.sessionName()).isEqualTo("v3-rollout");
            assertThat(judged.sessionUids()).containsExactly(OUTER_UID, INNER_UID);
            assertThat(judged.metadata()).isEqualTo(Map.of("epoch", 1, "rollout", 7, "rubric", "math"));
            assertThat(judged.tags()).containsExactly("judge");
            assertThat(judged.modelUsed()).isEqualTo("openai/gpt-4o-mini-2024");
            assertThat(judged.status()).isEqualTo(TraceStatus.OK);
            assertThat(judged.latency()).isEqualTo(Duration.ofMillis(120));
            assertThat(judged.usage()).isEqualTo(new Usage(10, 5, 15, 2, 1));
            assertThat(judged.cost()).isEqualTo(0.25);
            assertThat(judged.finishReason()).isEqualTo("stop");
            assertThat(judged.requestJson())
                    .isEqualTo("{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
                            + "\"grade\"},{\"role\":\"user\",\"content\":\"2+2?\"}],\"temperature\":0.0}");
            assertThat(judged.responseJson())
                    .isEqualTo("{\"id\":\"chatcmpl-1\",\"model\":\"openai/gpt-4o-mini-2024\",\"choices\":[{"
                            + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":"
                            + "\"echo: 2+2?\"}}]}");
            // columns the old row never had read as unknown
            assertThat(judged.promptTokenIds()).isNull();
            assertThat(judged.completionTokenIds()).isEmpty();
            assertThat(judged.completionLogprobs()).isEmpty();
            assertThat(judged.toolCalls()).isEmpty();
            assertThat(judged.refusal()).isNull();

            TraceRecord failed = all.get(0);
            assertThat(failed.status()).isEqualTo(TraceStatus.FAILED);
            assertThat(failed.errorCategory()).isEqualTo(ErrorCategory.RATE_LIMITED);
            assertThat(failed.httpStatus()).isEqualTo(429);
            assertThat(store.findBySessionUid(OUTER_UID))
                    .extracting(TraceRecord::traceId)
                    .containsExactly(judged.traceId());
            assertThat(store.summary("v3-rollout").calls()).isEqualTo(1);

            store.enqueue(withTokenIds());
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            TraceRecord added =
                    store.find(TraceQuery.builder().model("vllm-model").build()).get(0);
            assertThat(added.promptTokenIds()).isEqualTo(TokenIds.of(1, 2, 3));
            assertThat(added.completionTokenIds()).containsExactly(TokenIds.of(7, 8));
        }
        assertThat(userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION);
        assertThat(columns(db))
                .isEqualTo(Stream.of(V3_COLUMNS, V4_COLUMNS, V5_COLUMNS)
                        .flatMap(List::stream)
                        .toList());
        assertThat(Traces.countRows(db)).isEqualTo(4);
    }

    @Test
    void storesMigratingOneVersion3FileAtOnceAllSucceedAndTheStepRunsOnce() throws Exception {
        int openers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        List<String> failures = new ArrayList<>();
        try {
            for (int round = 0; round < 10; round++) {
                Path db = Traces.copyOfVersion3Fixture(dir, "v3-" + round + ".db");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<SqliteTraceStore>> opens = new ArrayList<>();
                for (int i = 0; i < openers; i++) {
                    opens.add(pool.submit(() -> {
                        start.await();
                        return SqliteTraceStore.open(db);
                    }));
                }
                start.countDown();
                int opened = 0;
                for (Future<SqliteTraceStore> f : opens) {
                    try (SqliteTraceStore store = f.get(30, TimeUnit.SECONDS)) {
                        store.enqueue(Traces.ok(round));
                        opened++;
                    } catch (ExecutionException e) {
                        failures.add(e.getCause().toString());
                    }
                }
                assertThat(userVersion(db)).isEqualTo(TraceSchema.CURRENT_VERSION);
                // a second run of the step would fail its opener with "duplicate column name"
                assertThat(columns(db)).hasSize(V3_COLUMNS.size() + V4_COLUMNS.size() + V5_COLUMNS.size());
                assertThat(Traces.countRows(db)).isEqualTo(3 + opened);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
    }

    private static CallTrace withTokenIds() {
        ChatResponse reply = ChatResponse.builder()
                .model("vllm-model")
                .choices(List.of(new Choice(0, ChatMessage.assistant("7"), FinishReason.STOP, null, TokenIds.of(7, 8))))
                .promptTokenIds(TokenIds.of(1, 2, 3))
                .backend("fake")
                .build();
        return new CallTrace(
                Traces.request("vllm-model", "score"),
                null,
                Instant.ofEpochMilli(1_764_000_002_000L),
                Duration.ofMillis(5),
                "fake",
                reply,
                null);
    }

    static int userVersion(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            return TraceSchema.version(s);
        }
    }

    static List<String> columns(Path db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name FROM pragma_table_info('traces') ORDER BY cid")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }
}
