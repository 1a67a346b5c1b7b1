package io.github.llmbridge.core.resilience;

import io.github.llmbridge.core.LlmException;

/**
 * Carries one failed attempt through Resilience4j's retry loop together with the call it belongs
 * to, so the retry predicate and interval function (shared by all calls) can ask that call
 * whether and when to try again. Never reaches a caller: the call unwraps {@link #error}.
 */
final class AttemptFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final transient ResilientCall call;
    final LlmException error;

    AttemptFailure(ResilientCall call, LlmException error) {
        super(error.getMessage(), null, false, false); // no stack trace: it is a carrier
        this.call = call;
        this.error = error;
    }
}
