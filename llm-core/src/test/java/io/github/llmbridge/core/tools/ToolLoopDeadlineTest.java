package io.github.llmbridge.core.tools;

import static io.github.llmbridge.core.tools.Replies.MODEL;
import static io.github.llmbridge.core.tools.Replies.TIME;
import static io.github.llmbridge.core.tools.Replies.WEATHER;
import static io.github.llmbridge.core.tools.Replies.answers;
import static io.github.llmbridge.core.tools.Replies.call;
import static io.github.llmbridge.core.tools.Replies.callsTools;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.tools.Replies.Weather;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One deadline bounds the whole loop, and a caller who gives up stops it. The deadlines run on
 * {@link VirtualClock}, so the time each round is sent with is asserted to the nanosecond;
 * {@link #theRealClockEndsALoopWhoseModelNeverAnswers} checks that the real clock is the default.
 */
class ToolLoopDeadlineTest {

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model(MODEL).user("Weather in Oslo?").build();

    private final VirtualClock clock = new VirtualClock();
    private final ManualChatClient model = new ManualChatClient();
    private final List<String> ran = new ArrayList<>();

    private ToolLoop.Builder loop(Duration toolTakes) {
        return ToolLoop.builder()
                .clock(clock)
                .tool(WEATHER, Weather.class, w -> {
                    ran.add("get_weather");
                    clock.advance(toolTakes);
                    return "21";
                })
                .tool(TIME, args -> {
                    ran.add("get_time");
                    return "14:05";
                });
    }

    @Test
    void eachRoundIsSentWithTheTimeLeftAndTheLoopFailsAsTimeoutNamingTheRoundsDone() throws Exception {
        CompletableFuture<ToolLoopResult> run = loop(Duration.ofMillis(100))
                .deadline(Duration.ofSeconds(1))
                .build()
                .runAsync(model, REQUEST);

        ManualChatClient.Pending first = model.next();
        assertThat(first.request().timeout()).contains(Duration.ofSeconds(1));
        assertThat(clock.requested()).as("one timer, the loop's deadline").containsExactly(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(400));
        first.reply().complete(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")));

        ManualChatClient.Pending second = model.next();
        assertThat(second.request().timeout())
                .as("1 s less 400 ms for round 1 and 100 ms for its tool")
                .contains(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(499));
        assertThat(run).as("a millisecond before the deadline").isNotDone();
        clock.advance(Duration.ofMillis(1));

        LlmException e = failure(run);
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .isEqualTo("tool loop ran out of its 1 s deadline while waiting for the model's reply in round 2"
                        + " (1 round done: round 1 called get_weather; 1 tool call finished)");
        assertThat(second.reply()).as("the call in flight is cancelled").isCancelled();
        assertThat(model.calls()).hasSize(2);
    }

    @Test
    void theRequestsOwnTimeoutBoundsTheLoopWhenTheLoopHasNoDeadline() throws Exception {
        CompletableFuture<ToolLoopResult> run = loop(Duration.ofMillis(300))
                .build()
                .runAsync(
                        model,
                        REQUEST.toBuilder().timeout(Duration.ofSeconds(2)).build());

        ManualChatClient.Pending first = model.next();
        assertThat(first.request().timeout()).contains(Duration.ofSeconds(2));
        assertThat(clock.requested()).containsExactly(Duration.ofSeconds(2));
        first.reply().complete(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")));
        ManualChatClient.Pending second = model.next();
        assertThat(second.request().timeout()).contains(Duration.ofMillis(1700));
        second.reply().complete(answers("21 °C"));

        assertThat(run.get(1, TimeUnit.SECONDS).content()).isEqualTo("21 °C");
        assertThat(clock.hasLiveTimer())
                .as("the deadline's timer is cancelled at the end")
                .isFalse();
    }

    @Test
    void aToolThatRunsPastTheDeadlineEndsTheLoopAndNoFurtherToolOrRoundStarts() throws Exception {
        CompletableFuture<ToolLoopResult> run = loop(Duration.ofSeconds(2))
                .deadline(Duration.ofSeconds(1))
                .build()
                .runAsync(model, REQUEST);

        model.next()
                .reply()
                .complete(callsTools(
                        call("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                        call("call_2", "get_time", "{\"zone\": \"UTC\"}")));

        LlmException e = failure(run);
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .isEqualTo("tool loop ran out of its 1 s deadline while the tools of round 1 ran"
                        + " (1 round done: round 1 called get_weather, get_time; 0 tool calls finished)");
        assertThat(ran)
                .as("the running tool finished; the next one never started")
                .containsExactly("get_weather");
        assertThat(model.calls()).hasSize(1);
    }

    @Test
    void whenTheTimeIsUpBeforeARoundStartsItIsNotSent() throws Exception {
        // jump: the time passes without the timer firing, as when the timer thread is late
        ToolLoop slowTimer = ToolLoop.builder()
                .clock(clock)
                .deadline(Duration.ofSeconds(1))
                .tool(WEATHER, Weather.class, w -> {
                    clock.jump(Duration.ofSeconds(1));
                    return "21";
                })
                .build();
        CompletableFuture<ToolLoopResult> run = slowTimer.runAsync(model, REQUEST);

        model.next().reply().complete(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")));

        LlmException e = failure(run);
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .isEqualTo("tool loop ran out of its 1 s deadline before round 2 started"
                        + " (1 round done: round 1 called get_weather; 1 tool call finished)");
        assertThat(model.calls()).hasSize(1);
    }

    @Test
    void aRoundThatTimesOutBeneathAtTheDeadlineIsReportedAsTheLoopsTimeout() throws Exception {
        CompletableFuture<ToolLoopResult> run =
                loop(Duration.ZERO).deadline(Duration.ofSeconds(1)).build().runAsync(model, REQUEST);
        ManualChatClient.Pending first = model.next();

        clock.jump(Duration.ofSeconds(1));
        LlmException beneath = LlmException.builder(ErrorCategory.TIMEOUT, "call timed out after 1000 ms")
                .attemptCount(1)
                .build();
        first.reply().completeExceptionally(beneath);

        LlmException e = failure(run);
        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .isEqualTo("tool loop ran out of its 1 s deadline while waiting for the model's reply in round 1"
                        + " (no round done)");
        assertThat(e.getCause()).isSameAs(beneath);
    }

    @Test
    void cancellingTheFutureCancelsTheCallInFlightAndStartsNoRound() throws Exception {
        CompletableFuture<ToolLoopResult> run =
                loop(Duration.ZERO).deadline(Duration.ofSeconds(5)).build().runAsync(model, REQUEST);
        ManualChatClient.Pending first = model.next();

        assertThat(run.cancel(true)).isTrue();

        assertThat(first.reply()).isCancelled();
        assertThat(LlmException.from(catchFailure(run)).category()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(clock.hasLiveTimer()).isFalse();
        assertThat(model.calls()).hasSize(1);
    }

    @Test
    void cancellingWhileToolsRunStartsNoFurtherToolOrRound() throws Exception {
        ExecutorService tools = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch toolStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ToolLoop blocking = ToolLoop.builder()
                    .toolExecutor(tools)
                    .tool(WEATHER, Weather.class, w -> {
                        ran.add("get_weather");
                        toolStarted.countDown();
                        return release.await(10, TimeUnit.SECONDS) ? "21" : "timed out";
                    })
                    .tool(TIME, args -> {
                        ran.add("get_time");
                        return "14:05";
                    })
                    .build();
            CompletableFuture<ToolLoopResult> run = blocking.runAsync(model, REQUEST);
            model.next()
                    .reply()
                    .complete(callsTools(
                            call("call_1", "get_weather", "{\"city\": \"Oslo\"}"), call("call_2", "get_time", "{}")));
            assertThat(toolStarted.await(10, TimeUnit.SECONDS)).isTrue();

            run.cancel(true);
            release.countDown();
            tools.submit(() -> {}).get(10, TimeUnit.SECONDS); // the tool task, and what it completes, is over

            assertThat(ran).containsExactly("get_weather");
            assertThat(model.calls()).hasSize(1);
        } finally {
            tools.shutdownNow();
        }
    }

    @Test
    void interruptingABlockingRunCancelsTheCallInFlightAndKeepsTheFlag() throws Exception {
        AtomicReference<LlmException> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            try {
                loop(Duration.ZERO).build().run(model, REQUEST);
            } catch (LlmException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        runner.start();
        ManualChatClient.Pending first = model.next();

        runner.interrupt();
        runner.join(10_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(thrown.get().category()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(thrown.get().getMessage()).isEqualTo("interrupted while running the tool loop");
        assertThat(flagKept).isTrue();
        assertThat(first.reply()).isCancelled();
    }

    @Test
    void theRealClockEndsALoopWhoseModelNeverAnswers() throws Exception {
        ScriptedChatClient scripted = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .after(Duration.ofMinutes(5))
                .reply("too late");
        ToolLoop real = ToolLoop.builder()
                .tool(TIME, args -> "14:05")
                .deadline(Duration.ofMillis(300))
                .build();

        long started = System.nanoTime();
        LlmException e = failure(real.runAsync(scripted, REQUEST));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(e.getMessage())
                .startsWith("tool loop ran out of its 300 ms deadline while waiting for the"
                        + " model's reply in round 2 (1 round done: round 1 called get_time; 1 tool call finished)");
        assertThat(scripted.requests().get(1).timeout())
                .hasValueSatisfying(t -> assertThat(t).isPositive().isLessThanOrEqualTo(Duration.ofMillis(300)));
        assertThat(tookMillis)
                .as("ended by the deadline, not by the 5-minute reply")
                .isLessThan(60_000);
    }

    @Test
    void theResilienceLayerEnforcesTheTimeLeftThatEachRoundCarries() throws Exception {
        // The loop's own timer never fires here (virtual time that no one advances), so the round
        // can end only by the time limit it was sent with, which the resilience layer enforces.
        ScriptedChatClient scripted = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .after(Duration.ofMinutes(5))
                .reply("too late");
        ToolLoop loop = ToolLoop.builder()
                .clock(clock)
                .tool(TIME, args -> "14:05")
                .deadline(Duration.ofMillis(400))
                .build();
        try (ResilientChatClient resilient = ResilientChatClient.builder(scripted)
                .deadline(Duration.ofMinutes(10))
                .build()) {
            LlmException e = failure(loop.runAsync(resilient, REQUEST));

            // failed within failure()'s 10 s: by the round's 400 ms, not the layer's 10 minutes
            assertThat(e.category()).isEqualTo(ErrorCategory.TIMEOUT);
            assertThat(e.getMessage())
                    .startsWith("tool loop round 2 failed (1 round done: round 1 called get_time; 1 tool call"
                            + " finished): ");
            assertThat(e.getCause()).isInstanceOfSatisfying(LlmException.class, beneath -> {
                assertThat(beneath.category()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(beneath.attemptCount()).isEqualTo(1);
            });
        }
    }

    private static LlmException failure(CompletableFuture<ToolLoopResult> run) throws Exception {
        return LlmException.from(catchFailure(run));
    }

    private static Throwable catchFailure(CompletableFuture<ToolLoopResult> run) throws Exception {
        try {
            run.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return e;
        }
        throw new AssertionError("the loop did not fail: " + run.get());
    }
}
