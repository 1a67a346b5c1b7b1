package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LiteLlmResponse} reads every header LiteLLM adds, on a reply and on a failed call's
 * exception, tolerating {@code None} and other values that are not numbers.
 */
class LiteLlmResponseHeadersTest {

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("gpt-4o-mini").user("Hi").build();
    private static final String REPLY = """
            {"id": "c", "choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "ok"}}]}
            """;

    private LiteLlmChatClient client;

    @BeforeEach
    void startClient() {
        client = LiteLlmChatClient.builder()
                .serverUrl("http://127.0.0.1:" + wm.getPort())
                .build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void readsEveryLiteLlmHeaderOfAReply() {
        wm.stubFor(post(anyUrl())
                .willReturn(okJson(REPLY)
                        .withHeader("x-litellm-call-id", "b980db26-9ab1-4d38-a4bb-8e8ba6e3b4d3")
                        .withHeader("x-litellm-response-cost", "0.000123")
                        .withHeader("x-litellm-model-id", "a1b2c3-deployment")
                        .withHeader("x-litellm-model-group", "gpt-4o-mini")
                        .withHeader("x-litellm-attempted-retries", "2")
                        .withHeader("x-litellm-attempted-fallbacks", "1")
                        .withHeader("x-litellm-response-duration-ms", "812.5")
                        .withHeader("x-ratelimit-remaining-requests", "9999")
                        .withHeader("x-ratelimit-remaining-tokens", "1999000")));

        ChatResponse reply = client.chat(REQUEST);
        LiteLlmResponse proxy = LiteLlmResponse.of(reply);

        assertThat(proxy.callId()).hasValue("b980db26-9ab1-4d38-a4bb-8e8ba6e3b4d3");
        assertThat(proxy.responseCost()).hasValue(0.000123);
        assertThat(reply.cost()).hasValue(0.000123);
        assertThat(proxy.modelId()).hasValue("a1b2c3-deployment");
        assertThat(proxy.modelGroup()).hasValue("gpt-4o-mini");
        assertThat(proxy.attemptedRetries()).hasValue(2);
        assertThat(proxy.attemptedFallbacks()).hasValue(1);
        assertThat(proxy.responseDuration()).hasValue(Duration.ofNanos(812_500_000));
        assertThat(proxy.remainingRequests()).hasValue(9999);
        assertThat(proxy.remainingTokens()).hasValue(1_999_000);
        assertThat(proxy.rateLimitRemaining()).isEqualTo(Map.of("requests", 9999L, "tokens", 1_999_000L));
        assertThat(proxy.header("X-LiteLLM-Model-Group")).hasValue("gpt-4o-mini");
        assertThat(proxy.toString()).contains("x-litellm-call-id=b980db26");
    }

    @Test
    void noneAndGarbageReadAsEmpty() {
        wm.stubFor(post(anyUrl())
                .willReturn(okJson(REPLY)
                        .withHeader("x-litellm-call-id", "None")
                        .withHeader("x-litellm-response-cost", "None")
                        .withHeader("x-litellm-model-id", "")
                        .withHeader("x-litellm-attempted-retries", "many")
                        .withHeader("x-litellm-attempted-fallbacks", "-1")
                        .withHeader("x-ratelimit-remaining-requests", "None")
                        .withHeader("x-ratelimit-remaining-tokens", "None")));

        LiteLlmResponse proxy = LiteLlmResponse.of(client.chat(REQUEST));

        assertThat(proxy.callId()).isEmpty();
        assertThat(proxy.responseCost()).isEmpty();
        assertThat(proxy.modelId()).isEmpty();
        assertThat(proxy.attemptedRetries()).isEmpty();
        assertThat(proxy.attemptedFallbacks()).isEmpty();
        assertThat(proxy.remainingRequests()).isEmpty();
        assertThat(proxy.remainingTokens()).isEmpty();
        assertThat(proxy.rateLimitRemaining()).isEmpty();
    }

    @Test
    void countersWrittenAsFloatsAreRead() {
        LiteLlmResponse proxy = LiteLlmResponse.of(Map.of(
                "x-litellm-attempted-retries",
                "3.0",
                "x-ratelimit-remaining-tokens",
                "120.0",
                "x-ratelimit-remaining-requests",
                "1.5"));

        assertThat(proxy.attemptedRetries()).hasValue(3);
        assertThat(proxy.remainingTokens()).hasValue(120);
        assertThat(proxy.remainingRequests()).isEmpty();
    }

    @Test
    void noHeadersMeansEverythingEmpty() {
        LiteLlmResponse proxy = LiteLlmResponse.of(Map.of());

        assertThat(proxy.callId()).isEmpty();
        assertThat(proxy.attemptedRetries()).isEmpty();
        assertThat(proxy.responseDuration()).isEmpty();
        assertThat(proxy.rateLimitRemaining()).isEmpty();
    }

    @Test
    void aFailedCallKeepsTheHeadersOnItsException() {
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-litellm-call-id", "call-429")
                        .withHeader("x-litellm-model-id", "deployment-9")
                        .withHeader("x-litellm-model-group", "gpt-4o-mini")
                        .withHeader("x-litellm-attempted-retries", "3")
                        .withHeader("x-litellm-attempted-fallbacks", "0")
                        .withHeader("x-ratelimit-remaining-requests", "0")
                        .withHeader("x-ratelimit-remaining-tokens", "None")
                        .withBody("""
                        {"error": {"message": "litellm.RateLimitError: Rate limit reached LiteLLM Retried: 3 times, LiteLLM Max Retries: 3",
                                   "type": "throttling_error", "param": null, "code": "429"}}
                        """)));

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(REQUEST));
        LiteLlmResponse proxy = LiteLlmResponse.of(e);

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.getMessage()).contains("LiteLLM Retried: 3 times");
        assertThat(proxy.callId()).hasValue("call-429");
        assertThat(proxy.modelId()).hasValue("deployment-9");
        assertThat(proxy.modelGroup()).hasValue("gpt-4o-mini");
        assertThat(proxy.attemptedRetries()).hasValue(3);
        assertThat(proxy.attemptedFallbacks()).hasValue(0);
        assertThat(proxy.remainingRequests()).hasValue(0);
        assertThat(proxy.remainingTokens()).isEmpty();
    }
}
