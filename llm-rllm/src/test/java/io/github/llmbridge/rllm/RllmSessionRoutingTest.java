package io.github.llmbridge.rllm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where the {@code rllm} backend sends a call: the gateway session is the URL, so every call of an
 * {@link LlmSession} (its retries, fallbacks and continuations on other threads included) must go
 * to that session's URL, a session this client names is created once with its metadata, and one
 * the trainer handed over is used as it is.
 */
class RllmSessionRoutingTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String REPLY = """
            {"id": "chatcmpl-1", "model": "judge", "choices": [{"index": 0,
             "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}
            """;

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static ChatRequest request() {
        return ChatRequest.builder().model("judge").user("Score this.").build();
    }

    private static void gatewayAnswers() {
        wm.stubFor(post("/sessions").willReturn(okJson("{\"session_id\": \"ignored\", \"url\": \"/sessions/x/v1\"}")));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions")).willReturn(okJson(REPLY)));
        wm.stubFor(post("/v1/chat/completions").willReturn(okJson(REPLY)));
    }

    private static List<LoggedRequest> chatCalls() {
        return wm.findAll(postRequestedFor(urlMatching(".*/chat/completions")));
    }

    @Test
    void aSessionsFirstCallCreatesItWithItsMetadataAndEveryCallGoesToItsUrl() {
        gatewayAnswers();
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession step = LlmSession.open("step-3", Map.of("epoch", 1));
                LlmSession rollout = LlmSession.open("rollout-7", Map.of("task", "t-17"))) {
            client.chat(request());
            client.chat(request());

            String sessionUrl = "/sessions/" + rollout.uid() + "/v1/chat/completions";
            assertThat(chatCalls()).extracting(LoggedRequest::getUrl).containsExactly(sessionUrl, sessionUrl);
            wm.verify(1, postRequestedFor(urlEqualTo("/sessions")).withRequestBody(equalToJson("""
                                    {"session_id": "%s",
                                     "metadata": {"epoch": 1, "task": "t-17", "session_name": "rollout-7",
                                                  "session_uids": ["%s", "%s"]}}
                                    """.formatted(
                            rollout.uid(), step.uid(), rollout.uid()))));
        }
    }

    @Test
    void aSessionTheTrainerHandedOverIsUsedAndNotCreatedAgain() {
        gatewayAnswers();
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession ignored = LlmSession.open("rollout", Map.of(RllmChatClient.SESSION_ID, "task/17:0"))) {
            client.chat(request());
        }
        // The id goes into the path as one segment: its slash is encoded (the gateway decodes before matching).
        assertThat(chatCalls())
                .extracting(LoggedRequest::getUrl)
                .containsExactly("/sessions/task%2F17:0/v1/chat/completions");
        wm.verify(0, postRequestedFor(urlEqualTo("/sessions")));
    }

    @Test
    void aSessionUrlAsTheGatewayUrlSendsEveryCallThereEvenOutsideAnyLlmSession() {
        gatewayAnswers();
        try (RllmChatClient client = RllmChatClient.builder()
                .gatewayUrl(root() + "/sessions/from-trainer/v1/")
                .build()) {
            client.chat(request());
            try (LlmSession ignored = LlmSession.open("inner")) {
                client.chat(request());
            }
            assertThat(client.fixedSession()).hasValue("from-trainer");
            assertThat(client.gatewayUrl()).hasToString(root());
        }
        assertThat(chatCalls())
                .extracting(LoggedRequest::getUrl)
                .containsOnly("/sessions/from-trainer/v1/chat/completions")
                .hasSize(2);
        wm.verify(0, postRequestedFor(urlEqualTo("/sessions")));
    }

    @Test
    void retriesAndFallbacksGoToTheSameSessionUrl() {
        wm.stubFor(post("/sessions").willReturn(okJson("{\"session_id\": \"x\"}")));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("judge")))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\": {\"message\": \"busy\"}}")));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("backup")))
                .willReturn(okJson(REPLY)));
        try (ChatClient client = ChatClients.fromEnv(Map.of(
                        "LLM_BACKEND", "rllm",
                        "RLLM_GATEWAY_URL", root(),
                        "LLM_MAX_ATTEMPTS", "2",
                        "LLM_BACKOFF_BASE_SECONDS", "0.01",
                        "LLM_BACKOFF_MAX_SECONDS", "0.01"));
                LlmSession rollout = LlmSession.open("rollout")) {
            var reply = client.chat(ChatRequest.builder()
                    .model("judge")
                    .fallbackModels(List.of("backup"))
                    .user("Score this.")
                    .build());

            assertThat(reply.attempts()).hasSize(3);
            assertThat(chatCalls())
                    .extracting(LoggedRequest::getUrl)
                    .containsOnly("/sessions/" + rollout.uid() + "/v1/chat/completions")
                    .hasSize(3);
        }
    }

    @Test
    void aContinuationOnAnotherThreadThatAttachesTheSessionGoesToItsUrl() throws Exception {
        gatewayAnswers();
        var pool = Executors.newSingleThreadExecutor();
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession rollout = LlmSession.open("rollout")) {
            CompletableFuture<?> done = client.chatAsync(request())
                    .thenComposeAsync(
                            first -> {
                                try (LlmSession.Scope scope = rollout.attach()) {
                                    return client.chatAsync(request());
                                }
                            },
                            pool);
            done.get(10, TimeUnit.SECONDS);
            assertThat(chatCalls())
                    .extracting(LoggedRequest::getUrl)
                    .containsOnly("/sessions/" + rollout.uid() + "/v1/chat/completions")
                    .hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedSessionCreationFailsTheCallWithItsErrorAndTheNextCallCreatesItAgain() {
        wm.stubFor(post("/sessions")
                .inScenario("create")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("Internal Server Error"))
                .willSetStateTo("up"));
        wm.stubFor(post("/sessions")
                .inScenario("create")
                .whenScenarioStateIs("up")
                .willReturn(okJson("{\"session_id\": \"x\"}")));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions")).willReturn(okJson(REPLY)));
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession ignored = LlmSession.open("rollout")) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.getMessage())
                    .startsWith("creating the gateway session (POST /sessions) failed: ")
                    .contains("no healthy worker");
            assertThat(chatCalls()).isEmpty();

            assertThat(client.chat(request()).content()).isEqualTo("ok");
            wm.verify(2, postRequestedFor(urlEqualTo("/sessions")));
            assertThat(chatCalls()).hasSize(1);
        }
    }

    @Test
    void aCallOutsideAnySessionGoesToTheUnrecordedPathAndWarnsOnceLoudly() {
        gatewayAnswers();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build()) {
            client.chat(request());
            client.chat(request());
        } finally {
            System.setErr(original);
        }
        assertThat(chatCalls())
                .extracting(LoggedRequest::getUrl)
                .containsOnly("/v1/chat/completions")
                .hasSize(2);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).containsOnlyOnce("outside any LlmSession").contains("WITHOUT recording a trace");
    }

    @Test
    void anExplicitFalseForLogprobsOrTokenIdsIsNotSentSoTheGatewayStillRecordsThem() {
        gatewayAnswers();
        try (RllmChatClient client =
                RllmChatClient.builder().gatewayUrl(root() + "/sessions/s/v1").build()) {
            client.chat(ChatRequest.builder()
                    .model("judge")
                    .user("Score this.")
                    .logprobs(false)
                    .returnTokenIds(false)
                    .build());
        }
        String body = chatCalls().get(0).getBodyAsString();
        assertThat(body).doesNotContain("logprobs").doesNotContain("return_token_ids");
    }

    @Test
    void theGatewaysBare500NamesTheWorkersAndIsRetryable() {
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody("Internal Server Error")));
        try (RllmChatClient client =
                RllmChatClient.builder().gatewayUrl(root() + "/sessions/s/v1").build()) {
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));

            assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("no healthy worker").contains("GET /health/workers");
        }
    }

    @Test
    void aMalformedSessionUrlIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> ChatClients.fromEnv(Map.of("LLM_BACKEND", "rllm", "RLLM_GATEWAY_URL", root() + "/sessions/x")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("RLLM_GATEWAY_URL").contains("/sessions/<id>/v1");
    }

    @Test
    void concurrentFirstCallsOfASessionCreateItOnce() throws Exception {
        wm.stubFor(
                post("/sessions").willReturn(okJson("{\"session_id\": \"x\"}").withFixedDelay(300)));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions")).willReturn(okJson(REPLY)));
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession rollout = LlmSession.open("rollout")) {
            List<CompletableFuture<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(client.chatAsync(request()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            wm.verify(1, postRequestedFor(urlEqualTo("/sessions")));
            assertThat(chatCalls())
                    .extracting(LoggedRequest::getUrl)
                    .containsOnly("/sessions/" + rollout.uid() + "/v1/chat/completions")
                    .hasSize(8);
        }
    }

    @Test
    void aFirstCallCancelledWhileTheSessionIsCreatedIsNeverSent() throws Exception {
        wm.stubFor(
                post("/sessions").willReturn(okJson("{\"session_id\": \"x\"}").withFixedDelay(500)));
        wm.stubFor(post(urlMatching("/sessions/.+/v1/chat/completions")).willReturn(okJson(REPLY)));
        try (RllmChatClient client = RllmChatClient.builder().gatewayUrl(root()).build();
                LlmSession ignored = LlmSession.open("rollout")) {
            CompletableFuture<?> first = client.chatAsync(request());
            assertThat(first.cancel(true)).isTrue();

            assertThat(client.chat(request()).content()).isEqualTo("ok"); // waits for the same creation
            assertThat(chatCalls()).hasSize(1);
            wm.verify(1, postRequestedFor(urlEqualTo("/sessions")));
        }
    }
}
