package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filters a command-line user reaches for (a session uid, a failure category, a few characters
 * of a trace id) and following a store by write position, each combined with the older filters.
 */
class TraceQueryFiltersTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sessionUidFindsTheSessionAndItsNestedSessionsAndCombinesWithOtherFilters() {
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
            String stepUid;
            try (LlmSession step = LlmSession.open("step-1")) {
                stepUid = step.uid();
                store.enqueue(Traces.ok("a/m", T0, Duration.ofMillis(1), step));
                try (LlmSession rollout = LlmSession.open("rollout-1")) {
                    store.enqueue(Traces.ok("b/m", T0.plusSeconds(1), Duration.ofMillis(1), rollout));
                }
            }
            try (LlmSession other = LlmSession.open("step-2")) {
                store.enqueue(Traces.ok("a/m", T0.plusSeconds(2), Duration.ofMillis(1), other));
            }
            assertThat(store.flush(FLUSH)).isTrue();

            assertThat(seconds(
                            store.find(TraceQuery.builder().sessionUid(stepUid).build())))
                    .containsExactly(1, 0);
            assertThat(seconds(store.find(TraceQuery.builder()
                            .sessionUid(stepUid)
                            .model("b/m")
                            .build())))
                    .containsExactly(1);
            assertThat(store.find(TraceQuery.builder().sessionUid("no-such-uid").build()))
                    .isEmpty();
        }
    }

    @Test
    void errorCategoryMatchesOnlyFailuresOfThatCategory() {
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
            store.enqueue(Traces.failed(
                    "m", T0, Duration.ofMillis(1), new LlmException(ErrorCategory.RATE_LIMITED, "slow down"), null));
            store.enqueue(Traces.failed(
                    "m",
                    T0.plusSeconds(1),
                    Duration.ofMillis(1),
                    new LlmException(ErrorCategory.TIMEOUT, "late"),
                    null));
            store.enqueue(Traces.ok("m", T0.plusSeconds(2), Duration.ofMillis(1), null));
            assertThat(store.flush(FLUSH)).isTrue();

            List<TraceRecord> limited = store.find(TraceQuery.builder()
                    .errorCategory(ErrorCategory.RATE_LIMITED)
                    .build());
            assertThat(limited).extracting(TraceRecord::errorMessage).containsExactly("slow down");
            assertThat(store.find(TraceQuery.builder()
                            .errorCategory(ErrorCategory.TIMEOUT)
                            .status(TraceStatus.FAILED)
                            .build()))
                    .extracting(TraceRecord::errorMessage)
                    .containsExactly("late");
        }
    }

    @Test
    void traceIdPrefixFindsATraceByTheFirstCharactersOfItsIdWithoutWildcards() {
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
            for (int i = 0; i < 5; i++) {
                store.enqueue(Traces.ok(i));
            }
            assertThat(store.flush(FLUSH)).isTrue();
            TraceRecord target = store.find(TraceQuery.builder().build()).get(2);

            assertThat(store.find(
                            TraceQuery.builder().traceIdPrefix(target.traceId()).build()))
                    .extracting(TraceRecord::traceId)
                    .containsExactly(target.traceId());
            assertThat(store.find(TraceQuery.builder()
                            .traceIdPrefix(target.traceId().substring(0, 13))
                            .build()))
                    .extracting(TraceRecord::traceId)
                    .contains(target.traceId());
            // LIKE would read these as wildcards and match every trace
            assertThat(store.find(TraceQuery.builder().traceIdPrefix("%").build()))
                    .isEmpty();
            assertThat(store.find(TraceQuery.builder().traceIdPrefix("_").build()))
                    .isEmpty();
        }
    }

    @Test
    void writtenAfterReadsWhatWasCommittedSinceAPositionInCommitOrderNotStartOrder() {
        try (SqliteTraceStore store = SqliteTraceStore.open(dir.resolve("t.db"))) {
            assertThat(store.lastPosition()).isZero();
            store.enqueue(Traces.ok("m", T0.plusSeconds(10), Duration.ofMillis(1), null));
            store.enqueue(Traces.ok("m", T0.plusSeconds(11), Duration.ofMillis(1), null));
            assertThat(store.flush(FLUSH)).isTrue();
            long seen = store.lastPosition();
            assertThat(seen).isEqualTo(2);

            // a long call that started before the ones already seen finishes, and is written, after them
            store.enqueue(Traces.ok("m", T0, Duration.ofSeconds(30), null));
            store.enqueue(Traces.ok("m", T0.plusSeconds(12), Duration.ofMillis(1), null));
            store.enqueue(Traces.ok("m", T0.plusSeconds(13), Duration.ofMillis(1), null));
            assertThat(store.flush(FLUSH)).isTrue();
            long now = store.lastPosition();

            assertThat(seconds(store.find(TraceQuery.builder()
                            .writtenAfter(seen)
                            .writtenUpTo(now)
                            .build())))
                    .containsExactly(13, 12, 0);
            assertThat(seconds(store.find(TraceQuery.builder()
                            .writtenAfter(seen)
                            .writtenUpTo(seen + 1)
                            .build())))
                    .as("a page of one position: the next trace committed")
                    .containsExactly(0);
            assertThat(store.find(TraceQuery.builder().writtenAfter(now).build()))
                    .isEmpty();
        }
    }

    @Test
    void lastPositionSeesTracesAnotherStoreCommittedToTheSameFile() {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore reader = SqliteTraceStore.open(db)) {
            try (SqliteTraceStore writer = SqliteTraceStore.open(db)) {
                writer.enqueue(Traces.ok(1));
                writer.enqueue(Traces.ok(2));
                assertThat(writer.flush(FLUSH)).isTrue();
            }
            assertThat(reader.lastPosition()).isEqualTo(2);
        }
    }

    @Test
    void builderRejectsAnEmptyPrefixAndPositionsOutOfOrder() {
        assertThatThrownBy(() -> TraceQuery.builder().traceIdPrefix(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("traceIdPrefix must not be empty");
        assertThatThrownBy(() -> TraceQuery.builder().writtenAfter(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writtenAfter must not be negative, was -1");
        assertThatThrownBy(() ->
                        TraceQuery.builder().writtenAfter(5).writtenUpTo(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writtenUpTo (4) must not be before writtenAfter (5)");
        assertThat(TraceQuery.builder()
                        .errorCategory(ErrorCategory.TIMEOUT)
                        .writtenAfter(3)
                        .build()
                        .toString())
                .contains("errorCategory=TIMEOUT", "writtenAfter=3")
                .doesNotContain("writtenUpTo");
    }

    private static List<Integer> seconds(List<TraceRecord> records) {
        return records.stream()
                .map(r -> (int) Duration.between(T0, r.startedAt()).toSeconds())
                .toList();
    }
}
