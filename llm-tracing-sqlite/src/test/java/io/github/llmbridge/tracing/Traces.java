package io.github.llmbridge.tracing;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/** Builders of {@link CallTrace}s for store tests, and a plain-SQL row counter. */
final class Traces {

    private Traces() {}

    static ChatRequest request(String model, String text) {
        return ChatRequest.builder().model(model).user(text).build();
    }

    static CallTrace ok(String model, Instant at, Duration latency, LlmSession session) {
        ChatRequest request = request(model, "q");
        ChatResponse reply = FakeChatClient.reply(request).toBuilder()
                .usage(new Usage(10, 5, 15, 0, 0))
                .build();
        return new CallTrace(request, session, at, latency, "fake", reply, null);
    }

    static CallTrace ok(int n) {
        return ok("m", Instant.ofEpochMilli(1_700_000_000_000L + n), Duration.ofMillis(1), null);
    }

    static CallTrace failed(String model, Instant at, Duration latency, LlmException error, LlmSession session) {
        return new CallTrace(request(model, "q"), session, at, latency, "fake", null, error);
    }

    /**
     * Copies the version-3 fixture to a new file and returns it. The fixture,
     * {@code fixtures/traces-v3.db}, was written by this module at commit c5f0a6f (schema version
     * 3, the last before token ids and tool calls had columns) through its public API and is never
     * regenerated: three traces, enqueued in this order and read back in {@link Version3MigrationTest}:
     * <ol>
     *   <li>{@code 7023ecdc-...}: ok, session {@code v3-rollout} nested in {@code v3-step}
     *       (metadata {@code epoch=1}, {@code rollout=7}), request metadata {@code rubric=math}, tag
     *       {@code judge}, {@link FakeChatClient#reply} to "2+2?", 120 ms;
     *   <li>{@code f20bcb5d-...}: failed, {@code RATE_LIMITED}, HTTP 429, 30 ms;
     *   <li>{@code 7bfcb21b-...}: {@code Traces.ok(3)}.
     * </ol>
     */
    static Path copyOfVersion3Fixture(Path dir, String name) throws IOException {
        Path copy = dir.resolve(name);
        try (InputStream in = Traces.class.getResourceAsStream("/fixtures/traces-v3.db")) {
            if (in == null) {
                throw new IOException("test resource fixtures/traces-v3.db is missing");
            }
            Files.copy(in, copy);
        }
        return copy;
    }

    static long countRows(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM traces")) {
            r.next();
            return r.getLong(1);
        }
    }
}
