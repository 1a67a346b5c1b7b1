package io.github.llmbridge.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Tool;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.internal.Json;
import java.util.List;

/** Replies and tools the tool-loop tests script. */
final class Replies {

    static final String MODEL = "acme/agent";

    record Weather(String city) {}

    static final Tool WEATHER = Tool.function("get_weather", "Current weather in a city", schema("city"));
    static final Tool TIME = Tool.function("get_time", "Local time in an IANA time zone", schema("zone"));

    private Replies() {}

    /** A reply whose message calls the given tools, as a provider sends it. */
    static ChatResponse callsTools(ToolCall... calls) {
        return ChatResponse.builder()
                .id("chatcmpl-tools")
                .model(MODEL)
                .backend("scripted")
                .choices(List.of(new Choice(0, ChatMessage.assistant(List.of(calls)), FinishReason.TOOL_CALLS)))
                .build();
    }

    /** A plain answer. */
    static ChatResponse answers(String text) {
        return ChatResponse.builder()
                .model(MODEL)
                .backend("scripted")
                .content(text)
                .build();
    }

    static ToolCall call(String id, String name, String arguments) {
        return ToolCall.function(id, name, arguments);
    }

    /** A JSON Schema of an object with one required string property. */
    static JsonNode schema(String property) {
        try {
            return Json.MAPPER.readTree("{\"type\": \"object\", \"properties\": {\"" + property
                    + "\": {\"type\": \"string\"}}, \"required\": [\"" + property + "\"]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
