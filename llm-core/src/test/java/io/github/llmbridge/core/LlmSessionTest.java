package io.github.llmbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LlmSessionTest {

    @AfterEach
    void noSessionLeaks() {
        assertThat(LlmSession.current()).isEmpty();
    }

    @Test
    void nestedSessionsInheritTheNameMergeMetadataAndChainUids() {
        try (LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3, "phase", "train"))) {
            try (LlmSession rollout = LlmSession.open(null, Map.of("rollout", 7, "phase", "eval"))) {
                assertThat(LlmSession.current()).containsSame(rollout);
                assertThat(rollout.name()).isEqualTo("step-42");
                assertThat(rollout.uids()).containsExactly(step.uid(), rollout.uid());
                assertThat(rollout.metadata())
                        .containsExactlyInAnyOrderEntriesOf(Map.of("epoch", 3, "phase", "eval", "rollout", 7));
                assertThat(rollout.parent()).containsSame(step);
                try (LlmSession named = LlmSession.open("judge")) {
                    assertThat(named.name()).isEqualTo("judge");
                    assertThat(named.uids()).hasSize(3).startsWith(step.uid(), rollout.uid());
                }
                assertThat(LlmSession.current()).containsSame(rollout);
            }
            assertThat(LlmSession.current()).containsSame(step);
            assertThat(step.uid()).isNotEqualTo(LlmSession.open("x").uid());
            LlmSession.current().orElseThrow().close();
        }
    }

    @Test
    void requestMetadataWinsOverTheSessions() {
        try (LlmSession s = LlmSession.open("s", Map.of("a", 1, "b", 2))) {
            assertThat(s.mergedWith(Map.of("b", 3, "c", 4)))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 3, "c", 4));
        }
    }

    @Test
    void metadataIsCopiedWhenTheSessionOpens() {
        java.util.Map<String, Object> meta =
                new java.util.HashMap<>(Map.of("tags", new java.util.ArrayList<>(List.of("a"))));
        try (LlmSession s = LlmSession.open("s", meta)) {
            meta.put("late", true);
            assertThat(s.metadata()).containsOnlyKeys("tags");
            assertThatThrownBy(() -> s.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThatThrownBy(() -> LlmSession.open("bad", Map.of("thread", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'thread'");
        assertThat(LlmSession.current()).isEmpty();
    }

    @Test
    void scopesArePerThreadAndAttachCarriesOneAcross() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (LlmSession s = LlmSession.open("episode")) {
            assertThat(other.submit(LlmSession::current).get()).isEmpty();
            Optional<LlmSession> seen = other.submit(() -> {
                        try (LlmSession.Scope scope = s.attach()) {
                            return LlmSession.current();
                        }
                    })
                    .get();
            assertThat(seen).containsSame(s);
            assertThat(other.submit(LlmSession::current).get()).isEmpty();
            assertThatThrownBy(() -> CompletableFuture.runAsync(s::close, other).join())
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("thread that opened it");
        } finally {
            other.shutdown();
        }
    }

    @Test
    void closingTwiceDoesNothing() {
        try (LlmSession outer = LlmSession.open("outer")) {
            LlmSession inner = LlmSession.open("inner");
            inner.close();
            inner.close();
            assertThat(LlmSession.current()).containsSame(outer);
        }
    }
}
