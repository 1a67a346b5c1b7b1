package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.contract.BackendWireContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link OpenRouterChatClient} puts on the wire: the shared contract, plus the attribution
 * headers and never the request's metadata.
 */
class OpenRouterWireTest extends BackendWireContract {

    private static final String PATH = "/api/v1/chat/completions";

    OpenRouterWireTest() {
        super(new OpenRouterFixture());
    }

    private static OpenRouterChatClient.Builder client() {
        return OpenRouterChatClient.builder().apiKey(KEY).baseUrl(serverRoot() + "/api/v1");
    }

    @Test
    void sendsBearerKeyAndAttributionHeadersWhenSet() {
        try (OpenRouterChatClient c = client().referer("https://github.com/example/trainer")
                .title("RL Trainer")
                .build()) {
            c.chat(minimal());
        }
        wm.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("Authorization", equalTo("Bearer " + KEY))
                        .withHeader("HTTP-Referer", equalTo("https://github.com/example/trainer"))
                        .withHeader("X-OpenRouter-Title", equalTo("RL Trainer"))
                        .withHeader("X-Title", equalTo("RL Trainer")));
    }

    @Test
    void sendsNoAttributionHeadersWhenUnset() {
        try (OpenRouterChatClient c = client().build()) {
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
    void neverSendsRequestMetadata() {
        ChatRequest request = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .user("Hi")
                .metadata("trace_id", "t-1")
                .metadata("tags", List.of("judge"))
                .metadata("session", Map.of("name", "s"))
                .build();

        try (OpenRouterChatClient c = client().build()) {
            c.chat(request);
        }

        wm.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
                {"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
                """)));
    }
}
