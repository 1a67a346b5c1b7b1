package io.github.llmbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatChunk;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.check.ConnectionCheck;
import io.github.llmbridge.core.check.ConnectionReport;
import io.github.llmbridge.core.tools.ToolLoop;
import io.github.llmbridge.core.tools.ToolLoopResult;
import io.github.llmbridge.litellm.LiteLlmChatClient;
import io.github.llmbridge.litellm.LiteLlmResponse;
import io.github.llmbridge.litellm.LiteLlmServer;
import io.github.llmbridge.litellm.ServerHealth;
import io.github.llmbridge.litellm.ServerReadiness;
import io.github.llmbridge.rllm.RllmGateway;
import io.github.llmbridge.rllm.RllmGeneration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code litellm} backend and {@link LiteLlmServer} against a real LiteLLM proxy (the version
 * pinned in {@code requirements.txt}) whose models are the vLLM-like stub: each test asserts what
 * the proxy answered, what its logging callback recorded, or what reached the stub.
 */
class LiteLlmInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealServers servers() {
        return RealServers.get();
    }

    private static LiteLlmChatClient client() {
        return LiteLlmChatClient.builder()
                .serverUrl(servers().litellm.toString())
                .apiKey(RealServers.LITELLM_KEY)
                .build();
    }

    private static LiteLlmServer server() {
        return LiteLlmServer.builder()
                .serverUrl(servers().litellm.toString())
                .apiKey(RealServers.LITELLM_KEY)
                .build();
    }

    /** The callback's record of the call with this id; it is written after the reply, so wait for it. */
    private static JsonNode recorded(String callId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            seen = servers().litellmEvents();
            for (String line : seen) {
                JsonNode event = JSON.readTree(line);
                if (callId.equals(event.path("litellm_call_id").asText())) {
                    return event;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("LiteLLM recorded no call " + callId + "; it recorded " + seen);
    }

    @Test
    void aChatCallReadsTheWorkersTokenIdsAndLogprobsThroughTheProxy() {
        ChatResponse r;
        try (ChatClient client = client()) {
            r = client.chat(ChatRequest.builder()
                    .model("stub-model")
                    .user("hello proxy")
                    .logprobs(true)
                    .returnTokenIds(true)
                    .build());
        }

        assertThat(r.content()).isEqualTo("echo: hello proxy");
        assertThat(r.promptTokenIds()).hasValue(Tokens.of(Tokens.userPrompt("hello proxy")));
        // LiteLLM moves the choice's token_ids into provider_specific_fields; the client reads them there.
        assertThat(r.choices().get(0).tokenIds()).hasValue(Tokens.of("echo: hello proxy"));
        assertThat(r.choices().get(0).logprobs().orElseThrow().content())
                .extracting(TokenLogprob::token)
                .startsWith("e", "c", "h", "o");
        assertThat(servers().stubRequests()).contains("\"logprobs\": true").contains("\"return_token_ids\": true");
    }

    @Test
    void aSessionsMetadataAndNameReachTheProxysLogsUnderTheCallIdTheClientSent() throws Exception {
        ChatResponse r;
        try (ChatClient client = client();
                LlmSession step = LlmSession.open("step-7", Map.of("epoch", 3))) {
            r = client.chat(ChatRequest.builder()
                    .model("stub-model")
                    .user("in a session")
                    .build());
        }

        String callId = LiteLlmResponse.of(r).callId().orElseThrow();
        JsonNode event = recorded(callId);
        assertThat(event.path("status").asText()).isEqualTo("success");
        JsonNode metadata = event.path("requester_metadata");
        assertThat(metadata.path("session_name").asText()).isEqualTo("step-7");
        assertThat(metadata.path("epoch").asText()).isEqualTo("3");
        assertThat(metadata.path("session_uids").asText()).startsWith("[\"");
        assertThat(event.path("session_id").asText()).isEqualTo("step-7");
    }

    @Test
    void aStreamedCallArrivesInChunksThroughTheProxyAndIsLoggedUnderItsCallId() throws Exception {
        String completion = "echo: stream through the proxy";
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();
        ChatResponse r;
        try (ChatClient client = client()) {
            r = client.streamAsync(
                            ChatRequest.builder()
                                    .model("stub-model")
                                    .user("stream through the proxy")
                                    .build(),
                            chunks::add)
                    .get(30, TimeUnit.SECONDS);
        }

        assertThat(chunks.stream().map(ChatChunk::content).filter(c -> !c.isEmpty()))
                .containsExactly("echo", ": st", "ream", " thr", "ough", " the", " pro", "xy");
        assertThat(r.content()).isEqualTo(completion);
        assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().completionTokens()).isEqualTo(completion.length());
        assertThat(servers().stubRequests()).contains("\"stream\": true");
        JsonNode event = recorded(LiteLlmResponse.of(r).callId().orElseThrow());
        assertThat(event.path("status").asText()).isEqualTo("success");
    }

    @Test
    void aToolCallRoundTripsThroughTheProxy() throws Exception {
        servers().clearStubRequests();
        record Weather(String city) {}
        ToolLoop loop = ToolLoop.builder()
                .tool("get_weather", "Current weather in a city", Weather.class, w -> "18 C in " + w.city())
                .build();
        ToolLoopResult result;
        try (ChatClient client = client()) {
            result = loop.run(
                    client,
                    ChatRequest.builder()
                            .model("stub-model")
                            .user("weather in Paris?")
                            .build());
        }

        assertThat(result.rounds()).isEqualTo(2);
        assertThat(result.content()).isEqualTo("echo: tool said 18 C in Paris");
        JsonNode requests = JSON.readTree(servers().stubRequests());
        assertThat(requests).hasSize(2);
        JsonNode second = requests.get(1).path("messages");
        assertThat(second.get(1)
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("get_weather");
        assertThat(second.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(second.get(2).path("tool_call_id").asText()).isEqualTo("call_stub_1");
    }

    @Test
    void anUpstreamErrorIsABadRequestWithTheProvidersMessageAndIsLoggedAsAFailure() throws Exception {
        LlmException e;
        try (ChatClient client = client()) {
            e = catchThrowableOfType(
                    LlmException.class,
                    () -> client.chat(ChatRequest.builder()
                            .model("stub-error")
                            .user("fail")
                            .build()));
        }

        assertThat(e.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
        assertThat(e.httpStatus()).hasValue(400);
        assertThat(e.getMessage()).contains("stub: this model always fails");
        JsonNode event = recorded(LiteLlmResponse.of(e).callId().orElseThrow());
        assertThat(event.path("status").asText()).isEqualTo("failure");
    }

    @Test
    void livelinessReadinessAndTheDeploymentsHealthAreReadFromTheRealProxy() {
        LiteLlmServer proxy = server();

        assertThat(proxy.liveliness()).isTrue();
        ServerReadiness ready = proxy.readiness();
        assertThat(ready.ready()).isTrue();
        assertThat(ready.version()).isEqualTo("1.77.7");
        ServerHealth health = proxy.health(Duration.ofSeconds(60));
        assertThat(health.healthy()).extracting(ServerHealth.Endpoint::model).contains("openai/stub-model");
        assertThat(health.unhealthy()).extracting(ServerHealth.Endpoint::model).contains("openai/stub-error");
    }

    @Test
    void flushingTheTracerOfAStockProxyIsAConfigurationErrorAndNoGuessedPathIsTried() {
        LlmException e = catchThrowableOfType(LlmException.class, () -> server().flushTracer(Duration.ofSeconds(5)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.httpStatus()).hasValue(404);
        assertThat(e.getMessage()).contains("no tracer flush endpoint");
    }

    @Test
    void theConnectionCheckAndTheGenerationProbeNameAStockProxy() {
        try (ChatClient client = client()) {
            ConnectionReport report = ConnectionCheck.run(client, "stub-model", Duration.ofSeconds(30));
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.step("rllm").orElseThrow().detail()).startsWith("a stock LiteLLM proxy");
        }
        assertThat(RllmGateway.builder()
                        .gatewayUrl(servers().litellm.toString())
                        .build()
                        .generation())
                .isEqualTo(RllmGeneration.LITELLM_PROXY);
    }

    @Test
    void waitUntilReadyOnTheGatewayFailsAtOnceSayingItIsTheGateway() {
        LlmException e = catchThrowableOfType(
                LlmException.class,
                () -> LiteLlmServer.builder()
                        .serverUrl(servers().gateway.toString())
                        .build()
                        .waitUntilReady(Duration.ofSeconds(30)));

        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
        assertThat(e.getMessage()).contains("rLLM's model gateway");
    }
}
