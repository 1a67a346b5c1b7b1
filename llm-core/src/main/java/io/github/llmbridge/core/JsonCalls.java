package io.github.llmbridge.core;

import io.github.llmbridge.core.internal.Futures;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output-level retry behind {@link ChatClient#chatJson}: when a reply holds no JSON that fits
 * the type, the call is made again with the bad reply and the parse error added to the
 * conversation, so the model can correct itself. Separate from (and on top of) the transport
 * retries of the resilience layer, which handle failed HTTP attempts.
 */
final class JsonCalls {

    private static final Logger log = LoggerFactory.getLogger(JsonCalls.class);

    private JsonCalls() {}

    static <T> CompletableFuture<T> call(ChatClient client, ChatRequest request, Class<T> type, int outputRetries) {
        if (outputRetries < 0) {
            throw new IllegalArgumentException("outputRetries must not be negative, was " + outputRetries);
        }
        return attempt(client, request, type, outputRetries, 1);
    }

    private static <T> CompletableFuture<T> attempt(
            ChatClient client, ChatRequest request, Class<T> type, int retriesLeft, int tries) {
        CompletableFuture<ChatResponse> reply;
        try {
            reply = client.chatAsync(request);
        } catch (RuntimeException e) {
            return Futures.failed(LlmException.from(e));
        }
        return reply.thenCompose(response -> {
            if (response.failed()) {
                // A fail-open placeholder has no content to parse: report the real failure.
                return Futures.<T>failed(response.error().orElseThrow());
            }
            if (response.refusal().isPresent()) {
                // Asking again gets the same refusal; an empty answer scored as 0 would be worse.
                return Futures.<T>failed(refused(response));
            }
            try {
                return CompletableFuture.completedFuture(JsonReplies.parse(response.content(), type));
            } catch (LlmException notJson) {
                if (retriesLeft == 0) {
                    return Futures.<T>failed(notJson.toBuilder()
                            .message(notJson.getMessage() + " (after " + tries + (tries == 1 ? " try" : " tries") + ")")
                            .model(response.model())
                            .backend(response.backend())
                            .build());
                }
                log.warn(
                        "reply from {} is not usable JSON for {} (try {}); asking again: {}",
                        response.model(),
                        type.getSimpleName(),
                        tries,
                        notJson.getMessage());
                ChatRequest again = request.toBuilder()
                        .assistant(response.content())
                        .user("Your previous reply could not be used: " + why(notJson) + ". Reply again with only"
                                + " the JSON, no prose and no code fences.")
                        .build();
                return attempt(client, again, type, retriesLeft - 1, tries + 1);
            }
        });
    }

    /** The failure for a reply in which the model refused: the refusal text says why. */
    static LlmException refused(ChatResponse response) {
        String refusal = response.refusal().orElse("");
        String shown = refusal.length() > 500 ? refusal.substring(0, 500) + "..." : refusal;
        return LlmException.builder(
                        ErrorCategory.CONTENT_FILTERED,
                        "the model " + response.model() + " refused to answer: " + shown)
                .retryable(false)
                .model(response.model())
                .backend(response.backend())
                .attempts(response.attempts())
                .build();
    }

    private static String why(LlmException notJson) {
        String m = notJson.getMessage();
        int cut = m.indexOf("; reply began");
        String reason = cut < 0 ? m : m.substring(0, cut);
        return reason.replace("the model's reply is not usable JSON: ", "it is not usable JSON (") + ")";
    }
}
