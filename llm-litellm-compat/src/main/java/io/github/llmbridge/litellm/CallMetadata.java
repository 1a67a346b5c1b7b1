package io.github.llmbridge.litellm;

import io.github.llmbridge.core.LlmSession;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata one call carries to the proxy, assembled as rLLM's SDK does
 * ({@code assemble_routing_metadata}): the session's merged metadata, its name as
 * {@code session_name} unless the metadata has that key, its uid chain (outer to inner) as
 * {@code session_uids}, then the request's own metadata over all of them.
 */
final class CallMetadata {

    /** The key holding the session's name. */
    static final String SESSION_NAME = "session_name";
    /** The key holding the session's uid chain. */
    static final String SESSION_UIDS = "session_uids";

    private CallMetadata() {}

    /**
     * Returns the call's metadata (empty when there is no session and the request has none).
     *
     * @param session         the session current when the call was made, or {@code null}
     * @param requestMetadata the request's metadata; its keys win
     */
    static Map<String, Object> assemble(LlmSession session, Map<String, Object> requestMetadata) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (session != null) {
            payload.putAll(session.metadata());
            if (!session.name().isEmpty()) {
                payload.putIfAbsent(SESSION_NAME, session.name());
            }
            payload.put(SESSION_UIDS, session.uids());
        }
        payload.putAll(requestMetadata);
        return payload;
    }
}
