package io.github.llmbridge.tracing.cache;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;

/**
 * A call that replay could not answer: the replayed trace database holds no successful call with
 * this request's hash. Category {@link ErrorCategory#CONFIGURATION}, never retried: the request
 * differs from every recorded one (the reward code changed a prompt, a parameter or a model), or
 * the recorded call failed.
 */
public final class ReplayMissException extends LlmException {

    private static final long serialVersionUID = 1L;

    private final String requestHash;

    ReplayMissException(String requestHash, String model, String where) {
        super(
                ErrorCategory.CONFIGURATION,
                "replay: no successful call with request hash " + requestHash + " (model " + model + ") in " + where
                        + "; the request differs from every recorded one, or its recorded call failed."
                        + " Unset LLM_REPLAY_DB to call the backend");
        this.requestHash = requestHash;
    }

    /** Returns the hash of the request that was not found ({@link RequestHash}). */
    public String requestHash() {
        return requestHash;
    }
}
