package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file schema version 4 wrote opens, migrates to version 5, keeps its rows (their stream
 * columns read as "not streamed"), and records streamed calls' time to first token, chunk count
 * and clean end from then on.
 */
class Version4MigrationTest {

    @TempDir
    Path dir;

    @Test
    void aVersion4FileKeepsItsRowsAndGainsTheStreamColumns() throws Exception {
        Path db = dir.resolve("v4.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            TraceSchema.migrate(c, db, 4); // the steps that release ran, and nothing after them
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO traces (id, trace_id, started_at_ms, model_requested, status, attempts,"
                        + " latency_ms, request_json, prompt_token_ids, refusal) VALUES (1, 'v4-row', 1764000000000,"
                        + " 'm', 'ok', 1, 12.0, '{}', '[1,2,3]', 'no')");
            }
        }
        assertThat(Version3MigrationTest.userVersion(db)).isEqualTo(4);

        try (SqliteTraceStore store = SqliteTraceStore.open(db)) {
            TraceRecord old = store.find(TraceQuery.builder().build()).get(0);
            assertThat(old.traceId()).isEqualTo("v4-row");
            assertThat(old.promptTokenIds()).isEqualTo(TokenIds.of(1, 2, 3));
            assertThat(old.refusal()).isEqualTo("no");
            assertThat(old.stream()).isNull();

            store.enqueue(streamed(new StreamStats(Duration.ofMillis(250), 42, true), null));
            store.enqueue(streamed(new StreamStats(null, 0, false), stall()));
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all).hasSize(3);
            TraceRecord clean = all.get(0); // newest first: it started 42 ms after the stalled one
            TraceRecord stalled = all.get(1);
            assertThat(clean.stream()).isEqualTo(new StreamStats(Duration.ofMillis(250), 42, true));
            assertThat(stalled.stream()).isEqualTo(new StreamStats(null, 0, false));
            assertThat(stalled.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
        }
        assertThat(Version3MigrationTest.userVersion(db)).isEqualTo(5);
        assertThat(Version3MigrationTest.columns(db))
                .hasSize(38)
                .endsWith(Stream.concat(
                                Version3MigrationTest.V4_COLUMNS.stream(), Version3MigrationTest.V5_COLUMNS.stream())
                        .toArray(String[]::new));
    }

    private static LlmException stall() {
        return LlmException.builder(ErrorCategory.TIMEOUT, "stalled").build();
    }

    private static CallTrace streamed(StreamStats stats, LlmException failure) {
        ChatResponse reply = failure != null
                ? null
                : ChatResponse.builder()
                        .model("m")
                        .content("streamed answer")
                        .backend("fake")
                        .build();
        return new CallTrace(
                Traces.request("m", "q"),
                null,
                Instant.ofEpochMilli(1_764_000_001_000L + stats.chunks()),
                Duration.ofSeconds(1),
                "fake",
                reply,
                failure,
                stats);
    }
}
