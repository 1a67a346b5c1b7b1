package io.github.llmbridge.core.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Canned requests and replies shared by the resilience tests. */
final class Replies {

    static final String MODEL = "acme/judge-1";
    static final String PATH = "/v1/chat/completions";

    private Replies() {}

    static ChatRequest request() {
        return ChatRequest.builder().model(MODEL).user("Score this answer.").build();
    }

    /** A request whose only user message is {@code user}, so a stub can tell calls apart. */
    static ChatRequest asking(String user) {
        return ChatRequest.builder().model(MODEL).user(user).build();
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

    /** Waits at most 10 s for the call to fail and returns its exception; fails the test if the call succeeded. */
    static LlmException failure(CompletableFuture<?> call) throws Exception {
        Throwable failure = call.handle((reply, t) -> t).get(10, TimeUnit.SECONDS);
        assertThat(failure).as("the call failed").isNotNull();
        return LlmException.from(failure);
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
