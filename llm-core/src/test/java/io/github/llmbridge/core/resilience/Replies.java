package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.llmbridge.core.ChatRequest;
import java.time.Duration;

/** Canned requests and replies shared by the resilience tests. */
final class Replies {

    static final String MODEL = "acme/judge-1";
    static final String PATH = "/v1/chat/completions";

    private Replies() {}

    static ChatRequest request() {
        return ChatRequest.builder().model(MODEL).user("Score this answer.").build();
    }

    static ChatRequest request(Duration deadline) {
        return request().toBuilder().timeout(deadline).build();
    }

    static String okBody(String model, String content) {
        return "{\"id\":\"chatcmpl-1\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";
    }

    static ResponseDefinitionBuilder ok() {
        return ok(MODEL, "ok");
    }

    static ResponseDefinitionBuilder ok(String model, String content) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(okBody(model, content));
    }

    static ResponseDefinitionBuilder status(int status) {
        return status(status, "{\"error\":{\"message\":\"status " + status + "\",\"type\":\"test\"}}");
    }

    static ResponseDefinitionBuilder status(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }
}
