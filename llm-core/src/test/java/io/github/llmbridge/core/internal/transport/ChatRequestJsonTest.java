package io.github.llmbridge.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ResponseFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesOnlyTheFieldsThatAreSet() throws Exception {
        ChatRequest r = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .user("hi")
                .metadata("step", 1)
                .build();
        assertThat(ChatRequestJson.write(r)).isEqualTo(mapper.readTree("""
                {"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"""));
    }

    @Test
    void writesEveryTypedFieldWithOpenAiNames() throws Exception {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .system("s")
                .user("u")
                .assistant("a")
                .temperature(0.0)
                .topP(0.9)
                .maxTokens(16384)
                .stop("A", "B")
                .seed(42L)
                .responseFormat(ResponseFormat.jsonSchema(
                        "score",
                        mapper.readTree("{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"number\"}}}"),
                        true))
                .frequencyPenalty(0.1)
                .presencePenalty(0.2)
                .endUser("u-1")
                .build();
        assertSameJson(ChatRequestJson.write(r), mapper.readTree("""
                {"model":"m",
                 "messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}],
                 "temperature":0.0,"top_p":0.9,"max_tokens":16384,"stop":["A","B"],"seed":42,
                 "response_format":{"type":"json_schema","json_schema":{"name":"score","strict":true,
                    "schema":{"type":"object","properties":{"score":{"type":"number"}}}}},
                 "frequency_penalty":0.1,"presence_penalty":0.2,"user":"u-1"}"""));
    }

    /** Compares numbers by value: the writer uses a long for the seed, the parser an int. */
    private static void assertSameJson(JsonNode actual, JsonNode expected) {
        Comparator<JsonNode> byValue = (a, b) -> a.equals(b)
                ? 0
                : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        assertThat(actual.equals(byValue, expected))
                .as("%s%nshould equal%n%s", actual, expected)
                .isTrue();
    }

    @Test
    void extraBodyIsPassedThroughVerbatimAndWinsOverTypedFields() throws Exception {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .user("u")
                .temperature(0.5)
                .responseFormat(ResponseFormat.jsonObject())
                .extraBody("temperature", 0.7)
                .extraBody("provider", Map.of("order", List.of("openai", "azure"), "allow_fallbacks", false))
                .extraBody("transforms", List.of("middle-out"))
                .extraBody("raw", mapper.readTree("{\"nested\":{\"x\":null}}"))
                .build();
        assertThat(ChatRequestJson.write(r)).isEqualTo(mapper.readTree("""
                {"model":"m","messages":[{"role":"user","content":"u"}],"temperature":0.7,
                 "response_format":{"type":"json_object"},
                 "provider":{"order":["openai","azure"],"allow_fallbacks":false},
                 "transforms":["middle-out"],"raw":{"nested":{"x":null}}}"""));
    }
}
