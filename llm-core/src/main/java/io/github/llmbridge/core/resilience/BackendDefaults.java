package io.github.llmbridge.core.resilience;

/**
 * What a backend suggests for the {@link ResilientChatClient} around it, so that core needs no
 * list of backends: a backend offers it through {@code unwrap(BackendDefaults.class)}, and the
 * resilience layer uses it where neither its builder nor a variable sets a value.
 *
 * <pre>{@code
 * public <T> Optional<T> unwrap(Class<T> type) {
 *     if (type == BackendDefaults.class) {
 *         return Optional.of(type.cast(new BackendDefaults(64))); // a gateway that fans out
 *     }
 *     return ChatClient.super.unwrap(type);
 * }
 * }</pre>
 *
 * @param maxConcurrentCalls the bulkhead size: attempts in flight at once (a gateway that fans
 *                           out to many deployments takes far more than one hosted API key)
 */
public record BackendDefaults(int maxConcurrentCalls) {

    /** Checks that the size is positive. */
    public BackendDefaults {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1, was " + maxConcurrentCalls);
        }
    }
}
