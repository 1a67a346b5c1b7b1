package io.github.llmbridge.litellm;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.contract.BackendWireContract;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link LiteLlmChatClient} puts on the wire: the shared contract, plus every spelling of the
 * proxy URL, calls without a key, and the request's metadata as the body's {@code metadata}.
 */
class LiteLlmWireTest extends BackendWireContract {

    private static final String PATH = "/v1/chat/completions";

    LiteLlmWireTest() {
        super(new LiteLlmFixture());
    }

    private static LiteLlmChatClient.Builder client() {
        return LiteLlmChatClient.builder().serverUrl(serverRoot()).apiKey(KEY);
    }

    @ParameterizedTest(name = "proxy URL suffix \"{0}\"")
    @ValueSource(strings = {"", "/", "/v1", "/v1/", "//"})
    void postsToV1ChatCompletionsWhateverTheProxyUrlSpelling(String suffix) {
        try (LiteLlmChatClient c = client().serverUrl(serverRoot() + suffix).build()) {
            assertThat(c.serverUrl()).isEqualTo(URI.create(serverRoot()));
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo(PATH);
        assertThat(onlyRequest().getMethod().getName()).isEqualTo("POST");
    }

    @Test
    void keepsAPathPrefixSuchAsRllmSessionMetadata() {
        String slug = "rllm1:eyJzZXNzaW9uX25hbWUiOiJzIn0";
        try (LiteLlmChatClient c =
                client().serverUrl(serverRoot() + "/meta/" + slug + "/v1").build()) {
            c.chat(minimal());
        }
        assertThat(onlyRequest().getUrl()).isEqualTo("/meta/" + slug + "/v1/chat/completions");
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAKey() {
        try (LiteLlmChatClient c =
                LiteLlmChatClient.builder().serverUrl(serverRoot()).build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void sendsNoAuthorizationHeaderForABlankKey() {
        try (LiteLlmChatClient c = client().apiKey("   ").build()) {
            c.chat(minimal());
        }
        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", absent()));
    }

    @Test
    void sendsNoOpenRouterAttributionHeaders() {
        try (LiteLlmChatClient c = client().build()) {
            c.chat(minimal());
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("HTTP-Referer", absent())
                        .withHeader("X-OpenRouter-Title", absent())
                        .withHeader("X-Title", absent()));
    }

    @Test
    void sendsTheRequestMetadataAsStringsItsTagsAsTheTopLevelListBesideTypedFieldsAndExtraBody() {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("session_name", "episode-3");
        session.put("session_uids", List.of("outer", "inner"));
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-mini")
                .user("Grade it.")
                .temperature(0.2)
                .metadata("trace_id", "t-1")
                .metadata("tags", List.of("judge", "step-9"))
                .metadata("session", session)
                .extraBody("litellm_session_id", "sess-1")
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {
                  "model": "gpt-4o-mini",
                  "messages": [{"role": "user", "content": "Grade it."}],
                  "temperature": 0.2,
                  "metadata": {
                    "trace_id": "t-1",
                    "session": "{\\"session_name\\":\\"episode-3\\",\\"session_uids\\":[\\"outer\\",\\"inner\\"]}"
                  },
                  "tags": ["judge", "step-9"],
                  "litellm_session_id": "sess-1"
                }
                """)));
    }

    @Test
    void sendsNoMetadataFieldWhenTheRequestHasNone() {
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-mini")
                .user("Hi")
                .temperature(0.0)
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.0}
                """)));
    }

    @Test
    void extraBodyMetadataIsMergedWithTheRequestMetadataItsKeysWinning() {
        ChatRequest request = ChatRequest.builder()
                .model("gpt-4o-mini")
                .user("Hi")
                .metadata("step", 3)
                .metadata("trace_id", "from-request")
                .extraBody("metadata", Map.of("trace_id", "from-extra", "generation_name", "judge"))
                .build();

        try (LiteLlmChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}],
                 "metadata": {"step": "3", "trace_id": "from-extra", "generation_name": "judge"}}
                """)));
    }
}
