package io.github.llmbridge.tracing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where {@link TracingChatClient} sends one {@link CallTrace} per logical call, and where traces
 * are read back. {@link SqliteTraceStore} is the implementation; tests may provide their own.
 *
 * <pre>{@code
 * try (TraceStore store = SqliteTraceStore.open(Path.of("traces/run-17.db"));
 *      ChatClient judge = TracingChatClient.wrap(ChatClients.fromEnv(), store)) {
 *     judge.chat(request);
 *     store.flush(Duration.ofSeconds(10));
 *     store.findBySessionName("step-42").forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe. Queries see committed traces only: call
 * {@link #flush(Duration)} first to include the most recent calls.
 */
public interface TraceStore extends AutoCloseable {

    /**
     * Queues a trace for writing and returns without touching the database. The stage completes
     * once the trace is in the queue: at once normally, and also at once when it was dropped
     * (policy {@link FullQueuePolicy#DROP} with a full queue, or a closed store; both counted in
     * {@link #droppedCount()}). With {@link FullQueuePolicy#BLOCK} and a full queue it completes
     * later, when the writer has made room; no thread waits for it meanwhile.
     */
    CompletionStage<Void> enqueue(CallTrace trace);

    /**
     * Waits until every trace enqueued before this call has been committed, or the timeout passes.
     *
     * @return {@code true} when all of them are committed; {@code false} on timeout, when the
     *         thread was interrupted (the flag is kept), or when one of them was lost to a write
     *         failure, before or during this call (each loss is logged, and reported by the flushes
     *         waiting for it until one of them has returned)
     */
    boolean flush(Duration timeout);

    /** Returns how many traces were dropped because the queue was full (policy {@code DROP}) or the store closed. */
    long droppedCount();

    /** Returns how many traces were lost because writing them failed even after retries (each loss is logged). */
    long lostCount();

    /** Returns how many traces wait for the writer right now (0 for a store that does not say). */
    default long pendingCount() {
        return 0;
    }

    /** Returns the calls made in sessions of this name (nested sessions without a name of their own inherit it), newest first. */
    List<TraceRecord> findBySessionName(String sessionName);

    /** Returns the calls whose session uid chain contains this uid (the session or any nested in it), newest first. */
    List<TraceRecord> findBySessionUid(String sessionUid);

    /** Returns the calls matching the query, newest first, at most {@link TraceQuery#limit()}. */
    List<TraceRecord> find(TraceQuery query);

    /** Returns the totals over the calls made in sessions of this name. */
    TraceSummary summary(String sessionName);

    /** Flushes what was enqueued, then stops writing and releases the database. Closing twice does nothing. */
    @Override
    void close();
}
