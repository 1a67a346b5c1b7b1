package io.github.llmbridge.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.JsonSchemas;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "Run a two-tool agent loop", as written there, against a scripted model. */
class ReadmeExampleTest {

    record Weather(String city) {}

    record Zone(String zone) {}

    @Test
    void theTwoToolAgentLoopOfTheReadmeRuns() {
        ChatClient client = new ScriptedChatClient()
                .reply(Replies.callsTools(
                        Replies.call("call_1", "get_weather", "{\"city\": \"Oslo\"}"),
                        Replies.call("call_2", "get_time", "{\"zone\": \"Europe/Oslo\"}")))
                .reply("It is 21 °C in Oslo.");

        // --- README snippet
        ToolLoop loop = ToolLoop.builder()
                .tool(
                        "get_weather",
                        "Current weather in a city",
                        Weather.class, // schema from the record
                        w -> Map.of("city", w.city(), "celsius", 21))
                .tool(
                        "get_time",
                        "Local time in an IANA time zone",
                        Zone.class,
                        z -> ZonedDateTime.now(ZoneId.of(z.zone()))
                                .toLocalTime()
                                .toString())
                .maxRounds(6) // default 10
                .deadline(Duration.ofMinutes(2)) // the whole loop; without it, the request's timeout()
                .build();

        ToolLoopResult r = loop.run(
                client,
                ChatRequest.builder()
                        .model("openai/gpt-4o-mini")
                        .user("What's the weather and the local time in Oslo?")
                        .build());

        System.out.println(r.content()); // the final answer
        System.out.println(r.rounds() + " rounds, " + r.toolExecutions().size() + " tool calls, " + r.toolErrors()
                + " failed; stopped: " + r.stopReason()); // ANSWERED or ROUND_LIMIT
        List<ChatMessage> transcript = r.messages(); // user, assistant + tool calls, tool results, answer
        // --- end of snippet

        assertThat(r.content()).isEqualTo("It is 21 °C in Oslo.");
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.toolErrors()).isZero();
        assertThat(transcript).hasSize(5);
        assertThat(loop.tools().get(0).parameters())
                .isEqualTo(JsonSchemas.of(Weather.class))
                .hasToString("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                        + "\"required\":[\"city\"],\"additionalProperties\":false}");
        assertThat(loop.tools().get(0).strict()).isNull();
    }
}
