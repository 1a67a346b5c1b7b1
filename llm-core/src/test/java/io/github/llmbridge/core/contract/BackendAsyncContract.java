package io.github.llmbridge.core.contract;

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
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.config.BackendBuilder;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous contract every backend keeps: {@code chatAsync} never blocks, {@code chat}
 * unwraps failures (also through any stage the backend adds, such as reading a cost header),
 * cancellation and time limits abort the exchange. A backend runs it by subclassing it with its
 * {@link ChatBackendFixture}.
 */
public abstract class BackendAsyncContract {

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies, new Arrivals()))
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
    private static final String KEY = "sk-contract-asynctestkey01";

    private static final String REPLY = """
            {"id": "chatcmpl-1", "model": "openai/gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "fast"}}]}
            """;

    /** The backend under test. */
    protected final ChatBackendFixture fixture;

    /** Runs the contract against the backend {@code fixture} describes. */
    protected BackendAsyncContract(ChatBackendFixture fixture) {
        this.fixture = fixture;
        openAiBodies.ownFields(fixture.ownBodyFields().toArray(String[]::new));
    }

    private ChatClient client() {
        return client(b -> {});
    }

    private ChatClient client(Consumer<BackendBuilder<?>> settings) {
        return fixture.client(fixture.baseUrl("http://127.0.0.1:" + wm.getPort()), KEY, settings);
    }

    private static ChatRequest request(String model) {
        return ChatRequest.builder().model(model).user("Hi").build();
    }

    private static void stubSlowModel() {
        wm.stubFor(post(anyUrl())
                .withRequestBody(matchingJsonPath("$.model", equalTo("slow/model")))
                .willReturn(okJson(REPLY).withFixedDelay(SLOW_MILLIS)));
    }

    private static void stubFastModel() {
        wm.stubFor(post(anyUrl())
                .withRequestBody(matchingJsonPath("$.model", equalTo("fast/model")))
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
        try (ChatClient c = client()) {
            ChatResponse r = c.chatAsync(request("fast/model")).get(5, SECONDS);
            assertThat(r.content()).isEqualTo("fast");
        }
    }

    @Test
    void chatAsyncReturnsAtOnceEvenWhenEveryConnectionSlotIsBusy() {
        stubSlowModel();
        try (ChatClient c = client(b -> b.maxConcurrency(1))) {
            CompletableFuture<ChatResponse> running =
                    assertTimeoutPreemptively(DEADLINE, () -> c.chatAsync(request("slow/model")));
            CompletableFuture<ChatResponse> queued =
                    assertTimeoutPreemptively(DEADLINE, () -> c.chatAsync(request("slow/model")));

            assertThat(running).isNotDone();
            assertThat(queued).isNotDone();
            running.cancel(true);
            queued.cancel(true);
        }
    }

    @Test
    void chatThrowsTheLlmExceptionItselfNotACompletionException() {
        wm.stubFor(post(anyUrl()).willReturn(fixture.serverErrorReply()));
        try (ChatClient c = client()) {
            assertThatThrownBy(() -> c.chat(request("fast/model")))
                    .isExactlyInstanceOf(LlmException.class)
                    .satisfies(t -> {
                        LlmException e = (LlmException) t;
                        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
                        assertThat(e.httpStatus()).hasValue(500);
                        assertThat(e.backend()).isEqualTo(fixture.backend());
                        assertThat(e.model()).isEqualTo("fast/model");
                    });
        }
    }

    @Test
    void chatAsyncFailsItsFutureWithTheLlmException() {
        wm.stubFor(post(anyUrl()).willReturn(fixture.unknownModelReply("fast/model")));
        try (ChatClient c = client()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request("fast/model"));
            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.MODEL_NOT_FOUND));
        }
    }

    @Test
    void cancellingTheFutureCompletesItAtOnce() throws Exception {
        stubSlowModel();
        try (ChatClient c = client()) {
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
        try (ChatClient c = client(b -> b.maxConcurrency(1))) {
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
        ChatRequest request = ChatRequest.builder()
                .model("slow/model")
                .user("Hi")
                .timeout(Duration.ofMillis(300))
                .build();
        try (ChatClient c = client()) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request);

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
                        assertThat(e.isRetryable()).isTrue();
                        assertThat(e.backend()).isEqualTo(fixture.backend());
                        assertThat(e.model()).isEqualTo("slow/model");
                        assertThat(e.getMessage()).contains("300 ms");
                    });
        }
    }

    @Test
    void chatWithATimeoutThrowsCategoryTimeout() {
        stubSlowModel();
        ChatRequest request = ChatRequest.builder()
                .model("slow/model")
                .user("Hi")
                .timeout(Duration.ofMillis(300))
                .build();
        try (ChatClient c = client()) {
            assertTimeoutPreemptively(
                    DEADLINE,
                    () -> assertThatThrownBy(() -> c.chat(request))
                            .isInstanceOfSatisfying(
                                    LlmException.class,
                                    e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT)));
        }
    }

    @Test
    void clientDefaultTimeoutAppliesToCallsWithoutTheirOwn() {
        stubSlowModel();
        try (ChatClient c = client(b -> b.timeout(Duration.ofMillis(300)))) {
            CompletableFuture<ChatResponse> f = c.chatAsync(request("slow/model"));

            assertThatThrownBy(() -> f.get(5, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @Test
    void timedOutCallFreesItsConnectionSlot() throws Exception {
        stubSlowModel();
        stubFastModel();
        try (ChatClient c = client(b -> b.maxConcurrency(1))) {
            CompletableFuture<ChatResponse> slow = c.chatAsync(ChatRequest.builder()
                    .model("slow/model")
                    .user("Hi")
                    .timeout(Duration.ofSeconds(1))
                    .build());
            awaitArrivalOf("slow/model");
            CompletableFuture<ChatResponse> fast = c.chatAsync(request("fast/model"));

            assertThat(fast.get(5, SECONDS).content()).isEqualTo("fast");
            assertThat(slow).isCompletedExceptionally();
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 307})
    void aRedirectIsReportedAsAConfigurationProblemNamingTheTarget(int status) {
        // e.g. a base URL with http:// where the server or a load balancer redirects to https: POSTs are not re-sent.
        wm.stubFor(post(anyUrl())
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Location", "https://llm.example.org/v1/chat/completions")));
        try (ChatClient c = client()) {
            assertThatThrownBy(() -> c.chat(request("fast/model"))).isInstanceOfSatisfying(LlmException.class, e -> {
                assertThat(e.httpStatus()).hasValue(status);
                assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION);
                assertThat(e.getMessage()).contains("https://llm.example.org/v1/chat/completions");
            });
        }
    }

    @Test
    void callsAfterCloseFailAsCancelled() {
        ChatClient c = client();
        c.close();

        assertThatThrownBy(() -> c.chat(request("fast/model")))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CANCELLED));
    }
}
