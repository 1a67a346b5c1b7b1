package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import io.github.llmbridge.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@link LiteLlmChatClient} forwards the current {@link LlmSession} and the request's metadata
 * in each {@link LiteLlmMetadataMode}: the exact URL and body the proxy receives.
 */
class LiteLlmMetadataModeTest {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck().ownFields("metadata"); // LiteLLM's own field

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private static final String PATH = "/v1/chat/completions";
    private static final String REPLY = """
            {"id": "chatcmpl-1", "model": "gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;

    @BeforeEach
    void stubReply() {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY)));
    }

    private static String root() {
        return "http://127.0.0.1:" + wm.getPort();
    }

    private static LiteLlmChatClient client(LiteLlmMetadataMode mode) {
        return LiteLlmChatClient.builder().serverUrl(root()).metadataMode(mode).build();
    }

    private static ChatRequest.Builder judge() {
        return ChatRequest.builder().model("gpt-4o-mini").user("Grade it.");
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    /** Decodes an rLLM slug back to JSON, independently of the encoder under test. */
    private static JsonNode decodeSlug(String url) throws Exception {
        String slug = url.substring("/meta/".length(), url.indexOf("/v1/"));
        assertThat(slug).startsWith("rllm1:").doesNotContain("=");
        return Json.MAPPER.readTree(
                new String(Base64.getUrlDecoder().decode(slug.substring(6)), StandardCharsets.UTF_8));
    }

    // ---- body mode (the default) ----

    @Test
    void bodyModeIsTheDefault() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder().build()) {
            assertThat(c.metadataMode()).isEqualTo(LiteLlmMetadataMode.BODY);
        }
    }

    @Test
    void bodyModeSendsSessionNameUidsMergedMetadataSessionIdAndTags() {
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY);
                LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3, "split", "train"));
                LlmSession rollout = LlmSession.open(null, Map.of("rollout", 7))) {
            uids = rollout.uids();
            c.chat(judge().metadata("split", "eval")
                    .metadata("trace_id", "t-1")
                    .tags("judge", "step-42")
                    .build());
        }

        assertThat(uids).hasSize(2);
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {
                  "model": "gpt-4o-mini",
                  "messages": [{"role": "user", "content": "Grade it."}],
                  "metadata": {
                    "session_name": "step-42",
                    "session_uids": "[\\"%s\\",\\"%s\\"]",
                    "epoch": "3",
                    "rollout": "7",
                    "split": "eval",
                    "trace_id": "t-1"
                  },
                  "litellm_session_id": "step-42",
                  "tags": ["judge", "step-42"]
                }
                """.formatted(
                        uids.get(0), uids.get(1)))));
    }

    @Test
    void bodyModeKeepsASessionNameTheMetadataSetsItselfAndLetsTheRequestOverrideEverything() {
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY);
                LlmSession s = LlmSession.open("step-1", Map.of("session_name", "named-in-metadata"))) {
            uids = s.uids();
            c.chat(judge().metadata("session_uids", List.of("from-request")).build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"session_name": "named-in-metadata", "session_uids": "[\\"from-request\\"]"},
                 "litellm_session_id": "step-1"}
                """)));
        assertThat(uids).hasSize(1);
    }

    @Test
    void bodyModeWithoutSessionSendsOnlyTheRequestMetadataAndNoSessionId() {
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY)) {
            c.chat(judge().metadata("trace_id", "t-1").build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"trace_id": "t-1"}}
                """)));
    }

    @Test
    void extraBodyWinsOverTheSessionIdTagsAndMetadataKeys() {
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY);
                LlmSession s = LlmSession.open("step-1")) {
            uids = s.uids();
            c.chat(judge().tags("from-request")
                    .extraBody("litellm_session_id", "my-own-id")
                    .extraBody("tags", List.of("from-extra"))
                    .extraBody("metadata", Map.of("session_name", "from-extra"))
                    .build());
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"session_name": "from-extra", "session_uids": "[\\"%s\\"]"},
                 "litellm_session_id": "my-own-id", "tags": ["from-extra"]}
                """.formatted(uids.get(0)))));
    }

    @Test
    void theSessionIsTheOneCurrentWhenTheCallIsMadeNotWhenItCompletes() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson(REPLY).withFixedDelay(200)));
        CompletableFuture<ChatResponse> reply;
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY)) {
            try (LlmSession s = LlmSession.open("step-9")) {
                uids = s.uids();
                reply = c.chatAsync(judge().build());
            }
            reply.get(10, TimeUnit.SECONDS);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"session_name": "step-9", "session_uids": "[\\"%s\\"]"}, "litellm_session_id": "step-9"}
                """.formatted(uids.get(0)))));
    }

    @Test
    void aSessionAttachedOnAnotherThreadIsForwardedFromThere() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.BODY);
                LlmSession s = LlmSession.open("episode-5")) {
            uids = s.uids();
            pool.submit(() -> {
                        try (LlmSession.Scope ignored = s.attach()) {
                            return c.chat(judge().build());
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}],
                 "metadata": {"session_name": "episode-5", "session_uids": "[\\"%s\\"]"}, "litellm_session_id": "episode-5"}
                """.formatted(uids.get(0)))));
    }

    // ---- rllm mode ----

    @Test
    void rllmModeEncodesTheRequestMetadataInTheUrlExactlyAsRllmDoes() {
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.RLLM)) {
            c.chat(judge().metadata("trace_id", "t-1")
                    .metadata("step", 9)
                    .tags("judge")
                    .build());
        }

        // Computed with CPython: see RllmMetadataSlugTest.
        assertThat(onlyRequest().getUrl())
                .isEqualTo("/meta/rllm1:eyJzdGVwIjo5LCJ0cmFjZV9pZCI6InQtMSJ9/v1/chat/completions");
        wm.verify(1, postRequestedFor(anyUrl()).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}], "tags": ["judge"]}
                """)));
    }

    @Test
    void rllmModePutsTheSessionInTheUrlAndNothingInTheBody() throws Exception {
        List<String> uids;
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.RLLM);
                LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3));
                LlmSession rollout = LlmSession.open("rollout-7", Map.of("rollout", 7))) {
            uids = rollout.uids();
            c.chat(judge().metadata("trace_id", "t-1").build());
        }

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("epoch", 3);
        expected.put("rollout", 7);
        expected.put("session_name", "rollout-7");
        expected.put("session_uids", uids);
        expected.put("trace_id", "t-1");
        String url = onlyRequest().getUrl();
        assertThat(url).isEqualTo("/meta/" + RllmMetadataSlug.encode(expected) + "/v1/chat/completions");
        assertThat(decodeSlug(url)).isEqualTo(Json.MAPPER.valueToTree(expected));
        wm.verify(1, postRequestedFor(anyUrl()).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}]}
                """)));
    }

    @Test
    void rllmModeOutsideAnySessionWarnsOnceLoudlyThatTheTracerDropsTheCall() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (LiteLlmChatClient client = client(LiteLlmMetadataMode.RLLM)) {
            client.chat(judge().metadata(Map.of("task", "t-1")).build()); // metadata, but no session_uids
            client.chat(judge().build());
            try (LlmSession ignored = LlmSession.open("step")) {
                client.chat(judge().build());
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).containsOnlyOnce("outside any LlmSession").contains("DROPS ITS TRACE");
    }

    @Test
    void bodyModeOutsideAnySessionDoesNotWarn() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (LiteLlmChatClient client = client(LiteLlmMetadataMode.BODY)) {
            client.chat(judge().build());
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("LlmSession");
    }

    @Test
    void rllmModeWithoutSessionOrMetadataUsesThePlainUrl() {
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.RLLM)) {
            c.chat(judge().build());
        }

        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
    }

    @Test
    void rllmModeKeepsTheSlugBeforeV1WhateverTheProxyUrlSpelling() {
        try (LiteLlmChatClient c = LiteLlmChatClient.builder()
                .serverUrl(root() + "/v1/")
                .metadataMode(LiteLlmMetadataMode.RLLM)
                .build()) {
            c.chat(judge().metadata("trace_id", "t-1").metadata("step", 9).build());
        }

        assertThat(onlyRequest().getUrl())
                .isEqualTo("/meta/rllm1:eyJzdGVwIjo5LCJ0cmFjZV9pZCI6InQtMSJ9/v1/chat/completions");
    }

    // ---- none mode ----

    @Test
    void noneModeSendsNeitherSessionNorMetadataButStillTheTags() {
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.NONE);
                LlmSession s = LlmSession.open("step-42", Map.of("epoch", 3))) {
            c.chat(judge().metadata("trace_id", "t-1").tags("judge").build());
        }

        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Grade it."}], "tags": ["judge"]}
                """)));
    }

    // ---- settings ----

    @Test
    void litellmMetadataModeSelectsTheModeFromTheEnvironment() {
        try (ChatClient c = ChatClients.fromEnv(Map.of("LITELLM_PROXY_URL", root(), "LITELLM_METADATA_MODE", "RLLM"))) {
            c.chat(judge().metadata("trace_id", "t-1").metadata("step", 9).build());
        }

        assertThat(onlyRequest().getUrl())
                .isEqualTo("/meta/rllm1:eyJzdGVwIjo5LCJ0cmFjZV9pZCI6InQtMSJ9/v1/chat/completions");
    }

    @Test
    void anUnknownMetadataModeIsAConfigurationErrorNamingTheVariable() {
        LlmException e = catchThrowableOfType(
                LlmException.class, () -> ChatClients.fromEnv(Map.of("LITELLM_METADATA_MODE", "url")));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("LITELLM_METADATA_MODE", "body, rllm or none", "'url'");
    }

    @Test
    void toStringShowsANonDefaultMode() {
        try (LiteLlmChatClient c = client(LiteLlmMetadataMode.RLLM)) {
            assertThat(c.toString()).contains("metadataMode=rllm");
        }
    }
}
