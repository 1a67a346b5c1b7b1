package io.github.llmbridge.rllm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.llmbridge.core.LlmSession;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.SharedScheduler;
import io.github.llmbridge.core.internal.transport.JsonHttp;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which gateway session a call belongs to, and the one {@code POST /sessions} that creates a
 * session the client named itself.
 *
 * <p>A call goes to the session the client's URL names, else to the id the trainer handed over
 * in the current {@link LlmSession}'s metadata ({@link RllmChatClient#SESSION_ID}), else to the
 * current session's own uid. Only the last kind is created by this client, once, with the
 * session's name, uid chain and metadata: a session the trainer created keeps the metadata (and,
 * on newer gateways, the sampling parameters) it was created with, which a second
 * {@code POST /sessions} would replace.
 */
final class GatewaySessions {

    /** How many created sessions are remembered; beyond it the memory starts again (a re-creation is harmless). */
    private static final int REMEMBERED = 10_000;

    private final GatewayUrl url;
    private final JsonHttp http;
    private final Duration timeout;
    private final Map<String, CompletableFuture<Void>> created = new ConcurrentHashMap<>();

    GatewaySessions(GatewayUrl url, JsonHttp http, Duration timeout) {
        this.url = url;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * The session a call goes to.
     *
     * @param id          the gateway session id, or {@code null} for a call outside any session
     * @param createdHere whether this client creates it (the current session's own uid)
     */
    record Target(String id, boolean createdHere) {}

    Target target(LlmSession session) {
        if (url.session().isPresent()) {
            return new Target(url.session().get(), false);
        }
        if (session == null) {
            return new Target(null, false);
        }
        Object handedOver = session.metadata().get(RllmChatClient.SESSION_ID);
        if (handedOver != null) {
            return new Target(handedOver.toString(), false);
        }
        return new Target(session.uid(), true);
    }

    /** Completes once the session exists on the gateway; the first call creates it, later ones find it done. */
    CompletableFuture<Void> ensureCreated(String id, LlmSession session) {
        if (created.size() > REMEMBERED) {
            created.clear();
        }
        // A failed creation is replaced by the next call (its failure may not have been forgotten yet).
        CompletableFuture<Void> creation = created.compute(
                id,
                (key, earlier) -> earlier == null || earlier.isCompletedExceptionally()
                        ? CompletableFuture.runAsync(() -> create(key, session), SharedScheduler.completions())
                        : earlier);
        var unused = creation.whenComplete((ok, failure) -> {
            if (failure != null) {
                created.remove(id, creation); // the next call creates it again
            }
        });
        return creation;
    }

    private void create(String id, LlmSession session) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("session_id", id);
        Map<String, Object> metadata = new LinkedHashMap<>(session.metadata());
        if (!session.name().isEmpty()) {
            metadata.putIfAbsent("session_name", session.name());
        }
        metadata.put("session_uids", session.uids());
        body.set("metadata", Json.MAPPER.valueToTree(metadata));
        http.post(URI.create(url.root() + "/sessions"), Map.of(), body, timeout).jsonObject();
    }
}
