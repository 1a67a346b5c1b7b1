package io.github.llmbridge.core.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The check of request bodies against OpenAI's published schema: what it accepts, what it reports
 * and how, and the WireMock hook that applies it to every body a stub receives.
 */
class OpenAiRequestSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Not registered as a JUnit extension: these tests call afterEach themselves. */
    private final OpenAiBodyCheck hook = new OpenAiBodyCheck();

    @RegisterExtension
    final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(hook))
            .build();

    @Test
    void aMinimalBodyIsValid() {
        JsonNode body = json("{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");

        assertThat(OpenAiRequestSchema.violations(body)).isEmpty();
        assertThat(OpenAiRequestSchema.unknownFields(body)).isEmpty();
        OpenAiRequestSchema.assertValid(body);
    }

    @Test
    void aBodyUsingMostOfWhatOpenAiDefinesIsValid() {
        JsonNode body = json("""
                {"model": "gpt-4o", "messages": [
                   {"role": "developer", "content": "Be brief."},
                   {"role": "user", "name": "ann", "content": [
                     {"type": "text", "text": "What is in the picture?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [
                     {"id": "call_1", "type": "function", "function": {"name": "look", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "a cat"}],
                 "tools": [{"type": "function", "function": {"name": "look", "description": "Looks.", "strict": true,
                   "parameters": {"type": "object", "properties": {}, "required": [], "additionalProperties": false}}}],
                 "tool_choice": {"type": "function", "function": {"name": "look"}}, "parallel_tool_calls": false,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "Score", "strict": true,
                   "schema": {"type": "object"}}},
                 "stop": ["a", "b", "c", "d"], "logprobs": true, "top_logprobs": 20, "n": 2, "seed": 42,
                 "temperature": 0.2, "top_p": 0.9, "max_completion_tokens": 100, "max_tokens": null,
                 "reasoning_effort": "low", "service_tier": "auto", "prompt_cache_key": "k", "user": "u",
                 "metadata": {"run": "7"}, "frequency_penalty": 0.5, "presence_penalty": -0.5}
                """);

        assertThat(OpenAiRequestSchema.violations(body)).isEmpty();
        assertThat(OpenAiRequestSchema.unknownFields(body)).isEmpty();
    }

    @Test
    void fiveStopSequencesAreOneTooMany() {
        assertThat(OpenAiRequestSchema.violations(minimalWith("\"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]")))
                .containsExactly("$.stop: must have at most 4 items but found 5");
    }

    @Test
    void topLogprobsAbove20IsRefused() {
        assertThat(OpenAiRequestSchema.violations(minimalWith("\"logprobs\": true, \"top_logprobs\": 21")))
                .containsExactly("$.top_logprobs: must have a maximum value of 20");
    }

    @Test
    void aToolMessageNeedsAToolCallId() {
        JsonNode body = json("""
                {"model": "m", "messages": [{"role": "user", "content": "Hi"}, {"role": "tool", "content": "42"}]}
                """);

        assertThat(OpenAiRequestSchema.violations(body))
                .containsExactly("$.messages[1]: required property 'tool_call_id' not found");
        assertThatThrownBy(() -> OpenAiRequestSchema.assertValid(body))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("$.messages[1]: required property 'tool_call_id' not found")
                .hasMessageContaining(OpenAiRequestSchema.source());
    }

    @Test
    void anUnknownRoleIsReportedAgainstTheRolesOpenAiDefines() {
        assertThat(OpenAiRequestSchema.violations(
                        json("{\"model\": \"m\", \"messages\": [{\"role\": \"bot\", \"content\": \"Hi\"}]}")))
                .containsExactly("$.messages[0].role: does not have a value in the enumeration"
                        + " [\"developer\", \"system\", \"user\", \"assistant\", \"tool\", \"function\"]");
    }

    @Test
    void aBadContentPartIsReportedInsideThePart() {
        JsonNode body = json("""
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}
                """);

        assertThat(OpenAiRequestSchema.violations(body))
                .containsExactly("$.messages[0].content[0].image_url: required property 'url' not found");
    }

    @Test
    void readsOpenApi30NullableAsNull() {
        // "nullable": true in the published document (rewritten by extract.py) and 3.1's {"type": "null"} alike
        assertThat(OpenAiRequestSchema.violations(minimalWith(
                        "\"max_tokens\": null, \"stop\": null, \"seed\": null, \"n\": null, \"temperature\": null")))
                .isEmpty();
        assertThat(OpenAiRequestSchema.violations(minimalWith("\"n\": \"two\"")))
                .containsExactly("$.n: string found, [integer, null] expected");
        assertThat(OpenAiRequestSchema.violations(minimalWith("\"stop\": 4")))
                .containsExactly("$.stop: integer found, null or string or array expected");
    }

    @Test
    void fieldsOpenAiDoesNotDefineAreListedNotViolations() {
        JsonNode body = minimalWith(
                "\"tags\": [\"a\"], \"models\": [\"x\"], \"provider\": {\"order\": [\"openai\"]}, \"return_token_ids\": true");

        assertThat(OpenAiRequestSchema.violations(body)).isEmpty();
        assertThat(OpenAiRequestSchema.unknownFields(body))
                .containsExactly("$.models", "$.provider", "$.return_token_ids", "$.tags");
    }

    @Test
    void findsUnknownFieldsInsideMessagesAndParts() {
        JsonNode body = json("""
                {"model": "m", "messages": [
                  {"role": "user", "content": [{"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}]},
                  {"role": "assistant", "content": "y", "reasoning_details": []}]}
                """);

        assertThat(OpenAiRequestSchema.violations(body)).isEmpty();
        assertThat(OpenAiRequestSchema.unknownFields(body))
                .containsExactly("$.messages[0].content[0].cache_control", "$.messages[1].reasoning_details");
    }

    @Test
    void reportsEachMessageOnItsOwnThoughAllShareOneSchema() {
        JsonNode body = json("""
                {"model": "m", "messages": [
                  {"role": "system", "content": [{"type": "text", "text": "Rubric.", "cache_control": {"type": "ephemeral"}}]},
                  {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"},
                    "cache_control": {"type": "ephemeral"}}]},
                  {"role": "tool", "content": "42"},
                  {"role": "user", "content": "Grade it."}]}
                """);

        assertThat(OpenAiRequestSchema.violations(body))
                .containsExactly("$.messages[2]: required property 'tool_call_id' not found");
        assertThat(OpenAiRequestSchema.unknownFields(body))
                .containsExactly("$.messages[0].content[0].cache_control", "$.messages[1].content[0].cache_control");
    }

    @Test
    void aBackendsOwnFieldIsNeitherCheckedNorListed() {
        JsonNode body =
                minimalWith("\"metadata\": {\"tags\": [\"a\"], \"rllm_metadata\": {\"session_uids\": [\"s\"]}}");

        assertThat(OpenAiRequestSchema.violations(body))
                .containsExactly(
                        "$.metadata.tags: array found, string expected",
                        "$.metadata.rllm_metadata: object found, string expected");
        assertThat(OpenAiRequestSchema.violations(body, Set.of("metadata"))).isEmpty();
        assertThat(OpenAiRequestSchema.unknownFields(body, Set.of("metadata"))).isEmpty();
    }

    @Test
    void theSchemaIsOpenAisPublishedOneWithItsSourceRecorded() throws Exception {
        JsonNode document;
        try (InputStream in = OpenAiRequestSchema.class.getResourceAsStream(OpenAiRequestSchema.RESOURCE)) {
            document = MAPPER.readTree(in);
        }
        JsonNode source = document.get("x-llmbridge-source");

        assertThat(source.get("repository").asText()).isEqualTo("https://github.com/openai/openai-openapi");
        assertThat(source.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(source.get("components").asInt())
                .isEqualTo(document.at("/components/schemas").size())
                .isEqualTo(59);
        assertThat(document.toString()).doesNotContain("\"nullable\"");
        assertThat(OpenAiRequestSchema.source())
                .isEqualTo("openai/openai-openapi f85dbe2 of 2026-08-21, OpenAPI 3.1.0");
        // as docs/WIRE.md says: 37 properties
        assertThat(OpenAiRequestSchema.definedTopLevelFields())
                .hasSize(37)
                .contains("messages", "model", "stop", "top_logprobs", "tools", "tool_choice", "metadata");
    }

    @Test
    void theWireMockHookChecksEveryChatBodyAndFailsTheTestThatSentABadOne() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}")));

        send("/v1/chat/completions", "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        send("/meta/slug/v1/chat/completions", "{\"model\": \"m\", \"messages\": [], \"tags\": [\"t\"]}");
        send("/admin/flush", "{\"stop\": [1, 2, 3, 4, 5, 6]}"); // not a chat body: not checked

        assertThat(hook.checked()).hasSize(2);
        assertThat(hook.violations())
                .containsExactly("/meta/slug/v1/chat/completions $.messages: must have at least 1 items but found 0");
        assertThat(hook.unknownFields()).containsExactly("$.tags");
        assertThatThrownBy(() -> hook.afterEach(null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("broke it:\n  /meta/slug/v1/chat/completions $.messages: must have at least 1");
        assertThat(hook.checked()).isEmpty(); // forgotten for the next test
        hook.afterEach(null);
    }

    @Test
    void anExpectedViolationMustHappenAndExcusesOnlyItself() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}")));

        hook.expectViolation("$.stop: must have at most 4 items");
        send(
                "/chat/completions",
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
                        + " \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}");
        hook.afterEach(null);

        hook.expectViolation("$.stop: must have at most 4 items");
        send("/chat/completions", "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        assertThatThrownBy(() -> hook.afterEach(null))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not break it as the test expected:\n  $.stop: must have at most 4 items");
    }

    @Test
    void aBackendsOwnFieldsAreLeftOutByTheHook() throws Exception {
        wm.stubFor(post(anyUrl()).willReturn(okJson("{}")));
        hook.ownFields("metadata");

        send(
                "/chat/completions",
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
                        + " \"metadata\": {\"tags\": [\"a\"]}}");

        assertThat(hook.violations()).isEmpty();
        assertThat(hook.unknownFields()).isEmpty();
        hook.afterEach(null);
    }

    private void send(String path, String body) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(wm.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static JsonNode minimalWith(String fields) {
        return json("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], " + fields + "}");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
