package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.tracing.contract.Await;
import io.github.llmbridge.tracing.contract.Traces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server restarts in the middle of a run: the writer holds the traces in its queue, reconnects
 * with backoff once the server is back, and writes every trace exactly once.
 */
class PostgresRestartTest {

    private static final int TRACES = 20_000;

    @TempDir
    Path dir;

    @Test
    void aServerRestartMidRunLosesAndDuplicatesNothing() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try (TestPostgres server = TestPostgres.dedicated(dir.resolve("data"))) {
            String database = server.newDatabase();
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            try (PostgresTraceStore store = PostgresTraceStore.builder(server.url(database))
                            .maxBatchSize(500)
                            .open();
                    LlmSession session = LlmSession.open("restart")) {
                CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                    try (LlmSession.Scope ignored = session.attach()) {
                        for (int i = 0; i < TRACES; i++) {
                            store.enqueue(Traces.ok("m", Instant.now(), Duration.ofMillis(1), session))
                                    .toCompletableFuture()
                                    .join(); // BLOCK: waits while the queue is full during the outage
                        }
                    }
                });
                Await.until(
                        () -> committed(server, database) > 2_000,
                        () -> "the writer never committed 2,000 traces: " + store);

                server.stop(); // fast shutdown: the writer's connection is cut mid-run
                Await.until(
                        () -> logs.toString(StandardCharsets.UTF_8).contains("cannot be reached"),
                        () -> "the writer never noticed the outage: " + store);
                server.start();

                producing.get(120, TimeUnit.SECONDS);
                assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
                assertThat(store.lostCount()).isZero();
                assertThat(store.droppedCount()).isZero();
                assertThat(store.summary("restart").calls()).isEqualTo(TRACES);
            } finally {
                System.setErr(originalErr);
            }
            try (Connection c = server.admin(database);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT trace_id) FROM traces")) {
                r.next();
                assertThat(r.getLong(1)).as("rows").isEqualTo(TRACES);
                assertThat(r.getLong(2)).as("distinct trace ids").isEqualTo(TRACES);
            }
        }
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged)
                .contains("cannot be reached")
                .doesNotContain(TestPostgres.PASSWORD)
                .as("a failed batch is described by its cause, never by the statement and its values")
                .doesNotContain("INSERT INTO");
    }

    /** Rows committed so far, or -1 while the server is down. */
    private static long committed(TestPostgres server, String database) {
        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM traces")) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }
}
