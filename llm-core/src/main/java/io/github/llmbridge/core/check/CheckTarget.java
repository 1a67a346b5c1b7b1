package io.github.llmbridge.core.check;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.httpproxy.ProxySetup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Implemented by backend clients so a {@link ConnectionCheck} can test the network path below the
 * chat call (DNS, TCP, proxy, TLS) and phrase fixes in the backend's own terms. A decorated client
 * reaches it with {@code client.unwrap(CheckTarget.class)}.
 */
public interface CheckTarget {

    /**
     * Returns the backend client itself, beneath every decorator: the check's test request goes
     * there, so it is sent once, without retries.
     */
    ChatClient backend();

    /** Returns the URL whose host and port the calls go to (the API root). */
    URI endpoint();

    /** Returns the proxies the client's HTTP client uses. */
    ProxySetup proxySetup();

    /** Returns how messages name the server, e.g. {@code "Acme"} or {@code "the Acme gateway"}. */
    String serverName();

    /** Returns the variable (or builder method) the URL came from, e.g. {@code ACME_BASE_URL}. */
    String urlSetting();

    /** Returns the variable (or builder method) the key came from, e.g. {@code ACME_API_KEY}. */
    String keySetting();

    /** Returns what to ask when the server refused the connection, e.g. {@code "is the proxy running?"}. */
    default String whenRefused() {
        return "is the server running, and the URL right?";
    }

    /**
     * Returns a failed {@code "model"} step when the backend can tell, without a call, that the
     * model id is wrong (e.g. it lacks the provider prefix the backend needs); empty otherwise.
     */
    default Optional<CheckStep> checkModelId(String model) {
        return Optional.empty();
    }

    /**
     * Returns the backend's own health checks, run after the network steps and before the test
     * request (a gateway's liveliness and readiness); none by default.
     *
     * @param timeout the time each check may take
     */
    default List<CheckStep> healthSteps(Duration timeout) {
        return List.of();
    }
}
