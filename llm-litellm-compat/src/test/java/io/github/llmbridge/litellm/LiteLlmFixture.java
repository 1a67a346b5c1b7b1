package io.github.llmbridge.litellm;

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
 * A LiteLLM proxy for the backend contracts: the proxy root as the URL, calls to
 * {@code /v1/chat/completions}, a bearer key, the cost in the {@code x-litellm-response-cost}
 * header, errors as {@code {"error": {"message": ..., "type": ..., "param": ..., "code": "500"}}}.
 */
final class LiteLlmFixture implements ChatBackendFixture {

    @Override
    public String backend() {
        return "litellm";
    }

    @Override
    public String baseUrl(String serverRoot) {
        return serverRoot;
    }

    @Override
    public String chatPath() {
        return "/v1/chat/completions";
    }

    @Override
    public ChatClient client(String baseUrl, String apiKey, Consumer<BackendBuilder<?>> settings) {
        LiteLlmChatClient.Builder builder =
                LiteLlmChatClient.builder().serverUrl(baseUrl).apiKey(apiKey);
        settings.accept(builder);
        return builder.build();
    }

    @Override
    public HttpHeader keyHeader(String apiKey) {
        return new HttpHeader("Authorization", "Bearer " + apiKey);
    }

    @Override
    public ResponseDefinitionBuilder replyCosting(ObjectNode body, double cost) {
        return okJson(body.toString()).withHeader("x-litellm-response-cost", Double.toString(cost));
    }

    @Override
    public ResponseDefinitionBuilder serverErrorReply() {
        return aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"message": "litellm.InternalServerError: boom", "type": null, "param": null, "code": "500"}}
                """);
    }

    @Override
    public ResponseDefinitionBuilder unknownModelReply(String model) {
        return aResponse()
                .withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                {"error": {"message": "/chat/completions: Invalid model name passed in model=%s. Call `/v1/models` to view available models for your key.",
                           "type": "invalid_request_error", "param": "model", "code": "400"}}
                """.formatted(model));
    }

    @Override
    public Map<String, String> env(String baseUrl, String apiKey) {
        return Map.of("LITELLM_PROXY_URL", baseUrl, "LITELLM_API_KEY", apiKey);
    }

    @Override
    public String baseUrlVariable() {
        return "LITELLM_PROXY_URL";
    }

    @Override
    public String concurrencyVariable() {
        return "LITELLM_MAX_CONCURRENT_CALLS";
    }

    /** LiteLLM reads {@code metadata} itself (tags, trace ids, rLLM's session), with values of any type. */
    @Override
    public Set<String> ownBodyFields() {
        return Set.of("metadata");
    }
}
