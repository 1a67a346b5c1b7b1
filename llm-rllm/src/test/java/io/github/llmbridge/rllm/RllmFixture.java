package io.github.llmbridge.rllm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.contract.ChatBackendFixture;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * rLLM's model gateway for the backend contracts: a session URL as the client's URL (so every call
 * goes to that session, as an agent handed the URL by its trainer sends it), no key (the gateway
 * takes none), and a worker's errors passed through as the worker sent them (vLLM's
 * {@code {"error": {...}}} shape). The gateway reports no cost of its own.
 */
final class RllmFixture implements ChatBackendFixture {

    static final String SESSION = "contract-session";

    @Override
    public String backend() {
        return "rllm";
    }

    @Override
    public String baseUrl(String serverRoot) {
        return serverRoot + "/sessions/" + SESSION + "/v1";
    }

    @Override
    public String chatPath() {
        return "/sessions/" + SESSION + "/v1/chat/completions";
    }

    @Override
    public ChatClient client(String baseUrl, String apiKey, Consumer<BackendBuilder<?>> settings) {
        RllmChatClient.Builder builder = RllmChatClient.builder().gatewayUrl(baseUrl);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    public HttpHeader keyHeader(String apiKey) {
        throw new UnsupportedOperationException("the gateway takes no key");
    }

    @Override
    public ResponseDefinitionBuilder replyCosting(ObjectNode body, double cost) {
        // The gateway drops a worker's reply headers and passes its body through: a cost can only be in the body.
        body.withObjectProperty("usage").put("cost", cost);
        return okJson(body.toString());
    }

    @Override
    public ResponseDefinitionBuilder serverErrorReply() {
        return aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"message": "worker failed: boom", "type": "InternalServerError", "param": null, "code": 500}}
                """);
    }

    @Override
    public ResponseDefinitionBuilder unknownModelReply(String model) {
        return aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"message": "The model `%s` does not exist.", "type": "NotFoundError", "param": null, "code": 404}}
                """.formatted(model));
    }

    @Override
    public Map<String, String> env(String baseUrl, String apiKey) {
        return Map.of("LLM_BACKEND", "rllm", "RLLM_GATEWAY_URL", baseUrl);
    }

    @Override
    public String baseUrlVariable() {
        return "RLLM_GATEWAY_URL";
    }

    @Override
    public String concurrencyVariable() {
        return "RLLM_MAX_CONCURRENT_CALLS";
    }

    @Override
    public Set<String> ownBodyFields() {
        return Set.of();
    }
}
