package io.github.llmbridge.core;

import io.github.llmbridge.core.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A named scope that groups calls, e.g. one training episode, step or rollout. Calls made while a
 * session is open carry its name, the chain of uids and its metadata: the tracer records them and
 * a gateway backend forwards them to its gateway.
 *
 * <pre>{@code
 * try (LlmSession step = LlmSession.open("step-42", Map.of("epoch", 3))) {
 *     try (LlmSession rollout = LlmSession.open("rollout-7", Map.of("rollout", 7))) {
 *         judge.chat(request);   // session "rollout-7", uids [step, rollout], {epoch:3, rollout:7}
 *     }
 * }
 * }</pre>
 *
 * <p>Scopes are per thread. The session current when {@code chat}/{@code chatAsync} is
 * <em>called</em> belongs to the call, even when it completes on another thread. To continue a
 * session in a task on another thread, {@link #attach()} it there.
 *
 * <p>Sessions nest: a child without a name of its own inherits its parent's, metadata merges
 * (the child's keys win), and {@link #uids()} lists the uids from the outermost session in.
 */
public final class LlmSession implements AutoCloseable {

    private static final ThreadLocal<LlmSession> CURRENT = new ThreadLocal<>();

    private final String name;
    private final String uid;
    private final List<String> uids;
    private final Map<String, Object> metadata;
    private final LlmSession parent;
    private final Thread owner;
    private final LlmSession previous;
    private boolean closed;

    private LlmSession(String name, Map<String, ?> metadata, LlmSession parent) {
        this.parent = parent;
        this.name = name != null ? name : parent != null ? parent.name : "";
        this.uid = UUID.randomUUID().toString();
        List<String> chain = new ArrayList<>(parent == null ? List.of() : parent.uids);
        chain.add(uid);
        this.uids = List.copyOf(chain);
        Map<String, Object> merged = new LinkedHashMap<>(parent == null ? Map.of() : parent.metadata);
        metadata.forEach((key, value) -> merged.put(Objects.requireNonNull(key, "metadata key"), copy(key, value)));
        this.metadata = Collections.unmodifiableMap(merged);
        this.owner = Thread.currentThread();
        this.previous = CURRENT.get();
    }

    /**
     * Opens a session nested in the current one (if any) and makes it current on this thread
     * until {@link #close()}.
     *
     * @param name     the session's name, e.g. {@code "step-42"}; {@code null} inherits the parent's
     * @param metadata JSON-compatible values (strings, numbers, booleans, lists, maps), copied now
     * @throws IllegalArgumentException when a metadata value cannot be written as JSON
     */
    public static LlmSession open(String name, Map<String, ?> metadata) {
        LlmSession session = new LlmSession(name, Objects.requireNonNull(metadata, "metadata"), CURRENT.get());
        CURRENT.set(session);
        return session;
    }

    /** Opens a session with a name and no metadata of its own; see {@link #open(String, Map)}. */
    public static LlmSession open(String name) {
        return open(name, Map.of());
    }

    /** Returns the innermost session open (or attached) on this thread. */
    public static Optional<LlmSession> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Returns the session's name (inherited from the parent when not given; {@code ""} for none). */
    public String name() {
        return name;
    }

    /** Returns this session's own generated uid. */
    public String uid() {
        return uid;
    }

    /** Returns the uids from the outermost session to this one. */
    public List<String> uids() {
        return uids;
    }

    /** Returns the metadata merged from the outermost session in (inner keys win). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Returns the enclosing session, if any. */
    public Optional<LlmSession> parent() {
        return Optional.ofNullable(parent);
    }

    /**
     * Returns {@code requestMetadata} merged over this session's metadata: what one call records.
     */
    public Map<String, Object> mergedWith(Map<String, ?> requestMetadata) {
        Map<String, Object> merged = new LinkedHashMap<>(metadata);
        merged.putAll(requestMetadata);
        return merged;
    }

    /**
     * Makes this session current on the calling thread until the returned scope is closed, e.g.
     * in a task handed to another executor. Closing the scope restores what was current before.
     */
    public Scope attach() {
        LlmSession before = CURRENT.get();
        CURRENT.set(this);
        return () -> restore(before);
    }

    /**
     * Ends the scope: the session that was current when this one was opened becomes current
     * again. Must be called on the thread that opened it; closing twice does nothing.
     *
     * @throws IllegalStateException when called on another thread
     */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(
                    "session '" + name + "' must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        if (closed) {
            return;
        }
        closed = true;
        restore(previous);
    }

    private static void restore(LlmSession session) {
        if (session == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(session);
        }
    }

    private static Object copy(String key, Object value) {
        try {
            return Json.plainCopy(Objects.requireNonNull(value, "metadata value"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "session metadata value for '" + key + "' cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Shows the name, the uid chain and the metadata keys. */
    @Override
    public String toString() {
        return "LlmSession[name=" + name + ", uids=" + uids + ", metadata=" + metadata.keySet() + "]";
    }

    /** A scope from {@link #attach()}; closing it restores the previous session. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        /** Restores the session that was current before {@link #attach()}. */
        @Override
        void close();
    }
}
