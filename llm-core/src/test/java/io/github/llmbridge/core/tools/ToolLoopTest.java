package io.github.llmbridge.core.tools;

import static io.github.llmbridge.core.tools.Replies.MODEL;
import static io.github.llmbridge.core.tools.Replies.TIME;
import static io.github.llmbridge.core.tools.Replies.WEATHER;
import static io.github.llmbridge.core.tools.Replies.call;
import static io.github.llmbridge.core.tools.Replies.callsTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.ToolChoice;
import io.github.llmbridge.core.contract.OpenAiRequestSchema;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import io.github.llmbridge.core.tools.Replies.Weather;
import io.github.llmbridge.core.tools.ToolExecution.Outcome;
import io.github.llmbridge.core.tools.ToolLoopResult.StopReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The tool loop's conversation: what each round sends, and what happens to calls that cannot be used. */
class ToolLoopTest {

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model(MODEL)
            .user("Weather and time in Oslo?")
            .metadata("episode", 7)
            .build();

    private final List<String> ran = new ArrayList<>();

    private ToolLoop.Builder weatherAndTime() {
        return ToolLoop.builder()
                .tool(WEATHER, Weather.class, w -> {
                    ran.add("get_weather " + w.city());
                    return Map.of("celsius", 21);
                })
                .tool(TIME, args -> {
                    ran.add("get_time " + args.get("zone").asText());
                    return "14:05";
                });
    }

    @Test
    void twoToolsInTwoRoundsSendTheCallsAndOneResultPerCallInTheModelsOrder() {
        ToolCall weather = call("call_1", "get_weather", "{\"city\": \"Oslo\"}");
        ToolCall time = call("call_2", "get_time", "{\"zone\": \"Europe/Oslo\"}");
        ScriptedChatClient model =
                new ScriptedChatClient().reply(callsTools(weather, time)).reply("It is 21 °C and 14:05 in Oslo.");

        ToolLoopResult r = weatherAndTime().build().run(model, REQUEST);

        assertThat(ran).containsExactly("get_weather Oslo", "get_time Europe/Oslo");
        assertThat(model.requests()).hasSize(2);
        ChatRequest first = model.requests().get(0);
        assertThat(first.messages()).containsExactly(ChatMessage.user("Weather and time in Oslo?"));
        assertThat(first.tools()).containsExactly(WEATHER, TIME);
        assertThat(first.metadata()).containsExactly(Map.entry("episode", 7), Map.entry("tool_round", 1));
        ChatRequest second = model.requests().get(1);
        assertThat(second.model()).isEqualTo(MODEL);
        assertThat(second.messages())
                .containsExactly(
                        ChatMessage.user("Weather and time in Oslo?"),
                        ChatMessage.assistant(List.of(weather, time)),
                        ChatMessage.toolResult("call_1", "{\"celsius\":21}"),
                        ChatMessage.toolResult("call_2", "14:05"));
        assertThat(second.tools()).containsExactly(WEATHER, TIME);
        assertThat(second.metadata()).containsExactly(Map.entry("episode", 7), Map.entry("tool_round", 2));
        assertThat(second.timeout())
                .as("no deadline anywhere: the client's default applies")
                .isEmpty();
        // the bodies on the wire (tools, the assistant's tool_calls, tool messages) are valid for OpenAI
        OpenAiRequestSchema.assertValid(ChatRequestJson.write(first));
        OpenAiRequestSchema.assertValid(ChatRequestJson.write(second));

        assertThat(r.stopReason()).isEqualTo(StopReason.ANSWERED);
        assertThat(r.content()).isEqualTo("It is 21 °C and 14:05 in Oslo.");
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.responses()).hasSize(2);
        List<ChatMessage> transcript = new ArrayList<>(second.messages());
        transcript.add(ChatMessage.assistant("It is 21 °C and 14:05 in Oslo."));
        assertThat(r.messages()).isEqualTo(transcript);
        assertThat(r.toolExecutions())
                .extracting(ToolExecution::round, e -> e.call().id(), ToolExecution::outcome, ToolExecution::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "call_1", Outcome.OK, "{\"celsius\":21}"),
                        org.assertj.core.groups.Tuple.tuple(1, "call_2", Outcome.OK, "14:05"));
        assertThat(r.toolErrors()).isZero();
    }

    @Test
    void theToolsOfTheRequestAreSentAsTheyAreWhenItHasSome() {
        ScriptedChatClient model = new ScriptedChatClient().reply("No tools needed.");
        Tool strictTime = TIME.withStrict(true);

        weatherAndTime()
                .build()
                .run(model, REQUEST.toBuilder().tools(strictTime).build());

        assertThat(model.lastRequest().tools()).containsExactly(strictTime);
    }

    @Test
    void aRegisteredToolTheRequestDidNotOfferIsUnknownToTheConversation() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")))
                .reply("I only know the time.");

        ToolLoopResult r = weatherAndTime()
                .build()
                .run(model, REQUEST.toBuilder().tools(TIME).build());

        assertThat(ran).isEmpty();
        assertThat(r.toolExecutions().get(0).outcome()).isEqualTo(Outcome.UNKNOWN_TOOL);
        assertThat(r.toolExecutions().get(0).result())
                .isEqualTo("Error: there is no tool named 'get_weather'. The tools are: get_time.");
    }

    @Test
    void anUnknownToolIsAnsweredWithAnErrorListingTheToolsAndTheLoopGoesOn() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_wether", "{\"city\": \"Oslo\"}")))
                .reply("Sorry, 21 °C.");

        ToolLoopResult r = weatherAndTime().build().run(model, REQUEST);

        assertThat(ran).isEmpty();
        assertThat(model.requests().get(1).messages().get(2))
                .isEqualTo(ChatMessage.toolResult(
                        "call_1", "Error: there is no tool named 'get_wether'. The tools are: get_weather, get_time."));
        assertThat(r.toolExecutions()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN_TOOL);
            assertThat(e.failure()).isNull();
        });
        assertThat(r.toolErrors()).isEqualTo(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.ANSWERED);
        assertThat(r.content()).isEqualTo("Sorry, 21 °C.");
    }

    @Test
    void malformedArgumentsAreAnsweredWithTheParsersReasonWithoutCallingTheTool() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"")))
                .reply("21 °C.");

        ToolLoopResult r = weatherAndTime().build().run(model, REQUEST);

        assertThat(ran).as("the function never saw the bad arguments").isEmpty();
        ToolExecution e = r.toolExecutions().get(0);
        assertThat(e.outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
        assertThat(e.result())
                .startsWith("Error: the model's arguments for tool 'get_weather' (call call_1) cannot be used: they are"
                        + " not valid JSON (")
                .endsWith(". Call the tool again with arguments that are a JSON object matching its parameters.");
        assertThat(model.requests().get(1).messages().get(2)).isEqualTo(ChatMessage.toolResult("call_1", e.result()));
        assertThat(e.failure())
                .isInstanceOfSatisfying(
                        LlmException.class, x -> assertThat(x.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
        assertThat(r.toolErrors()).isEqualTo(1);
        assertThat(r.content()).isEqualTo("21 °C.");
    }

    @Test
    void argumentsThatDoNotFitTheTypeAreAnsweredTheSameWay() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_weather", "{\"city\": {\"name\": \"Oslo\"}}")))
                .reply("21 °C.");

        ToolLoopResult r = weatherAndTime().build().run(model, REQUEST);

        assertThat(ran).isEmpty();
        assertThat(r.toolExecutions().get(0).outcome()).isEqualTo(Outcome.INVALID_ARGUMENTS);
        assertThat(r.toolExecutions().get(0).result()).contains("they do not fit Weather");
    }

    @Test
    void aToolThatThrowsIsAnsweredWithItsErrorKeptInTheResultAndTheLoopGoesOn() {
        IllegalStateException down = new IllegalStateException("weather service is down");
        ToolLoop loop = ToolLoop.builder()
                .tool(WEATHER, Weather.class, w -> {
                    throw down;
                })
                .tool(TIME, args -> "14:05")
                .build();
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(
                        call("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                        call("call_2", "get_time", "{\"zone\": \"Europe/Oslo\"}")))
                .reply("It is 14:05; the weather is unknown.");

        ToolLoopResult r = loop.run(model, REQUEST);

        assertThat(model.requests().get(1).messages().subList(2, 4))
                .containsExactly(
                        ChatMessage.toolResult(
                                "call_1",
                                "Error: tool 'get_weather' failed: IllegalStateException: weather service is down"),
                        ChatMessage.toolResult("call_2", "14:05"));
        assertThat(r.toolExecutions()).extracting(ToolExecution::outcome).containsExactly(Outcome.FAILED, Outcome.OK);
        assertThat(r.toolExecutions().get(0).failure()).isSameAs(down);
        assertThat(r.toolErrors()).isEqualTo(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.ANSWERED);
    }

    @Test
    void anErrorThrownByAToolEndsTheLoop() {
        ToolLoop loop = ToolLoop.builder()
                .tool(WEATHER, Weather.class, w -> {
                    throw new AssertionError("bug in the tool");
                })
                .build();
        ScriptedChatClient model =
                new ScriptedChatClient().reply(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")));

        LlmException e = catchThrowableOfType(LlmException.class, () -> loop.run(model, REQUEST));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage()).contains("round 1", "bug in the tool");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class);
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void atTheRoundLimitTheLastToolsRunAndTheResultSaysSoWithTheWholeTranscript() {
        ScriptedChatClient model = new ScriptedChatClient();
        for (int i = 1; i <= 4; i++) {
            model.reply(callsTools(call("call_" + i, "get_time", "{\"zone\": \"UTC\"}")));
        }

        ToolLoopResult r = weatherAndTime().maxRounds(3).build().run(model, REQUEST);

        assertThat(model.requests()).as("three rounds, no fourth call").hasSize(3);
        assertThat(model.remaining()).isEqualTo(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.ROUND_LIMIT);
        assertThat(r.rounds()).isEqualTo(3);
        assertThat(r.toolExecutions()).extracting(ToolExecution::round).containsExactly(1, 2, 3);
        assertThat(ran).hasSize(3);
        assertThat(r.response().toolCalls()).extracting(ToolCall::id).containsExactly("call_3");
        assertThat(r.content()).isEmpty();
        // user, then (assistant, tool) for each round: every call answered, so it can be continued
        assertThat(r.messages()).hasSize(7);
        assertThat(r.messages().get(6)).isEqualTo(ChatMessage.toolResult("call_3", "14:05"));
        ChatRequest continued = REQUEST.toBuilder().messages(r.messages()).build();
        assertThat(continued.messages()).hasSize(7);
    }

    @Test
    void aFailedRoundFailsTheLoopWithItsCategoryNamingTheRoundsDone() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_weather", "{\"city\": \"Oslo\"}")))
                .fail(ErrorCategory.RATE_LIMITED, "slow down");

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> weatherAndTime().build().run(model, REQUEST));

        assertThat(e.category()).isEqualTo(ErrorCategory.RATE_LIMITED);
        assertThat(e.getMessage())
                .isEqualTo("tool loop round 2 failed (1 round done: round 1 called get_weather; 1 tool call finished):"
                        + " slow down");
        assertThat(e.getCause()).isInstanceOf(LlmException.class).hasMessage("slow down");
    }

    @Test
    void aFailOpenPlaceholderFailsTheLoopWithTheFailureBehindIt() {
        LlmException behind =
                LlmException.builder(ErrorCategory.SERVER_ERROR, "upstream 503").build();
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(ChatResponse.builder().model(MODEL).error(behind).build());

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> weatherAndTime().build().run(model, REQUEST));

        assertThat(e.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
        assertThat(e.getMessage()).isEqualTo("tool loop round 1 failed (no round done): upstream 503");
    }

    @Test
    void aToolChoiceThatForcesACallIsSentInTheFirstRoundOnly() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .reply("14:05");

        ToolLoop loop = weatherAndTime().build();
        // ChatRequest takes a tool choice only beside tools: the loop's are there to be offered
        loop.run(
                model,
                REQUEST.toBuilder()
                        .tools(loop.tools())
                        .toolChoice(ToolChoice.required())
                        .build());

        assertThat(model.requests().get(0).toolChoice()).contains(ToolChoice.required());
        assertThat(model.requests().get(1).toolChoice()).isEmpty();
    }

    @Test
    void aToolChoiceThatForcesNothingIsKept() {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .reply("14:05");

        ToolLoop loop = weatherAndTime().build();
        loop.run(
                model,
                REQUEST.toBuilder()
                        .tools(loop.tools())
                        .toolChoice(ToolChoice.auto())
                        .build());

        assertThat(model.requests().get(1).toolChoice()).contains(ToolChoice.auto());
    }

    @Test
    void resultsThatAreNotTextAreSentAsJson() {
        Map<String, Object> reading = new LinkedHashMap<>();
        reading.put("city", "Oslo");
        reading.put("celsius", 21.5);
        ToolLoop loop = ToolLoop.builder()
                .tool(WEATHER, Weather.class, w -> reading)
                .tool(TIME, args -> null)
                .build();
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(
                        call("call_1", "get_weather", "{\"city\": \"Oslo\"}"), call("call_2", "get_time", "")))
                .reply("ok");

        ToolLoopResult r = loop.run(model, REQUEST);

        assertThat(r.toolExecutions())
                .extracting(ToolExecution::result)
                .containsExactly("{\"city\":\"Oslo\",\"celsius\":21.5}", "null");
    }

    @Test
    void requestsAndLoopsTheLoopCannotRunAreRejectedBeforeAnyCall() {
        ToolLoop loop = weatherAndTime().build();
        ScriptedChatClient model = new ScriptedChatClient();

        assertThatThrownBy(() -> loop.run(model, REQUEST.toBuilder().n(2).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n must be unset or 1");
        Tool other = Tool.function("search", "Web search");
        assertThatThrownBy(() -> loop.runAsync(
                        model, REQUEST.toBuilder().tools(WEATHER, other).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the request offers tool 'search', which the loop has no function for; registered:"
                        + " [get_weather, get_time]");
        assertThat(model.requests()).isEmpty();

        assertThatThrownBy(() -> ToolLoop.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one tool");
        assertThatThrownBy(() -> weatherAndTime().parallelToolExecution(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a toolExecutor");
        assertThatThrownBy(() -> weatherAndTime().tool(TIME, args -> "again"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool 'get_time' is registered twice");
        assertThatThrownBy(() -> ToolLoop.builder().maxRounds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ToolLoop.builder().deadline(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(weatherAndTime()
                        .toolExecutor(Executors.newSingleThreadExecutor())
                        .parallelToolExecution(true)
                        .build()
                        .tools())
                .containsExactly(WEATHER, TIME);
    }

    @Test
    void theAsyncVariantReturnsTheSameResult() throws Exception {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply(callsTools(call("call_1", "get_time", "{\"zone\": \"UTC\"}")))
                .after(java.time.Duration.ofMillis(20))
                .reply("14:05");

        ToolLoopResult r =
                weatherAndTime().build().runAsync(model, REQUEST).get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.content()).isEqualTo("14:05");
        assertThat(r.toString()).isEqualTo("ToolLoopResult[ANSWERED, 2 rounds, 1 tool calls, 4 messages]");
    }
}
