package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.tracing.contract.Await;
import io.github.llmbridge.tracing.contract.Traces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteTraceStore#close()}: concurrent closes and the close timeout. */
class StoreCloseTest {

    @TempDir
    Path dir;

    @Test
    void aSecondConcurrentCloseAlsoWaitsForTheFlush() throws Exception {
        Path db = dir.resolve("t.db");
        SqliteTraceStore store = SqliteTraceStore.open(db);
        try (SqliteTraceStoreTest.WriteLock lock = SqliteTraceStoreTest.WriteLock.hold(db)) {
            store.enqueue(Traces.ok(1));
            CompletableFuture<Void> first = CompletableFuture.runAsync(store::close);
            awaitClosing(store);
            CompletableFuture<Long> rowsAfterSecondClose = new CompletableFuture<>();
            Thread second = new Thread(() -> {
                store.close();
                rowsAfterSecondClose.complete(countRows(db));
            });
            second.start();
            awaitWaitingOrDone(second);
            lock.release();
            first.get(60, TimeUnit.SECONDS);
            assertThat(rowsAfterSecondClose.get(60, TimeUnit.SECONDS))
                    .as("rows committed when the second close() returned")
                    .isEqualTo(1);
        }
    }

    @Test
    void aZeroOrNegativeCloseTimeoutIsRefusedByName() {
        assertThatThrownBy(() -> SqliteTraceStore.builder(dir.resolve("t.db")).closeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("closeTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> SqliteTraceStore.builder(dir.resolve("t.db")).closeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("closeTimeout must be positive, was PT-1S");
    }

    @Test
    void aCloseTimeoutBelowOneMillisecondDoesNotWaitForever() throws Exception {
        Path db = dir.resolve("t.db");
        SqliteTraceStore store =
                SqliteTraceStore.builder(db).closeTimeout(Duration.ofNanos(1)).open();
        try (SqliteTraceStoreTest.WriteLock lock = SqliteTraceStoreTest.WriteLock.hold(db)) {
            store.enqueue(Traces.ok(1));
            // the writer is stuck on the lock: close() gives up after about 2 ms instead of join(0)'s forever
            CompletableFuture.runAsync(store::close).get(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitClosing(SqliteTraceStore store) throws InterruptedException {
        Await.until(store::isClosing, () -> "close() never began: " + store);
    }

    /** Waits until the thread is parked (the second close() waiting for the first) or has ended. */
    private static void awaitWaitingOrDone(Thread t) throws InterruptedException {
        Await.until(
                () -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED,
                () -> "the second close() neither waited nor returned");
    }

    private static long countRows(Path db) {
        try {
            return Traces.countRows(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
