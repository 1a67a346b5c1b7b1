package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.llmbridge.core.resilience.Replies.PATH;
import static io.github.llmbridge.core.resilience.Replies.ok;
import static io.github.llmbridge.core.resilience.Replies.request;
import static io.github.llmbridge.core.resilience.Replies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a server says about retrying, through the whole stack (transport, error mapping,
 * resilience) against a stub: a {@code Retry-After} beyond the deadline, {@code x-should-retry},
 * an exhausted quota that looks like a rate limit, and which failures are overload signals that
 * move an adaptive limit. Each asserts the category, the attempts made and what was recorded.
 */
class ServerAdviceTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(5));
    private static final String QUOTA_429 = """
            {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
                      "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""";

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private HttpTestBackend backend;

    @BeforeEach
    void backend() {
        backend = new HttpTestBackend(wm.baseUrl(), 8);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private ResilientChatClient.Builder client() {
        return ResilientChatClient.builder(backend)
                .backoff(FAST)
                .random(new Random(42))
                .maxConcurrentCalls(16)
                .adaptiveConcurrency(new AdaptiveConcurrency(1, 8, 0.5));
    }

    private static void replySequence(ResponseDefinitionBuilder... replies) {
        String state = Scenario.STARTED;
        for (int i = 0; i < replies.length; i++) {
            String next = i + 1 < replies.length ? "step-" + (i + 1) : state;
            wm.stubFor(post(urlEqualTo(PATH))
                    .inScenario("sequence")
                    .whenScenarioStateIs(state)
                    .willReturn(replies[i])
                    .willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void aRetryAfterBeyondTheBackoffCapAndTheDeadlineFailsAtOnceSayingWhy() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(429).withHeader("Retry-After", "120")));
        VirtualTime time = new VirtualTime();
        ResilientChatClient client = client().scheduler(time).build();

        LlmException e = LlmException.from(client.chatAsync(Replies.request(Duration.ofSeconds(60)))
                .handle((r, t) -> t)
                .get(10, TimeUnit.SECONDS));

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(time.requested())
                .as("the deadline and the refused permit's 1 s cool-down; no wait, none cut to the cap")
                .containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(e.getMessage())
                .contains("not retried: waiting 120.0 s as the server asked would pass the call's deadline (60.0 s"
                        + " left of 60.0 s)");
    }

    @Test
    void xShouldRetryFalseStopsARetryableStatus() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(503).withHeader("x-should-retry", "false")));

        LlmException e =
                catchThrowableOfType(LlmException.class, () -> client().build().chat(request()));

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.attempts()).singleElement().extracting(Attempt::httpStatus).isEqualTo(503);
    }

    @Test
    void xShouldRetryTrueRetriesAStatusThatIsNotRetriedOtherwise() {
        replySequence(status(400).withHeader("x-should-retry", "true"), ok());

        ChatResponse r = client().build().chat(request());

        wm.verify(2, postRequestedFor(urlEqualTo(PATH)));
        assertThat(r.attempts())
                .extracting(Attempt::httpStatus, Attempt::errorCategory)
                .containsExactly(tuple(400, ErrorCategory.BAD_REQUEST), tuple(200, null));
    }

    @Test
    void anExhaustedQuotaIsFinalAndNoOverloadSignal() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(429, QUOTA_429)));
        ResilientChatClient client = client().build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.category()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.overloadSignal()).isEmpty();
        assertThat(e.getMessage()).contains("waiting will not clear it");
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.errorCategory()).isEqualTo(ErrorCategory.INSUFFICIENT_CREDITS);
            assertThat(a.overloadSignal()).isNull();
        });
        ConcurrencyStats limit = client.stats().concurrency(Replies.MODEL).orElseThrow();
        assertThat(limit.limit()).isEqualTo(8);
        assertThat(limit.drops()).isZero();
        assertThat(client.stats().failuresByCategory()).containsEntry(ErrorCategory.INSUFFICIENT_CREDITS, 1L);
    }

    @Test
    void a429IsAnOverloadSignalThatHalvesTheLimitAndIsRecordedOnItsAttempt() {
        replySequence(status(429).withHeader("Retry-After", "0"), ok());
        ResilientChatClient client = client().build();

        ChatResponse r = client.chat(request());

        assertThat(r.attempts()).hasSize(2);
        assertThat(r.attempts().get(0).overloadSignal()).isEqualTo("429 rate limit");
        assertThat(r.attempts().get(0).concurrencyLimit()).isEqualTo(8);
        assertThat(r.attempts().get(1).concurrencyLimit())
                .as("one call was in flight when refused: half of it, the floor")
                .isEqualTo(1);
        ConcurrencyStats limit = client.stats().concurrency(Replies.MODEL).orElseThrow();
        assertThat(limit.drops()).isEqualTo(1);
        assertThat(limit.recentDecreases())
                .singleElement()
                .satisfies(d -> assertThat(d.signal()).isEqualTo("429 rate limit"));
    }

    @Test
    void aResetConnectionIsAnOverloadSignal() {
        replySequence(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ok());
        ResilientChatClient client = client().build();

        ChatResponse r = client.chat(request());

        assertThat(r.attempts().get(0).errorCategory()).isEqualTo(ErrorCategory.CONNECTION);
        assertThat(r.attempts().get(0).overloadSignal()).isEqualTo("connection reset");
        assertThat(client.stats().concurrency(Replies.MODEL).orElseThrow().decreases())
                .isEqualTo(1);
    }

    @Test
    void anOutageIsNoOverloadSignal() {
        replySequence(status(503), status(500), ok());
        ResilientChatClient client = client().build();

        ChatResponse r = client.chat(request());

        assertThat(r.attempts()).extracting(Attempt::overloadSignal).containsOnlyNulls();
        ConcurrencyStats limit = client.stats().concurrency(Replies.MODEL).orElseThrow();
        assertThat(limit.drops()).isZero();
        assertThat(limit.limit()).isEqualTo(8);
    }

    @Test
    void aCallThatNeverGotAnAnswerStillRecordsTheLimitItWasSentUnder() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(ok().withFixedDelay(5_000)));
        VirtualTime time = new VirtualTime();
        ResilientChatClient client = client().scheduler(time).build();
        CompletableFuture<ChatResponse> call = client.chatAsync(Replies.request(Duration.ofSeconds(2)));

        time.advance(Duration.ofSeconds(2));

        LlmException e = Replies.failure(call);
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(a.concurrencyLimit()).isEqualTo(8);
        });
    }
}
