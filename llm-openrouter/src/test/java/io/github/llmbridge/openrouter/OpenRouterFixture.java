package io.github.llmbridge.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendBuilder;
import io.github.llmbridge.core.contract.ChatBackendFixture;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenRouter for the backend contracts: an API root under {@code /api/v1}, a bearer key, the cost
 * in the reply's {@code usage}, errors as {@code {"error": {"code": 500, "message": ...}}}.
 */
final class OpenRouterFixture implements ChatBackendFixture {

    @Override
    public String backend() {
        return "openrouter";
    }

    @Override
    public String baseUrl(String serverRoot) {
        return serverRoot + "/api/v1";
    }

    @Override
    public String chatPath() {
        return "/api/v1/chat/completions";
    }

    @Override
    public ChatClient client(String baseUrl, String apiKey, Consumer<BackendBuilder<?>> settings) {
        OpenRouterChatClient.Builder builder =
                OpenRouterChatClient.builder().apiKey(apiKey).baseUrl(baseUrl);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    public HttpHeader keyHeader(String apiKey) {
        return new HttpHeader("Authorization", "Bearer " + apiKey);
    }

    @Override
    public ResponseDefinitionBuilder replyCosting(ObjectNode body, double cost) {
        body.withObjectProperty("usage").put("cost", cost);
        return okJson(body.toString());
    }

    @Override
    public ResponseDefinitionBuilder serverErrorReply() {
        return aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"code": 500, "message": "Internal Server Error"}}
                """);
    }

    @Override
    public ResponseDefinitionBuilder unknownModelReply(String model) {
        return aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"code": 404, "message": "No endpoints found for %s."}}
                """.formatted(model));
    }

    @Override
    public Map<String, String> env(String baseUrl, String apiKey) {
        return Map.of("USE_OPENROUTER_DIRECT", "true", "OPENROUTER_API_KEY", apiKey, "OPENROUTER_BASE_URL", baseUrl);
    }

    @Override
    public String baseUrlVariable() {
        return "OPENROUTER_BASE_URL";
    }

    @Override
    public String concurrencyVariable() {
        return "OPENROUTER_MAX_CONCURRENT_CALLS";
    }
}
