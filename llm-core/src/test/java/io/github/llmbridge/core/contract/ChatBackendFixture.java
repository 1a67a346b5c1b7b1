package io.github.llmbridge.core.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.config.BackendBuilder;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the backend contracts need to know about one backend: how to build a client pointed at a
 * stub server, where it posts, how it sends its key, where its server reports the cost, how that
 * server words two common errors, and which variables configure it. A backend module implements
 * this once and passes it to its subclasses of the contracts:
 *
 * <pre>{@code
 * class OpenRouterAsyncTest extends BackendAsyncContract {
 *     OpenRouterAsyncTest() { super(new OpenRouterFixture()); }
 * }
 * }</pre>
 */
public interface ChatBackendFixture {

    /** Returns the backend's name, as {@link ChatClient#backend()} and its errors report it. */
    String backend();

    /**
     * Returns the URL a user configures to reach a server whose root is {@code serverRoot}
     * (such as {@code http://127.0.0.1:41234}), e.g. the root plus {@code /api/v1}.
     */
    String baseUrl(String serverRoot);

    /** Returns the path, under the server root, that a client built for {@link #baseUrl} posts chats to. */
    String chatPath();

    /**
     * Builds a client for {@code baseUrl} with {@code apiKey}, first applying {@code settings}
     * (concurrency, time limit) to the backend's builder.
     */
    ChatClient client(String baseUrl, String apiKey, Consumer<BackendBuilder<?>> settings);

    /** Returns the request header that carries {@code apiKey}, e.g. {@code Authorization: Bearer <key>}. */
    HttpHeader keyHeader(String apiKey);

    /** Returns a 200 reply with {@code body} that reports {@code cost} where this backend's server reports costs. */
    ResponseDefinitionBuilder replyCosting(ObjectNode body, double cost);

    /** Returns the server's reply to an internal failure: HTTP 500 in its own error format. */
    ResponseDefinitionBuilder serverErrorReply();

    /** Returns the server's reply, in its own error format, to a call for a model it does not serve. */
    ResponseDefinitionBuilder unknownModelReply(String model);

    /**
     * Returns the variables that make {@code ChatClients.fromEnv} select this backend, pointed at
     * {@code baseUrl} and using {@code apiKey}.
     */
    Map<String, String> env(String baseUrl, String apiKey);

    /** Returns the name of the variable that holds this backend's base URL. */
    String baseUrlVariable();

    /** Returns the name of the variable that holds this backend's number of concurrent calls. */
    String concurrencyVariable();

    /**
     * Returns the top-level body fields that this backend's server gives a meaning of its own,
     * unlike OpenAI's (LiteLLM's {@code metadata}, whose values need not be strings): the check of
     * bodies against OpenAI's schema ({@link OpenAiBodyCheck}) leaves them out. None by default.
     */
    default Set<String> ownBodyFields() {
        return Set.of();
    }
}
