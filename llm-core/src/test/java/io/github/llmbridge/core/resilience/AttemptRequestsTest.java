package io.github.llmbridge.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the layer beneath sees for each attempt, and how settings are validated. */
class AttemptRequestsTest {

    /** Fails the first {@code failures} attempts with a retryable error, records what it saw. */
    private static final class FlakyClient implements ChatClient {
        final ConcurrentLinkedQueue<ChatRequest> requests = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Optional<LlmSession>> sessions = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        private int failures;
        boolean closed;

        FlakyClient(int failures) {
            this.failures = failures;
        }

        @Override
        public synchronized CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            requests.add(request);
            sessions.add(LlmSession.current());
            threads.add(Thread.currentThread().getName());
            if (failures-- > 0) {
                return CompletableFuture.failedFuture(LlmException.builder(ErrorCategory.SERVER_ERROR, "flaky")
                        .httpStatus(503)
                        .build());
            }
            return CompletableFuture.completedFuture(
                    ChatResponse.builder().content("ok").build());
        }

        @Override
        public String backend() {
            return "flaky";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(5));

    @Test
    void everyAttemptIsSentWithoutFallbacksAndWithWhatRemainsOfTheDeadline() {
        FlakyClient flaky = new FlakyClient(2);
        ResilientChatClient client =
                ResilientChatClient.builder(flaky).backoff(FAST).build();

        ChatResponse r = client.chat(ChatRequest.builder()
                .model("a/m")
                .user("hi")
                .fallbackModels("b/m")
                .timeout(Duration.ofSeconds(30))
                .build());

        assertThat(r.model())
                .as("an empty reply model is filled with the attempt's")
                .isEqualTo("a/m");
        assertThat(flaky.requests).hasSize(3).allSatisfy(req -> {
            assertThat(req.fallbackModels()).isEmpty();
            assertThat(req.model()).isEqualTo("a/m");
            assertThat(req.timeout())
                    .hasValueSatisfying(t -> assertThat(t).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31)));
        });
    }

    @Test
    void theCallersSessionIsCurrentForEveryAttemptEvenOnOtherThreads() throws Exception {
        FlakyClient flaky = new FlakyClient(2);
        ResilientChatClient client =
                ResilientChatClient.builder(flaky).backoff(FAST).build();
        CompletableFuture<ChatResponse> call;
        LlmSession session;
        try (LlmSession s = LlmSession.open("episode-9", Map.of("step", 3))) {
            session = s;
            call = client.chatAsync(
                    ChatRequest.builder().model("a/m").user("hi").build());
        }
        call.get(5, TimeUnit.SECONDS);

        assertThat(flaky.sessions)
                .hasSize(3)
                .allSatisfy(seen -> assertThat(seen).containsSame(session));
        assertThat(flaky.threads)
                .as("retries ran on other threads")
                .anyMatch(t -> !t.equals(Thread.currentThread().getName()));
        assertThat(LlmSession.current()).isEmpty();
    }

    @Test
    void badSettingsAreConfigurationErrorsNamingTheVariable() {
        FlakyClient flaky = new FlakyClient(0);
        for (Map<String, String> bad : List.of(
                Map.of("LLM_MAX_ATTEMPTS", "0"),
                Map.of("LLM_MAX_ATTEMPTS", "five"),
                Map.of("LLM_FAIL_OPEN", "maybe"),
                Map.of("LLM_TIMEOUT_SECONDS", "-3"),
                Map.of("LLM_BACKOFF_BASE_SECONDS", "2", "LLM_BACKOFF_MAX_SECONDS", "1"),
                Map.of("LLM_MAX_WAITING_CALLS", "many"),
                Map.of("FLAKY_MAX_CONCURRENT_CALLS", "0"),
                Map.of("LLM_ATTEMPT_TIMEOUT_SECONDS", "0"))) {
            LlmException e =
                    catchThrowableOfType(LlmException.class, () -> ResilientChatClient.wrap(flaky, Settings.of(bad)));
            assertThat(e).as("settings %s", bad).isNotNull();
            assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
            String variable = bad.containsKey("LLM_BACKOFF_MAX_SECONDS")
                    ? "LLM_BACKOFF_MAX_SECONDS"
                    : bad.keySet().iterator().next();
            assertThat(e.getMessage()).contains(variable);
        }
    }

    @Test
    void settingsChangeThePolicy() {
        ResilientChatClient client = ResilientChatClient.wrap(
                new FlakyClient(0),
                Settings.of(Map.of(
                        "LLM_MAX_ATTEMPTS",
                        "3",
                        "LITELLM_DEFAULT_TIMEOUT",
                        "90",
                        "LLM_BACKOFF_BASE_SECONDS",
                        "0.5",
                        "LLM_BACKOFF_MAX_SECONDS",
                        "4",
                        "FLAKY_MAX_CONCURRENT_CALLS",
                        "12",
                        "LLM_FALLBACK_MODELS",
                        "x/y,z/w")));
        assertThat(client.toString())
                .contains(
                        "maxAttempts=3",
                        "deadline=90 s",
                        "bulkhead=12",
                        "backoff=500 ms x2.0 up to 4 s",
                        "fallbackModels=[x/y, z/w]");
    }

    @Test
    void closeClosesTheWrappedClientAndUnwrapFindsIt() {
        FlakyClient flaky = new FlakyClient(0);
        ResilientChatClient client = ResilientChatClient.builder(flaky).build();
        assertThat(client.unwrap(FlakyClient.class)).containsSame(flaky);
        assertThat(client.unwrap(ResilientChatClient.class)).containsSame(client);
        client.close();
        assertThat(flaky.closed).isTrue();
    }
}
