package io.github.llmbridge.core.config;

import java.util.Objects;

/**
 * A yes/no variable that picks a backend when {@code LLM_BACKEND} is not set, declared by the
 * backends it can pick ({@link ChatClientProvider#switches()}), so that core needs no list of
 * backends. {@link ChatClients} reads it as a flag ({@code true}/{@code 1}/{@code yes},
 * {@code false}/{@code 0}/{@code no}, any case; anything else is a configuration error naming the
 * variable, even when {@code LLM_BACKEND} wins).
 *
 * <p>A switch names the backends of both its values, and each of them declares it alike: so a
 * value that picks a backend whose module is missing from the classpath is reported by that
 * backend's name instead of silently picking the other one.
 *
 * <pre>{@code
 * // USE_ACME_DIRECT=true -> acme; false, or not set -> acme-gateway
 * BackendSwitch.between("USE_ACME_DIRECT", "acme", "acme-gateway")
 * }</pre>
 *
 * @param variable  the variable
 * @param whenTrue  the backend a true value picks
 * @param whenFalse the backend a false value picks, which is also the default when the variable is
 *                  not set and no set switch picks a backend; {@code null} when false picks none
 */
public record BackendSwitch(String variable, String whenTrue, String whenFalse) {

    /** Checks that the variable and the backend of a true value are given. */
    public BackendSwitch {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(whenTrue, "whenTrue");
    }

    /**
     * Returns a switch between two backends: true picks {@code whenTrue}; false, or the variable
     * not set, picks {@code whenFalseOrUnset}.
     */
    public static BackendSwitch between(String variable, String whenTrue, String whenFalseOrUnset) {
        return new BackendSwitch(variable, whenTrue, Objects.requireNonNull(whenFalseOrUnset, "whenFalseOrUnset"));
    }

    /** Returns a switch whose true value picks the backend and whose false value picks none. */
    public static BackendSwitch selecting(String variable, String backend) {
        return new BackendSwitch(variable, backend, null);
    }

    /** Returns the backend this switch picks at the given value, or {@code null} for none. */
    String backendFor(boolean value) {
        return value ? whenTrue : whenFalse;
    }
}
