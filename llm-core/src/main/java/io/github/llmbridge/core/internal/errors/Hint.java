package io.github.llmbridge.core.internal.errors;

import java.util.Objects;

/**
 * The one-line advice appended to an error message, starting with {@code " - "}, e.g.
 * {@code " - check the model id"}. The generic hints are the constants here; a backend's
 * {@link ErrorDialect} recognises them by identity ({@code generic.hint() == Hint.BASE_URL}) to
 * reword them for its setup, or adds its own with {@link #of} or a lambda that reads the call.
 */
@FunctionalInterface
public interface Hint {

    /** No advice. */
    Hint NONE = of("");
    /** The key was rejected. */
    Hint KEY = of(" - check the API key the client was configured with");
    /** The account or key cannot pay for the call. */
    Hint CREDITS = of(" - the account or key is out of credits");
    /** A quota or spend limit is used up: the rate-limit status of it is misleading. */
    Hint QUOTA = of(" - the account's quota or spend limit is used up; waiting will not clear it: add credits or raise"
            + " the limit");
    /** The server does not know the model. */
    Hint MODEL = of(" - check the model id");
    /** The server has no such endpoint: the URL the client was given is wrong. */
    Hint BASE_URL = of(" - the endpoint does not exist; the base URL is probably wrong");
    /** The server answered, but failed to reach the provider behind it. */
    Hint UPSTREAM = ctx -> " - the server answered, but it could not reach its upstream provider (the problem is"
            + " beyond " + ctx.hostAndPort() + ")";

    /**
     * Returns the advice for this call.
     *
     * @param ctx the call (backend, model, endpoint)
     */
    String text(CallContext ctx);

    /** Returns a hint whose text does not depend on the call. */
    static Hint of(String text) {
        Objects.requireNonNull(text, "text");
        return ctx -> text;
    }
}
