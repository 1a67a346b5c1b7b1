package io.github.llmbridge.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.resilience.Backoff;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The doubles users test their reward code with: scripted replies and the mock backend. */
class TestDoublesTest {

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().model("acme/judge").user(text).build();
    }

    @Test
    void scriptedRepliesComeInOrderAndRequestsAreRecorded() {
        ScriptedChatClient judge = new ScriptedChatClient()
                .reply("first")
                .reply(r -> "echo " + r.messages().get(0).content())
                .reply(ChatResponse.builder().content("whole").model("x/y").build());

        assertThat(judge.chat(ask("a")).content()).isEqualTo("first");
        assertThat(judge.chat(ask("b")).content()).isEqualTo("echo b");
        ChatResponse third = judge.chat(ask("c"));
        assertThat(third.content()).isEqualTo("whole");
        assertThat(third.model()).isEqualTo("x/y");
        assertThat(judge.requests())
                .extracting(r -> r.messages().get(0).content())
                .containsExactly("a", "b", "c");
        assertThat(judge.lastRequest().messages().get(0).content()).isEqualTo("c");
        assertThat(judge.remaining()).isZero();
    }

    @Test
    void aScriptedFailureIsThrownAsItIs() {
        ScriptedChatClient judge = new ScriptedChatClient().fail(ErrorCategory.RATE_LIMITED, "slow down");

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chat(ask("a")));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("slow down");
    }

    @Test
    void anExhaustedScriptFailsClearlyUnlessOtherwiseIsSet() {
        ScriptedChatClient judge = new ScriptedChatClient().reply("only");
        judge.chat(ask("a"));

        LlmException e = catchThrowableOfType(LlmException.class, () -> judge.chat(ask("b")));
        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("no reply left for call #2");

        judge.otherwise(r -> "default");
        assertThat(judge.chat(ask("c")).content()).isEqualTo("default");
    }

    @Test
    void aDelayedStepDoesNotBlockTheCaller() throws Exception {
        ScriptedChatClient judge =
                new ScriptedChatClient().after(Duration.ofMillis(300)).reply("late");
        long start = System.nanoTime();

        CompletableFuture<ChatResponse> f = judge.chatAsync(ask("a"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        assertThat(f).isNotDone();
        assertThat(f.get(5, TimeUnit.SECONDS).content()).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    }

    @Test
    void callsRecordTheCallersSession() {
        ScriptedChatClient judge = new ScriptedChatClient().otherwise(r -> "ok");
        try (LlmSession s = LlmSession.open("episode-1")) {
            judge.chat(ask("a"));
            assertThat(judge.calls().get(0).session()).containsSame(s);
        }
    }

    @Test
    void scriptedFailuresDriveTheResilienceLayer() {
        ScriptedChatClient flaky =
                new ScriptedChatClient().fail(ErrorCategory.SERVER_ERROR, "503").reply("ok");
        ChatClient client = ResilientChatClient.builder(flaky)
                .backoff(new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(2)))
                .build();

        ChatResponse r = client.chat(ask("a"));

        assertThat(r.content()).isEqualTo("ok");
        assertThat(r.attempts()).hasSize(2);
        assertThat(flaky.requests()).hasSize(2);
    }

    @Test
    void theMockBackendEchoesOrCansRepliesFromTheEnvironment() {
        try (ChatClient echo = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock"))) {
            ChatResponse r = echo.chat(ask("what is 2+2?"));
            assertThat(r.content()).isEqualTo("echo: what is 2+2?");
            assertThat(r.backend()).isEqualTo("mock");
            assertThat(r.model()).isEqualTo("acme/judge");
            assertThat(r.usage().totalTokens()).isPositive();
            assertThat(echo.chat(ask("what is 2+2?")).content()).isEqualTo(r.content());
        }
        try (ChatClient canned = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_REPLY", "{\"score\": 5}"))) {
            record Score(int score) {}
            assertThat(canned.chatJson(ask("grade this"), Score.class)).isEqualTo(new Score(5));
        }
    }

    @Test
    void theMockBackendCanTakeItsTime() throws Exception {
        try (ChatClient slow = ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_LATENCY_MS", "200"))) {
            long start = System.nanoTime();
            CompletableFuture<ChatResponse> f = slow.chatAsync(ask("a"));
            assertThat(f).isNotDone();
            f.get(5, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
        LlmException bad = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "mock", "MOCK_LATENCY_MS", "soon")));
        assertThat(bad.getMessage()).contains("MOCK_LATENCY_MS");
    }
}
