package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The asynchronous contract of {@link OpenRouterChatClient}: {@code chatAsync} never blocks,
 * {@code chat} unwraps failures, cancellation and time limits abort the exchange.
 */
class OpenRouterAsyncTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(new Arrivals()))
            .build();

    /** Bodies of the requests the server has received (matched, before any configured delay). */
    private static final BlockingQueue<String> ARRIVED = new LinkedBlockingQueue<>();

    /** Reports each request as it arrives, so a test can wait for "the slow call is on the wire". */
    static final class Arrivals implements ServeEventListener {
        @Override
        public void afterMatch(ServeEvent event, Parameters parameters) {
            ARRIVED.add(event.getRequest().getBodyAsString());
        }

        @Override
        public String getName() {
            return "arrivals";
        }
    }

    /** Far longer than any assertion below waits, so a passing test proves the call did not wait for it. */
    private static final int SLOW_MILLIS = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final String REPLY = """
            {"id": "gen-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "fast"}}]}
            """;

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder()
                .apiKey("sk-or-v1-asynctestkey01")
                .baseUrl("http://127.0.0.1:" + wm.getPort() + "/api/v1");
    }

    private static ChatRequest request(String model) {
        return ChatRequest.builder().model(model).user("Hi").build();
    }

    private static void stubSlowModel() {
        wm.stubFor(post(anyUrl()).withRequestBody(matchingJsonPath("$.model", equalTo("slow/model")))
                .willReturn(okJson(REPLY).withFixedDelay(SLOW_MILLIS)));
    }

    private static void stubFastModel() {
        wm.stubFor(post(anyUrl()).withRequestBody(matchingJsonPath("$.model", equalTo("fast/model")))
                .willReturn(okJson(REPLY)));
    }

    @BeforeEach
    void forgetEarlierArrivals() {
        ARRIVED.clear();
    }

    /** Waits (at most 5 s) until the server has received a request for the given model. */
    private static void awaitArrivalOf(String model) throws InterruptedException {
        String body;
        do {
            body = ARRIVED.poll(5, SECONDS);
            assertThat(body).as("a request for %s reached the server", model).isNotNull();
        } while (!body.contains("\"" + model + "\""));
    }

    @Test
    void chatAsyncCompletesWithTheReply() throws Exception {
        stubFastModel();
        try (OpenRouterChatClient c = client().build()) {
            ChatResponse r = c.chatAsync(request("fast/model")).get(5, SECONDS);
            assertThat(r.content()).isEqualTo("fast");
        }
    }

    @Test
    void chatAsyncReturnsAtOnceEvenWhenEveryConnectionSlotIsBusy() {
        stubSlowModel();
        try (OpenRouterChatClient c = client().maxConcurrency(1).build()) {
            CompletableFuture<ChatResponse> running = assertTimeoutPreemptively(DEADLINE,
                    () -> c.chatAsync(request("slow/model")));
            CompletableFuture<ChatResponse> queued = assertTimeoutPreemptively(DEADLINE,
                    () -> c.chatAsync(request("slow/model")));

            assertThat(running).isNotDone();
            assertThat(queued).isNotDone();
            running.cancel(true);
            queued.cancel(true);
        }
    }

    @Test
    void chatThrowsTheLlmExceptionItselfNotACompletionException() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error": {"code": 500, "message": "Internal Server Error"}}
                        """)));
        try (OpenRouterChatClient c = client().build()) {
            assertThatThrownBy(() -> c.chat(request("fast/model")))
                    .isExactlyInstanceOf(LlmException.class)
                    .satisfies(t -> {
                        LlmException e = (LlmException) t;
                        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
                        assertThat(e.httpStatus()).hasValue(500);
                        assertThat(e.backend()).isEqualTo("openrouter");
                        assertThat(e.model()).isEqualTo("fast/model");
                    });
        }
    }

    @Test
    void chatAsyncFailsItsFutureWithTheLlmException() {
        wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error": {"code": 404, "message": "No endpoints found for fast/model."}}
                        """)));
        try (OpenRouterChatClient c = client().build()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request("fast/model"));
            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND));
        }
    }

    @Test
    void cancellingTheFutureCompletesItAtOnce() throws Exception {
        stubSlowModel();
        try (OpenRouterChatClient c = client().build()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request("slow/model"));
            awaitArrivalOf("slow/model");

            assertThat(f.cancel(true)).isTrue();

            assertThat(f).isCancelled();
            assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void cancellingAbortsTheExchangeAndFreesItsConnectionSlot() throws Exception {
        stubSlowModel();
        stubFastModel();
        try (OpenRouterChatClient c = client().maxConcurrency(1).build()) {
            CompletableFuture<ChatResponse> slow = c.chatAsync(request("slow/model"));
            awaitArrivalOf("slow/model");
            CompletableFuture<ChatResponse> fast = c.chatAsync(request("fast/model"));

            slow.cancel(true);

            // With one slot, the fast call can only finish before the slow reply if the slow exchange was aborted.
            assertThat(fast.get(5, SECONDS).content()).isEqualTo("fast");
        }
    }

    @Test
    void callWithItsOwnTimeoutFailsWithCategoryTimeoutLongBeforeTheReply() {
        stubSlowModel();
        ChatRequest request = ChatRequest.builder().model("slow/model").user("Hi")
                .timeout(Duration.ofMillis(300)).build();
        try (OpenRouterChatClient c = client().build()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request);

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.backend()).isEqualTo("openrouter");
                        assertThat(e.model()).isEqualTo("slow/model");
                        assertThat(e.getMessage()).contains("300 ms");
                    });
        }
    }

    @Test
    void chatWithATimeoutThrowsCategoryTimeout() {
        stubSlowModel();
        ChatRequest request = ChatRequest.builder().model("slow/model").user("Hi")
                .timeout(Duration.ofMillis(300)).build();
        try (OpenRouterChatClient c = client().build()) {
            assertTimeoutPreemptively(DEADLINE, () -> assertThatThrownBy(() -> c.chat(request))
                    .isInstanceOfSatisfying(LlmException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT)));
        }
    }

    @Test
    void clientDefaultTimeoutAppliesToCallsWithoutTheirOwn() {
        stubSlowModel();
        try (OpenRouterChatClient c = client().timeout(Duration.ofMillis(300)).build()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request("slow/model"));

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class,
                            e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @Test
    void timedOutCallFreesItsConnectionSlot() throws Exception {
        stubSlowModel();
        stubFastModel();
        try (OpenRouterChatClient c = client().maxConcurrency(1).build()) {
            CompletableFuture<ChatResponse> slow = c.chatAsync(ChatRequest.builder().model("slow/model").user("Hi")
                    .timeout(Duration.ofSeconds(1)).build());
            awaitArrivalOf("slow/model");
            CompletableFuture<ChatResponse> fast = c.chatAsync(request("fast/model"));

            assertThat(fast.get(5, SECONDS).content()).isEqualTo("fast");
            assertThat(slow).isCompletedExceptionally();
        }
    }

    @Test
    void aRedirectIsReportedAsAConfigurationProblem() {
        // e.g. OPENROUTER_BASE_URL=http://... where the server redirects to https: POSTs are not re-sent.
        wm.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "https://openrouter.ai/api/v1/chat/completions")));
        try (OpenRouterChatClient c = client().build()) {
            assertThatThrownBy(() -> c.chat(request("fast/model")))
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.httpStatus()).hasValue(301);
                        assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                        assertThat(e.getMessage()).contains("https://openrouter.ai/api/v1/chat/completions");
                    });
        }
    }

    @Test
    void callsAfterCloseFailAsCancelled() {
        OpenRouterChatClient c = client().build();
        c.close();

        assertThatThrownBy(() -> c.chat(request("fast/model")))
                .isInstanceOfSatisfying(LlmException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED));
    }
}
