package io.github.llmbridge.core.tools;

import static io.github.llmbridge.core.tools.Replies.MODEL;
import static io.github.llmbridge.core.tools.Replies.TIME;
import static io.github.llmbridge.core.tools.Replies.WEATHER;
import static io.github.llmbridge.core.tools.Replies.call;
import static io.github.llmbridge.core.tools.Replies.callsTools;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.tools.Replies.Weather;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where the tools run, which session the rounds belong to, and tools run at once. */
class ToolLoopThreadsTest {

    private static final ChatRequest REQUEST =
            ChatRequest.builder().model(MODEL).user("Weather and time in Oslo?").build();

    @Test
    void aBlockingRunRunsTheToolsOnTheCallingThreadWhereverTheReplyCompleted() {
        List<Thread> toolThreads = new CopyOnWriteArrayList<>();
        ToolLoop loop = ToolLoop.builder()
                .tool(TIME, args -> {
                    toolThreads.add(Thread.currentThread());
                    return "14:05";
                })
                .build();
        // a delayed reply completes on a library thread, not on this one
        ScriptedChatClient model = new ScriptedChatClient()
                .after(Duration.ofMillis(20))
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .reply("14:05");

        loop.run(model, REQUEST);

        assertThat(toolThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void theSessionOfTheCallerOwnsEveryRoundAndEveryToolOnAnyThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            List<Optional<LlmSession>> seenByTools = new CopyOnWriteArrayList<>();
            ToolLoop loop = ToolLoop.builder()
                    .toolExecutor(pool)
                    .tool(TIME, args -> {
                        seenByTools.add(LlmSession.current());
                        return "14:05";
                    })
                    .build();
            ScriptedChatClient model = new ScriptedChatClient()
                    .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                    .reply("14:05");

            LlmSession rollout = LlmSession.open("rollout-7", Map.of("rollout", 7));
            ToolLoopResult r;
            try (rollout) {
                r = loop.runAsync(model, REQUEST).get(10, TimeUnit.SECONDS);
            }

            assertThat(r.rounds()).isEqualTo(2);
            assertThat(seenByTools).containsExactly(Optional.of(rollout));
            // round 2 was started by the tool's thread, which has no session of its own
            assertThat(model.calls())
                    .extracting(ScriptedChatClient.Call::session)
                    .containsExactly(Optional.of(rollout), Optional.of(rollout));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inParallelTheCallsOfOneReplyRunAtOnceAndTheirResultsKeepTheModelsOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothStarted = new CountDownLatch(2);
            CountDownLatch weatherMayReturn = new CountDownLatch(1);
            ToolLoop loop = ToolLoop.builder()
                    .toolExecutor(pool)
                    .parallelToolExecution(true)
                    .tool(WEATHER, Weather.class, w -> {
                        bothStarted.countDown();
                        // returns last: only once the time tool has returned
                        return weatherMayReturn.await(10, TimeUnit.SECONDS) ? "21" : "waited in vain";
                    })
                    .tool(TIME, args -> {
                        bothStarted.countDown();
                        boolean together = bothStarted.await(10, TimeUnit.SECONDS);
                        weatherMayReturn.countDown();
                        return together ? "14:05" : "ran alone";
                    })
                    .build();
            ScriptedChatClient model = new ScriptedChatClient()
                    .reply(callsTools(
                            call("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                            call("call_2", "get_time", "{\"zone\": \"UTC\"}")))
                    .reply("21 °C at 14:05");

            ToolLoopResult r = loop.runAsync(model, REQUEST).get(20, TimeUnit.SECONDS);

            assertThat(model.requests().get(1).messages().subList(2, 4))
                    .containsExactly(ChatMessage.toolResult("call_1", "21"), ChatMessage.toolResult("call_2", "14:05"));
            assertThat(r.toolExecutions()).extracting(e -> e.call().id()).containsExactly("call_1", "call_2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutParallelExecutionTheCallsRunOneAfterAnotherInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<String> order = new CopyOnWriteArrayList<>();
            ToolLoop loop = ToolLoop.builder()
                    .toolExecutor(pool)
                    .tool(WEATHER, Weather.class, w -> {
                        order.add("weather start");
                        order.add("weather end");
                        return "21";
                    })
                    .tool(TIME, args -> {
                        order.add("time start");
                        order.add("time end");
                        return "14:05";
                    })
                    .build();
            ScriptedChatClient model = new ScriptedChatClient()
                    .reply(callsTools(
                            call("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                            call("call_2", "get_time", "{\"zone\": \"UTC\"}")))
                    .reply("done");

            loop.runAsync(model, REQUEST).get(10, TimeUnit.SECONDS);

            assertThat(order).containsExactly("weather start", "weather end", "time start", "time end");
        } finally {
            pool.shutdownNow();
        }
    }
}
