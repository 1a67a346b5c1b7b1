package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.cache.CacheScope;
import io.github.llmbridge.tracing.cache.CachingChatClient;
import io.github.llmbridge.tracing.cache.ReplayMissException;
import io.github.llmbridge.tracing.contract.FakeChatClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache on PostgreSQL: one database, many JVMs, one set of recorded answers. */
class PostgresCacheTest {

    private final TestPostgres server = TestPostgres.shared();
    private final AtomicInteger backendCalls = new AtomicInteger();

    static ChatRequest question(String text) {
        return ChatRequest.builder().model("judge").user(text).temperature(0.0).build();
    }

    private FakeChatClient countingBackend() {
        return new FakeChatClient("fake", r -> {
            backendCalls.incrementAndGet();
            return CompletableFuture.completedFuture(FakeChatClient.reply(r));
        });
    }

    @Test
    void twoJvmsSharingADatabaseAnswerEachOthersRecordedCallsFromIt() throws Exception {
        String url = server.url(server.newDatabase());
        try (PostgresTraceStore store = PostgresTraceStore.open(url);
                ChatClient here = CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null)) {
            // opened before anything was recorded: what the other JVMs record is found as they record it
            assertThat(runWorker(url, "2+2?")).contains("answered by fake: echo: 2+2?");
            assertThat(runWorker(url, "2+2?")).contains("answered by cache: echo: 2+2?");

            ChatResponse reply = here.chat(question("2+2?"));
            assertThat(CachingChatClient.isCached(reply)).isTrue();
            assertThat(reply.content()).isEqualTo("echo: 2+2?");
            assertThat(backendCalls).hasValue(0);

            assertThat(store.find(TraceQuery.builder().build()))
                    .extracting(TraceRecord::backend)
                    .containsExactlyInAnyOrder("fake", "cache");
            String original = store.find(TraceQuery.builder().build()).stream()
                    .filter(t -> t.backend().equals("fake"))
                    .findFirst()
                    .orElseThrow()
                    .traceId();
            assertThat(CachingChatClient.cachedTraceId(reply)).hasValue(original);
        }
    }

    @Test
    void aCallCommittedAfterALaterOneWasReadIsStillFound() throws Exception {
        String database = server.newDatabase();
        String url = server.url(database);
        try (PostgresTraceStore store = PostgresTraceStore.open(url);
                CachingChatClient cache =
                        CachingChatClient.cache(countingBackend(), store, CacheScope.DETERMINISTIC, null);
                Connection slow = server.admin(database);
                Connection fast = server.admin(database)) {
            slow.setAutoCommit(false);
            insertAnswered(slow, "early"); // takes the lower row number, commits last
            insertAnswered(fast, "late");

            assertThat(CachingChatClient.isCached(cache.chat(question("late")))).isTrue();
            slow.commit();
            assertThat(CachingChatClient.isCached(cache.chat(question("early"))))
                    .isTrue();
            assertThat(backendCalls).hasValue(0);
        }
    }

    @Test
    void replayFromPostgresFailsAMissNamingTheHash() {
        String url = server.url(server.newDatabase());
        try (PostgresTraceStore store = PostgresTraceStore.open(url);
                ChatClient replay = CachingChatClient.replay(countingBackend(), store)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay.chat(question("unseen")))
                    .isInstanceOf(ReplayMissException.class)
                    .hasMessageContaining(io.github.llmbridge.tracing.cache.RequestHash.of(question("unseen")))
                    .hasMessageNotContaining(TestPostgres.PASSWORD);
            assertThat(backendCalls).hasValue(0);
        }
    }

    /** Records an answer to {@link #question} as another writer would, its body written by hand. */
    private static void insertAnswered(Connection c, String question) throws Exception {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO traces (trace_id, started_at_ms, model_requested,"
                        + " model_used, status, attempts, latency_ms, request_json, response_json, backend) VALUES"
                        + " (CAST(? AS uuid), ?, 'judge', 'judge', 'ok', 1, 1.0, CAST(? AS jsonb), CAST(? AS jsonb), 'fake')")) {
            p.setString(1, UUID.randomUUID().toString());
            p.setLong(2, System.currentTimeMillis());
            p.setString(
                    3,
                    "{\"model\": \"judge\", \"messages\": [{\"role\": \"user\", \"content\": \"" + question
                            + "\"}], \"temperature\": 0.0}");
            p.setString(
                    4,
                    "{\"id\":\"chatcmpl-x\",\"model\":\"judge\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"recorded\"}}]}");
            p.executeUpdate();
        }
    }

    private static String runWorker(String url, String question) throws Exception {
        Process p = new ProcessBuilder(
                        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        PostgresCachingProcess.class.getName(),
                        url,
                        question)
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain(TestPostgres.PASSWORD);
        return output;
    }
}
