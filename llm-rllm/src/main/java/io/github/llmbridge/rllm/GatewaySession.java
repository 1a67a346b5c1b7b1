package io.github.llmbridge.rllm;

import java.net.URI;
import java.util.Map;

/**
 * A session on the gateway.
 *
 * @param id       the session id
 * @param url      the OpenAI base URL an agent uses for it, {@code <gateway>/sessions/<id>/v1}
 *                 (hand it to an agent as its {@code RLLM_GATEWAY_URL})
 * @param metadata the metadata the session was created with
 */
public record GatewaySession(String id, URI url, Map<String, Object> metadata) {

    /** Copies the metadata. */
    public GatewaySession {
        metadata = Map.copyOf(metadata);
    }
}
