package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatStream;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.testing.ScriptedStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A streamed call's trace: the assembled reply, its time to first output, its chunk count and how it ended. */
class StreamTracingTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);
    private final ChatRequest request =
            ChatRequest.builder().model("m").user("hi").build();

    @TempDir
    Path dir;

    private SqliteTraceStore store;

    @BeforeEach
    void openStore() {
        store = SqliteTraceStore.open(dir.resolve("traces.db"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aCleanStreamRecordsTheAssembledReplyItsChunksAndItsTimeToFirstOutput() {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.create()
                        .chunk(ChatChunk.builder().build()) // a role-only chunk: no output yet
                        .after(Duration.ofMillis(30))
                        .chunk("Hel")
                        .chunk("lo")
                        .finish(new Usage(3, 2, 5, 0, 0)));
        List<String> seen = new ArrayList<>();
        try (TracingChatClient client = TracingChatClient.wrap(backend, store);
                ChatStream stream = client.stream(request)) {
            stream.forEach(c -> seen.add(c.content()));
            assertThat(stream.response().join().content()).isEqualTo("Hello");
        }

        assertThat(seen).containsExactly("", "Hel", "lo", "");
        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
        assertThat(t.status()).isEqualTo(TraceStatus.OK);
        assertThat(t.usage()).isEqualTo(new Usage(3, 2, 5, 0, 0));
        assertThat(t.finishReason()).isEqualTo(FinishReason.STOP.value());
        assertThat(t.stream().chunks()).isEqualTo(4);
        assertThat(t.stream().endedCleanly()).isTrue();
        assertThat(t.stream().timeToFirstToken())
                .isGreaterThanOrEqualTo(Duration.ofMillis(30))
                .isLessThan(t.latency().plusNanos(1));
    }

    @Test
    void aStreamThatFailsMidwayIsRecordedAsNotEndedCleanlyWithItsCategory() {
        ScriptedChatClient backend = new ScriptedChatClient()
                .stream(ScriptedStream.of("Par", "tial").fail(ErrorCategory.SERVER_ERROR, "upstream died"));
        try (TracingChatClient client = TracingChatClient.wrap(backend, store)) {
            assertThatThrownBy(() -> client.streamAsync(request, c -> {}).join())
                    .cause()
                    .isInstanceOfSatisfying(
                            LlmException.class,
                            e -> assertThat(e.partialContent()).contains("Partial"));
        }

        assertThat(store.flush(FLUSH)).isTrue();
        TraceRecord t = store.find(TraceQuery.builder().build()).get(0);
        assertThat(t.status()).isEqualTo(TraceStatus.FAILED);
        assertThat(t.errorCategory()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(t.stream()).isEqualTo(new StreamStats(t.stream().timeToFirstToken(), 2, false));
        assertThat(t.stream().timeToFirstToken()).isNotNull();
    }

    @Test
    void anOrdinaryCallHasNoStreamColumns() {
        try (TracingChatClient client = TracingChatClient.wrap(new ScriptedChatClient().reply("x"), store)) {
            client.chat(request);
        }
        assertThat(store.flush(FLUSH)).isTrue();
        assertThat(store.find(TraceQuery.builder().build()).get(0).stream()).isNull();
    }
}
