package io.github.llmbridge.tracing.postgres;

import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.contract.Traces;
import java.time.Duration;
import java.time.Instant;

/**
 * A separate JVM for {@link PostgresMultiProcessTest}: opens a store on a database (creating the
 * tables if it is first), enqueues traces in a session, and returns from {@code main} without
 * flushing or closing, so only the shutdown hook can save them. Arguments: URL, count, session.
 */
public final class PostgresWritingProcess {

    private PostgresWritingProcess() {}

    /** Runs the writer; see the class comment. */
    public static void main(String[] args) {
        PostgresTraceStore store = PostgresTraceStore.open(args[0]);
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
