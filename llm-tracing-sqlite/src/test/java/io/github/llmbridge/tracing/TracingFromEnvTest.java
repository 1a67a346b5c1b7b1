package io.github.llmbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ContentPart;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ChatClients.fromEnv} adds tracing when {@code LLM_TRACE_DB} is set, and keys never reach the file. */
class TracingFromEnvTest {

    private static final String KEY = "sk-or-v1-0123456789abcdef-TOPSECRET";
    private static final String ADMIN = "admin-token-987654321";

    @TempDir
    Path dir;

    @Test
    void llmTraceDbAddsTracingAsTheOutermostLayer() {
        Path db = dir.resolve("env/traces.db");
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND",
                "fake-tracing",
                "LLM_TRACE_DB",
                db.toString(),
                "LLM_TRACE_QUEUE_POLICY",
                "drop",
                "LLM_TRACE_QUEUE_CAPACITY",
                "5000"))) {
            assertThat(client).isInstanceOf(TracingChatClient.class);
            assertThat(client.backend()).isEqualTo("fake-tracing");
            TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
            assertThat(((SqliteTraceStore) store).file()).isEqualTo(db.toAbsolutePath());
            assertThat(((SqliteTraceStore) store).fullQueuePolicy()).isEqualTo(FullQueuePolicy.DROP);
            try (LlmSession ignored = LlmSession.open("env")) {
                client.chat(ChatRequest.builder().model("m").user("hello").build());
            }
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.findBySessionName("env"))
                    .singleElement()
                    .satisfies(t -> assertThat(t.backend()).isEqualTo("fake-tracing"));
        }
    }

    @Test
    void closingTheClientFlushesAndClosesItsStore() throws Exception {
        Path db = dir.resolve("traces.db");
        ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-tracing", "LLM_TRACE_DB", db.toString()));
        for (int i = 0; i < 50; i++) {
            client.chat(ChatRequest.builder().model("m").user("hello " + i).build());
        }
        client.close();
        assertThat(Traces.countRows(db)).isEqualTo(50);
    }

    @Test
    void withoutLlmTraceDbThereIsNoTracing() {
        try (ChatClient client = ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-tracing"))) {
            assertThat(client).isNotInstanceOf(TracingChatClient.class);
            assertThat(TracingChatClient.storeOf(client)).isEmpty();
        }
    }

    @Test
    void badTracingSettingsAreConfigurationErrorsNamingTheVariable() throws Exception {
        Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-tracing",
                        "LLM_TRACE_DB",
                        dir.resolve("t.db").toString(),
                        "LLM_TRACE_QUEUE_POLICY",
                        "sometimes")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessage("LLM_TRACE_QUEUE_POLICY must be block or drop, was 'sometimes'");
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-tracing",
                        "LLM_TRACE_DB",
                        dir.resolve("t.db").toString(),
                        "LLM_TRACE_QUEUE_CAPACITY",
                        "lots")))
                .hasMessage("LLM_TRACE_QUEUE_CAPACITY must be a positive integer, was 'lots'");
        String underAFile = dir.resolve("a-file/t.db").toString();
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-tracing", "LLM_TRACE_DB", underAFile)))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageStartingWith(
                        "LLM_TRACE_DB=" + underAFile + ": cannot create the directory for trace database");
    }

    @Test
    void llmTraceFullMediaDecidesWhetherInlineImagesAreStoredOrDigested() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        String inline = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        String digest = "data:image/png;sha256=" + TracedMediaTest.sha256(png) + ";bytes=12";
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .message(ChatMessage.user(ContentPart.text("score it"), ContentPart.image(png, "image/png")))
                .build();
        for (String setting : List.of("", "false", "TRUE", "yes")) {
            Path db = dir.resolve("media-" + setting + ".db");
            try (ChatClient client = ChatClients.fromEnv(Map.of(
                    "LLM_BACKEND", "fake-tracing", "LLM_TRACE_DB", db.toString(), "LLM_TRACE_FULL_MEDIA", setting))) {
                client.chat(request);
                TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
                assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
                String stored = store.find(TraceQuery.builder().build()).get(0).requestJson();
                boolean full = setting.equals("TRUE") || setting.equals("yes");
                assertThat(stored).as("LLM_TRACE_FULL_MEDIA=%s", setting).contains(full ? inline : digest);
                assertThat(stored).as("LLM_TRACE_FULL_MEDIA=%s", setting).doesNotContain(full ? digest : inline);
            }
        }
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-tracing",
                        "LLM_TRACE_DB",
                        dir.resolve("t.db").toString(),
                        "LLM_TRACE_FULL_MEDIA",
                        "sometimes")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessage("LLM_TRACE_FULL_MEDIA must be true/false/1/0/yes/no, was 'sometimes'");
    }

    @Test
    void theApiKeyNeverAppearsInTheDatabaseFiles() throws Exception {
        Path db = dir.resolve("secret.db");
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND",
                "fake-tracing",
                "LLM_TRACE_DB",
                db.toString(),
                "OPENROUTER_API_KEY",
                KEY,
                "LITELLM_ADMIN_TOKEN",
                ADMIN))) {
            try (LlmSession ignored = LlmSession.open("leaky " + KEY, Map.of("token", ADMIN))) {
                // The caller itself puts the key into the prompt, metadata, tags and extra body.
                client.chat(ChatRequest.builder()
                        .model("m")
                        .user("echo " + KEY)
                        .metadata("key", KEY)
                        .tags(KEY)
                        .extraBody("api_key", KEY)
                        .build());
                assertThatThrownBy(() -> client.chat(
                                ChatRequest.builder().model("m").user("fail").build()))
                        .isInstanceOf(LlmException.class);
            }
            TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            List<TraceRecord> all = store.find(TraceQuery.builder().build());
            assertThat(all).hasSize(2);
            assertThat(all.get(0).errorMessage()).isEqualTo("invalid key [REDACTED]");
            assertThat(all.get(1).responseJson()).isEqualTo("{\"echo\":\"you sent [REDACTED]\"}");
            assertThat(all.get(1).metadata()).isEqualTo(Map.of("token", "[REDACTED]", "key", "[REDACTED]"));
            assertThat(all.get(1).sessionName()).isEqualTo("leaky [REDACTED]");

            List<Path> files = databaseFiles(db);
            assertThat(files).contains(db, Path.of(db + "-wal")); // the WAL holds the rows before a checkpoint
            assertNoSecretIn(files);
            assertThat(concatenated(files)).contains("[REDACTED]");
        }
        assertNoSecretIn(databaseFiles(db)); // and after close() checkpointed the WAL into the file
    }

    private static void assertNoSecretIn(List<Path> files) throws Exception {
        String bytes = concatenated(files);
        assertThat(bytes).doesNotContain(KEY).doesNotContain(ADMIN).doesNotContain("TOPSECRET");
    }

    private static String concatenated(List<Path> files) throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    private static List<Path> databaseFiles(Path db) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(db.getParent())) {
            s.filter(p -> p.getFileName().toString().startsWith(db.getFileName().toString()))
                    .forEach(files::add);
        }
        return files;
    }
}
