package io.github.llmbridge.tracing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TracingChatClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LLM_TRACE_DB=postgresql://...} through {@code ChatClients.fromEnv}: two processes' clients
 * (two machines of a trainer) share one database, the password comes from the URL,
 * {@code PGPASSWORD} or a {@code .pgpass} file, and it appears in no error message and no row.
 */
class PostgresFromEnvTest {

    private final TestPostgres server = TestPostgres.shared();

    @TempDir
    Path dir;

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().model("judge").user(text).temperature(0.0).build();
    }

    @Test
    void twoClientsTracingToOneDatabaseSeeEachOthersCallsBySession() {
        String url = server.url(server.newDatabase());
        Map<String, String> env = Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", url);
        try (ChatClient machineA = ChatClients.fromEnv(env);
                ChatClient machineB = ChatClients.fromEnv(env)) {
            assertThat(TracingChatClient.storeOf(machineA).orElseThrow()).isInstanceOf(PostgresTraceStore.class);
            try (LlmSession step = LlmSession.open("step-412")) {
                machineA.chat(ask("a"));
                machineB.chat(ask("b"));
                machineB.chat(ask("c"));
            }
            TraceStore storeA = TracingChatClient.storeOf(machineA).orElseThrow();
            TraceStore storeB = TracingChatClient.storeOf(machineB).orElseThrow();
            assertThat(storeA.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(storeB.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(storeA.findBySessionName("step-412")).hasSize(3);
            assertThat(storeB.summary("step-412").calls()).isEqualTo(3);
        }
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorNamingTheVariableWithoutThePassword() {
        String database = server.newDatabase();
        String wrong = "not-the-password-7f3a";
        String url = "postgresql://" + TestPostgres.USER + ":" + wrong + "@localhost:" + server.port() + "/" + database;
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", url)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(everything(e)).doesNotContain(wrong);
                })
                .hasMessageStartingWith("LLM_TRACE_DB: cannot open trace database postgresql://tracer@localhost:"
                        + server.port() + "/" + database + ": ")
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void anUnreachableServerIsAConfigurationErrorNamingTheVariable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "postgresql://tracer:" + TestPostgres.PASSWORD + "@127.0.0.1:" + closedPort + "/traces";
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", url)))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(everything(e)).doesNotContain(TestPostgres.PASSWORD);
                })
                .hasMessageStartingWith("LLM_TRACE_DB: cannot open trace database postgresql://tracer@127.0.0.1:"
                        + closedPort + "/traces");
    }

    @Test
    void aMalformedUrlIsAConfigurationErrorNamingTheVariable() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "mock",
                        "LLM_TRACE_DB",
                        "postgresql://tracer:" + TestPostgres.PASSWORD + "@localhost:notaport/db")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                    assertThat(everything(e)).doesNotContain(TestPostgres.PASSWORD);
                })
                .hasMessageStartingWith("LLM_TRACE_DB: ");
    }

    @Test
    void thePasswordComesFromPgpasswordWhenTheUrlHasNone() {
        String database = server.newDatabase();
        String url = "postgresql://" + TestPostgres.USER + "@localhost:" + server.port() + "/" + database;
        try (ChatClient client = ChatClients.fromEnv(
                Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", url, "PGPASSWORD", TestPostgres.PASSWORD))) {
            client.chat(ask("x"));
        }
    }

    @Test
    void thePasswordComesFromThePgpassFileWhenNeitherGivesOne() throws Exception {
        String database = server.newDatabase();
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(
                pgpass,
                "# host:port:database:user:password\n"
                        + "otherhost:*:*:*:wrong\n"
                        + "localhost:" + server.port() + ":" + database + ":" + TestPostgres.USER + ":"
                        + TestPostgres.PASSWORD + "\n");
        String url = "jdbc:postgresql://localhost:" + server.port() + "/" + database + "?user=" + TestPostgres.USER;
        try (ChatClient client = ChatClients.fromEnv(
                Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", url, "PGPASSFILE", pgpass.toString()))) {
            client.chat(ask("x"));
        }
    }

    @Test
    void thePasswordNeverReachesTheTableEvenWhenAPromptQuotesIt() throws Exception {
        String database = server.newDatabase();
        try (ChatClient client =
                ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "LLM_TRACE_DB", server.url(database)))) {
            try (LlmSession ignored = LlmSession.open("leaky " + TestPostgres.PASSWORD)) {
                client.chat(ask("my database password is " + TestPostgres.PASSWORD));
            }
            TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            List<TraceRecord> all = store.findBySessionName("leaky [REDACTED]");
            assertThat(all)
                    .singleElement()
                    .satisfies(t -> assertThat(t.requestJson()).contains("[REDACTED]"));
            assertThat(store.toString()).doesNotContain(TestPostgres.PASSWORD);
        }
        try (Connection c = server.admin(database);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT string_agg(t::text, ' ') FROM traces t")) {
            r.next();
            assertThat(r.getString(1)).contains("[REDACTED]").doesNotContain(TestPostgres.PASSWORD);
        }
    }

    /** The message, toString and stack trace of an exception and its causes. */
    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w + " " + t;
    }
}
