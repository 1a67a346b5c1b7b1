package io.github.llmbridge.tracing.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.tracing.TraceQuery;
import io.github.llmbridge.tracing.TraceStore;
import io.github.llmbridge.tracing.TracingChatClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code LLM_CACHE} and {@code LLM_REPLAY_DB} through {@code ChatClients.fromEnv}. */
class CacheFromEnvTest {

    private static final ChatRequest JUDGE =
            ChatRequest.builder().model("m").user("hello").temperature(0.0).build();

    @TempDir
    Path dir;

    @Test
    void llmCacheAnswersFromTheTraceDatabaseInsideTracing() {
        Path db = dir.resolve("traces.db");
        Map<String, String> env = Map.of("LLM_BACKEND", "fake-completions", "LLM_TRACE_DB", db.toString());
        try (ChatClient client = ChatClients.fromEnv(env)) {
            client.chat(JUDGE);
        }
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND", "fake-completions", "LLM_TRACE_DB", db.toString(), "LLM_CACHE", "Deterministic"))) {
            assertThat(client).isInstanceOf(TracingChatClient.class);
            CachingChatClient cache = client.unwrap(CachingChatClient.class).orElseThrow();
            ChatResponse reply = client.chat(JUDGE);
            assertThat(CachingChatClient.isCached(reply)).isTrue();
            assertThat(cache.hitCount()).isEqualTo(1);
            TraceStore store = TracingChatClient.storeOf(client).orElseThrow();
            assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(store.find(TraceQuery.builder().build()))
                    .extracting(t -> t.backend())
                    .containsExactlyInAnyOrder("fake", "cache");
        }
    }

    @Test
    void replayWithoutTracingAnswersFromTheRecordedRunAndFailsAMiss() {
        Path db = dir.resolve("run.db");
        try (ChatClient client =
                ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-completions", "LLM_TRACE_DB", db.toString()))) {
            client.chat(JUDGE);
        }
        try (ChatClient replay =
                ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-completions", "LLM_REPLAY_DB", db.toString()))) {
            assertThat(replay).isNotInstanceOf(TracingChatClient.class);
            assertThat(CachingChatClient.isCached(replay.chat(JUDGE))).isTrue();
            ChatRequest unseen = ChatRequest.builder().model("m").user("bye").build();
            assertThatThrownBy(() -> replay.chat(unseen))
                    .isInstanceOfSatisfying(
                            ReplayMissException.class,
                            e -> assertThat(e.requestHash()).isEqualTo(RequestHash.of(unseen)));
        }
    }

    @Test
    void llmCacheWithoutATraceDatabaseIsAConfigurationErrorNamingBoth() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "fake-completions", "LLM_CACHE", "all")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("LLM_CACHE=all")
                .hasMessageContaining("LLM_TRACE_DB, which is not set");
    }

    @Test
    void anUnknownCacheScopeIsAConfigurationError() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-completions",
                        "LLM_TRACE_DB",
                        dir.resolve("t.db").toString(),
                        "LLM_CACHE",
                        "sometimes")))
                .isInstanceOf(LlmException.class)
                .hasMessage("LLM_CACHE must be off, deterministic or all, was 'sometimes'");
    }

    @Test
    void cacheAndReplayTogetherAreAConfigurationError() {
        assertThatThrownBy(() -> ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND",
                        "fake-completions",
                        "LLM_TRACE_DB",
                        dir.resolve("t.db").toString(),
                        "LLM_REPLAY_DB",
                        dir.resolve("r.db").toString(),
                        "LLM_CACHE",
                        "all")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("LLM_CACHE and LLM_REPLAY_DB are both set");
    }

    @Test
    void llmCacheOffChangesNothing() {
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                "LLM_BACKEND",
                "fake-completions",
                "LLM_TRACE_DB",
                dir.resolve("t.db").toString(),
                "LLM_CACHE",
                "OFF"))) {
            assertThat(client.unwrap(CachingChatClient.class)).isEmpty();
        }
    }
}
