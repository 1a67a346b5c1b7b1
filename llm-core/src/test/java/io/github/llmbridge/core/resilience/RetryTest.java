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

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.llmbridge.core.Attempt;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.contract.OpenAiBodyCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures are retried, how many times, and how long the client waits in between. */
class RetryTest {

    /** Waits short enough to keep the suite fast; Retry-After tests override the cap. */
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), 2, Duration.ofMillis(50));

    /** Checks every chat body the server receives against OpenAI's published schema (fails the test on a bad one). */
    @RegisterExtension
    static final OpenAiBodyCheck openAiBodies = new OpenAiBodyCheck();

    @RegisterExtension
    static final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(openAiBodies))
            .build();

    private HttpTestBackend backend;

    @BeforeEach
    void backend() {
        backend = new HttpTestBackend(wm.baseUrl(), 20);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private ResilientChatClient.Builder client() {
        // A fixed bulkhead: these tests count the timers of the retry policy, and an adaptive limit adds a
        // refused permit's cool-down to them (AdaptiveConcurrencyTest covers that).
        return ResilientChatClient.builder(backend)
                .backoff(FAST)
                .random(new Random(42))
                .adaptiveConcurrency(false);
    }

    /** Serves the given replies in order, one per request, then keeps serving the last. */
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
    void survivesAResetAnEmptyReplyAndAMalformedChunkedBodyThenSucceeds() {
        replySequence(
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withFault(Fault.EMPTY_RESPONSE),
                aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                ok());
        ResilientChatClient client = client().build();

        ChatResponse r = client.chat(request());

        assertThat(r.content()).isEqualTo("ok");
        wm.verify(4, postRequestedFor(urlEqualTo(PATH)));
        assertThat(r.attempts()).hasSize(4);
        assertThat(r.attempts().subList(0, 2))
                .extracting(Attempt::errorCategory)
                .containsExactly(ErrorCategory.CONNECTION, ErrorCategory.CONNECTION);
        assertThat(r.attempts().get(2).succeeded()).isFalse();
        assertThat(r.attempts().get(3).succeeded()).isTrue();
        assertThat(r.attempts().get(3).httpStatus()).isEqualTo(200);
        assertThat(client.stats().retries()).isEqualTo(3);
        assertThat(client.stats().successes()).isEqualTo(1);
    }

    @ParameterizedTest(name = "HTTP {0} is retried")
    @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
    void retryableStatusesAreRetriedUpToMaxAttempts(int status) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(status)));

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> client().maxAttempts(3).build().chat(request()));

        wm.verify(3, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.attemptCount()).isEqualTo(3);
        assertThat(e.attempts()).extracting(Attempt::httpStatus).containsExactly(status, status, status);
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.getMessage()).contains("gave up after 3 attempts");
        assertThat(e.attempts().get(0).waitAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(5));
        assertThat(e.attempts().get(2).waitAfter()).isZero();
    }

    @ParameterizedTest(name = "HTTP {0} ({1}) is not retried")
    @CsvSource(
            delimiter = '|',
            value = {
                "400|{\"error\":{\"message\":\"bad field\",\"type\":\"invalid_request_error\"}}|BAD_REQUEST",
                "401|{\"error\":{\"message\":\"No auth credentials found\",\"code\":401}}|AUTHENTICATION",
                "402|{\"error\":{\"message\":\"Insufficient credits\",\"code\":402}}|INSUFFICIENT_CREDITS",
                "403|{\"error\":{\"message\":\"key not allowed\",\"code\":403}}|PERMISSION",
                "404|{\"error\":{\"message\":\"The model does not exist\",\"code\":\"model_not_found\"}}|MODEL_NOT_FOUND",
                "413|{\"error\":{\"message\":\"too large\"}}|BAD_REQUEST",
                "422|{\"error\":{\"message\":\"unprocessable\"}}|BAD_REQUEST",
                "400|{\"error\":{\"message\":\"maximum context length is 8192 tokens\",\"code\":\"context_length_exceeded\"}}|CONTEXT_LENGTH_EXCEEDED"
            })
    void permanentFailuresReachTheServerExactlyOnce(int status, String body, ErrorCategory category) {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(status, body)));
        ResilientChatClient client = client().build();

        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(request()));

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.category()).isEqualTo(category);
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.httpStatus()).isEqualTo(status);
            assertThat(a.errorCategory()).isEqualTo(category);
        });
        assertThat(client.stats().retries()).isZero();
        assertThat(client.stats().failuresByCategory()).containsEntry(category, 1L);
    }

    @Test
    void openRouterInBodyTransientErrorIsRetried() {
        replySequence(status(200, """
                {"id":"gen-1","choices":[{"index":0,"message":{"role":"assistant","content":"Half"},
                  "finish_reason":"error","error":{"code":502,"message":"Provider returned error"}}]}"""), ok());

        ChatResponse r = client().build().chat(request());

        assertThat(r.content()).isEqualTo("ok");
        assertThat(r.attempts()).extracting(Attempt::errorCategory).containsExactly(ErrorCategory.SERVER_ERROR, null);
    }

    @Test
    void retryAfterSecondsReplacesTheComputedWait() throws Exception {
        replySequence(status(429).withHeader("Retry-After", "2"), ok());
        VirtualTime time = new VirtualTime();
        ResilientChatClient client = client().backoff(new Backoff(Duration.ofMillis(5), 2, Duration.ofSeconds(30)))
                .scheduler(time)
                .build();

        CompletableFuture<ChatResponse> call = client.chatAsync(request());

        assertThat(time.awaitRequested(2)).as("the wait after the 429").isEqualTo(Duration.ofSeconds(2));
        time.advance(Duration.ofMillis(1999));
        assertThat(call).as("not retried a millisecond early").isNotDone();
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        time.advance(Duration.ofMillis(1));
        ChatResponse r = call.get(10, TimeUnit.SECONDS);
        Attempt first = r.attempts().get(0);
        Attempt second = r.attempts().get(1);
        assertThat(first.waitAfter()).isEqualTo(Duration.ofSeconds(2));
        Duration gap = Duration.between(first.start().plus(first.duration()), second.start());
        assertThat(gap).isEqualTo(Duration.ofSeconds(2));
        assertThat(time.requested())
                .as("the deadline, then the one wait")
                .containsExactly(ResilientChatClient.DEFAULT_DEADLINE, Duration.ofSeconds(2));
    }

    @Test
    void retryAfterMsIsHonouredToTheMillisecond() throws Exception {
        replySequence(status(503).withHeader("retry-after-ms", "150"), ok());
        VirtualTime time = new VirtualTime();
        CompletableFuture<ChatResponse> call = client().backoff(
                        new Backoff(Duration.ofMillis(5), 2, Duration.ofSeconds(30)))
                .scheduler(time)
                .build()
                .chatAsync(request());

        assertThat(time.awaitRequested(2)).isEqualTo(Duration.ofMillis(150));
        time.advance(Duration.ofMillis(149));
        assertThat(call).isNotDone();
        time.advance(Duration.ofMillis(1));
        ChatResponse r = call.get(10, TimeUnit.SECONDS);

        assertThat(r.attempts().get(0).waitAfter()).isEqualTo(Duration.ofMillis(150));
        assertThat(r.attempts().get(1).start()).isEqualTo(VirtualTime.EPOCH.plusMillis(150));
    }

    @Test
    void retryAfterLongerThanTheBackoffCapIsWaitedOutInFull() throws Exception {
        replySequence(status(429).withHeader("Retry-After", "120"), ok());
        VirtualTime time = new VirtualTime();
        CompletableFuture<ChatResponse> call = client().backoff(
                        new Backoff(Duration.ofMillis(5), 2, Duration.ofMillis(300)))
                .scheduler(time)
                .build()
                .chatAsync(request());

        assertThat(time.awaitRequested(2))
                .as("the server's wait, not the 300 ms cap")
                .isEqualTo(Duration.ofSeconds(120));
        time.advance(Duration.ofMillis(119_999));
        assertThat(call).as("never retried early").isNotDone();
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        time.advance(Duration.ofMillis(1));
        ChatResponse r = call.get(10, TimeUnit.SECONDS);

        assertThat(r.attempts()).extracting(Attempt::httpStatus).containsExactly(429, 200);
        assertThat(r.attempts().get(0).waitAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(r.attempts().get(1).start()).isEqualTo(VirtualTime.EPOCH.plusSeconds(120));
    }

    @Test
    void backoffWaitsAreTheJitteredCeilingsAndEachRetryStartsWhenItsWaitEnds() throws Exception {
        replySequence(status(503), status(503), status(503), ok());
        VirtualTime time = new VirtualTime();
        Backoff backoff = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));
        CompletableFuture<ChatResponse> call = client().backoff(backoff)
                .random(new Random(7))
                .scheduler(time)
                .build()
                .chatAsync(request());

        time.runThroughWaits(call);
        ChatResponse r = call.get(10, TimeUnit.SECONDS);

        // The same seed draws the same waits: full jitter under ceilings of 1, 2 and 4 s.
        Random same = new Random(7);
        List<Duration> expected = List.of(backoff.wait(1, same), backoff.wait(2, same), backoff.wait(3, same));
        assertThat(r.attempts())
                .extracting(Attempt::waitAfter)
                .containsExactly(expected.get(0), expected.get(1), expected.get(2), Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(expected.get(i)).isLessThanOrEqualTo(backoff.ceiling(i + 1));
            Attempt before = r.attempts().get(i);
            // Timers take whole milliseconds, so a wait is rounded up to the next one, never down.
            assertThat(Duration.between(
                            before.start().plus(before.duration()),
                            r.attempts().get(i + 1).start()))
                    .isEqualTo(Duration.ofMillis((expected.get(i).toNanos() + 999_999) / 1_000_000));
        }
        assertThat(r.content()).isEqualTo("ok");
    }

    @Test
    void retryAfterPastTheDeadlineFailsAtOnce() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(status(429).withHeader("Retry-After", "5")));
        VirtualTime time = new VirtualTime();
        ResilientChatClient client = client().backoff(new Backoff(Duration.ofMillis(5), 2, Duration.ofSeconds(30)))
                .scheduler(time)
                .build();

        LlmException e = LlmException.from(client.chatAsync(Replies.request(Duration.ofSeconds(2)))
                .handle((r, t) -> t)
                .get(10, TimeUnit.SECONDS));

        assertThat(time.requested())
                .as("the deadline only: no wait was started")
                .containsExactly(Duration.ofSeconds(2));
        assertThat(time.elapsed()).isZero();
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.attemptCount()).isEqualTo(1);
        assertThat(e.getMessage())
                .contains("not retried: waiting 5.0 s as the server asked would pass the call's deadline");
    }

    @Test
    void eachRetryIsLoggedAtWarnWithoutTheKey() {
        // The server echoes the key in its error, as misconfigured gateways do.
        replySequence(
                status(503, "{\"error\":{\"message\":\"bad upstream key " + HttpTestBackend.KEY + "\"}}"),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                ok());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            client().build().chat(request());
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log)
                .containsPattern("WARN .*attempt 1/5 for acme/judge-1 failed: 503 Service Unavailable; "
                        + "retrying in \\d+\\.\\d s");
        assertThat(log).containsPattern("WARN .*attempt 2/5 for acme/judge-1 failed: CONNECTION: .*; retrying in");
        assertThat(log).doesNotContain(HttpTestBackend.KEY);
    }

    @Test
    void backoffCeilingsGrowByTheFactorUpToTheCap() {
        Backoff b = Backoff.DEFAULT;
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7).stream().map(b::ceiling).toList())
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
        Random random = new Random(7);
        for (int attempt = 1; attempt < 10; attempt++) {
            assertThat(b.wait(attempt, random)).isBetween(Duration.ZERO, b.ceiling(attempt));
        }
    }
}
