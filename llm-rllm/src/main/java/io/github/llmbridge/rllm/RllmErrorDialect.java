package io.github.llmbridge.rllm;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.internal.errors.Classification;
import io.github.llmbridge.core.internal.errors.ErrorDialect;
import io.github.llmbridge.core.internal.errors.Hint;
import io.github.llmbridge.core.internal.errors.ProviderError;

/**
 * What rLLM's model gateway's error replies say beyond the generic rules (docs/WIRE.md): a worker's
 * error reply is passed through with its status and body, but a failure of the gateway itself (no
 * healthy worker, a worker it cannot connect to) is an unhandled exception, which the server
 * answers with a bare 500 {@code Internal Server Error} in plain text.
 */
final class RllmErrorDialect implements ErrorDialect {

    static final RllmErrorDialect INSTANCE = new RllmErrorDialect();

    private static final Hint GATEWAY_FAILED = ctx -> " - rLLM's model gateway at " + ctx.hostAndPort()
            + " failed without saying why; most often it has no healthy worker or cannot connect to one (see its log,"
            + " and GET /health/workers; register one with POST /admin/workers or --worker)";
    private static final Hint BASE_URL = Hint.of(" - the gateway has no such endpoint; set RLLM_GATEWAY_URL to the"
            + " gateway's root (http://localhost:9090) or a session URL (http://localhost:9090/sessions/<id>/v1)");

    private RllmErrorDialect() {}

    @Override
    public Classification refine(Classification generic, int status, ProviderError error) {
        // Workers answer errors as JSON, which the gateway passes through; a 500 without one is the gateway's own.
        if (status == 500 && error.message() == null) {
            return new Classification(ErrorCategory.SERVER_ERROR, true, GATEWAY_FAILED);
        }
        if (generic.hint() == Hint.BASE_URL) {
            return generic.withHint(BASE_URL);
        }
        return generic;
    }

    @Override
    public String toString() {
        return "RllmErrorDialect";
    }
}
