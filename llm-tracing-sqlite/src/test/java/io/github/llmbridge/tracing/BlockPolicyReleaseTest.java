package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@link FullQueuePolicy#BLOCK}, calls that waited beside a full queue and are admitted in
 * the same writer round complete independently of each other's continuations.
 */
class BlockPolicyReleaseTest {

    @TempDir
    Path dir;

    @Test
    void aContinuationJoiningACallAdmittedInTheSameRoundDoesNotDeadlock() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                        .queueCapacity(2)
                        .maxBatchSize(2)
                        .open();
                SqliteTraceStoreTest.WriteLock lock = SqliteTraceStoreTest.WriteLock.hold(db)) {
            TracingChatClient client = fillQueueBehindTheLock(store);
            CompletableFuture<ChatResponse> a = client.chatAsync(Traces.request("m", "a"));
            CompletableFuture<ChatResponse> b = client.chatAsync(Traces.request("m", "b"));
            CompletableFuture<String> both =
                    a.thenApply(ra -> ra.content() + "+" + b.join().content());
            lock.release();
            assertThat(both.get(15, TimeUnit.SECONDS)).isEqualTo("echo: a+echo: b");
        }
    }

    @Test
    // the continuation only blocks a completing thread; b's outcome is what is checked.
    @SuppressWarnings("FutureReturnValueIgnored")
    void aBlockedContinuationDoesNotHoldBackACallAdmittedInTheSameRound() throws Exception {
        Path db = dir.resolve("t.db");
        CountDownLatch continuationMayEnd = new CountDownLatch(1);
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                        .queueCapacity(2)
                        .maxBatchSize(2)
                        .open();
                SqliteTraceStoreTest.WriteLock lock = SqliteTraceStoreTest.WriteLock.hold(db)) {
            TracingChatClient client = fillQueueBehindTheLock(store);
            CompletableFuture<ChatResponse> a = client.chatAsync(Traces.request("m", "a"));
            CompletableFuture<ChatResponse> b = client.chatAsync(Traces.request("m", "b"));
            a.thenRun(() -> awaitQuietly(continuationMayEnd));
            lock.release();
            assertThat(b.get(15, TimeUnit.SECONDS).content()).isEqualTo("echo: b");
        } finally {
            continuationMayEnd.countDown();
        }
    }

    /**
     * A queue smaller than the batch can never fill a batch: with a one-minute batch delay,
     * fifty calls through a queue of ten finish only if the writer does not wait for it.
     */
    @Test
    void aQueueSmallerThanTheBatchDoesNotHoldCallersForTheBatchDelay() throws Exception {
        Path db = dir.resolve("t.db");
        try (SqliteTraceStore store = SqliteTraceStore.builder(db)
                .queueCapacity(10)
                .maxBatchDelay(Duration.ofMinutes(1))
                .open()) {
            TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
            CompletableFuture<Void> calls = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 50; i++) {
                    client.chat(Traces.request("m", "q" + i));
                }
            });
            calls.get(30, TimeUnit.SECONDS);
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(Traces.countRows(db)).isEqualTo(50);
        }
    }

    /** Leaves the writer holding "first" (blocked on the lock) and the queue of two full. */
    private static TracingChatClient fillQueueBehindTheLock(SqliteTraceStore store) throws InterruptedException {
        TracingChatClient client = TracingChatClient.wrap(FakeChatClient.answering(), store);
        client.chat(Traces.request("m", "first"));
        SqliteTraceStoreTest.awaitPending(store, 0);
        client.chat(Traces.request("m", "second"));
        client.chat(Traces.request("m", "third"));
        return client;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
