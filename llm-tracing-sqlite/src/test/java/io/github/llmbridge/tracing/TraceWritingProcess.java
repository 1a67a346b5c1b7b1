package io.github.llmbridge.tracing;

import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A separate JVM for {@link MultiProcessTest}: enqueues traces into a store and returns from
 * {@code main} without flushing or closing it, so only the shutdown hook can save them.
 * Arguments: database file, number of traces, session name.
 */
public final class TraceWritingProcess {

    private TraceWritingProcess() {}

    /** Runs the writer; see the class comment. */
    public static void main(String[] args) {
        SqliteTraceStore store = SqliteTraceStore.open(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        try (LlmSession session = LlmSession.open(args[2])) {
            for (int i = 0; i < count; i++) {
                store.enqueue(Traces.ok("m", Instant.now(), Duration.ofMillis(i % 100), session));
            }
        }
        System.out.println("enqueued " + count);
        // no flush(), no close(): the JVM's shutdown hook must write them
    }
}
