package io.github.llmbridge.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatMessageJson;
import io.github.llmbridge.core.internal.transport.OpenAiHttpTransport;
import io.github.llmbridge.core.internal.transport.ReplyDetailsJson;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A backend for tracing tests that goes through the real transport to a WireMock server, so a
 * trace is compared with the body that reached the wire and the reply is parsed as the backends
 * parse it. Also reads a stored {@code response_json} back the way the transport reads a reply.
 */
final class WireBackend implements ChatClient {

    private final OpenAiHttpTransport transport;
    private final URI uri;
    private final String key;

    WireBackend(WireMockExtension server, String key) {
        this.transport =
                OpenAiHttpTransport.builder().backend("wire").secret(key).build();
        this.uri = URI.create("http://127.0.0.1:" + server.getPort() + "/v1/chat/completions");
        this.key = key;
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return transport.sendChat(uri, Map.of("Authorization", "Bearer " + key), request, body -> {});
    }

    @Override
    public String backend() {
        return "wire";
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Returns the body of the one request the server received, failing if it received more or none. */
    static JsonNode onlyBody(WireMockExtension server) throws IOException {
        List<LoggedRequest> requests = server.findAll(postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return Json.MAPPER.readTree(requests.get(0).getBodyAsString());
    }

    /** Returns the choices of a stored {@code response_json}, read as the transport reads a reply. */
    static List<Choice> choicesOf(String responseJson) throws IOException {
        List<Choice> choices = new ArrayList<>();
        JsonNode array = Json.MAPPER.readTree(responseJson).get("choices");
        for (int i = 0; i < array.size(); i++) {
            JsonNode c = array.get(i);
            choices.add(new Choice(
                    c.path("index").asInt(i),
                    ChatMessageJson.read(c.get("message")),
                    FinishReason.of(Json.text(c, "finish_reason")),
                    ReplyDetailsJson.logprobs(c),
                    ReplyDetailsJson.tokenIds(c, "token_ids")));
        }
        return choices;
    }
}
