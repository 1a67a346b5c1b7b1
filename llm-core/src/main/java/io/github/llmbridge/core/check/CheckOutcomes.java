package io.github.llmbridge.core.check;

import static io.github.llmbridge.core.check.ConnectionCheck.AUTH;
import static io.github.llmbridge.core.check.ConnectionCheck.HTTP;
import static io.github.llmbridge.core.check.ConnectionCheck.MODEL;
import static io.github.llmbridge.core.check.ConnectionCheck.REPLY;

import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outcome of a connection check's test request as four steps: did the server answer
 * over HTTP, was the key accepted, is the model known, did a reply come back. The first failure
 * decides which step failed; the steps before it passed, the ones after it were skipped.
 */
final class CheckOutcomes {

    private CheckOutcomes() {}

    static List<CheckStep> success(ChatResponse reply, Duration took) {
        String content = reply.content() == null ? "" : reply.content().strip();
        String shown = content.length() > 40 ? content.substring(0, 40) + "..." : content;
        return List.of(
                CheckStep.ok(HTTP, "HTTP 200 in " + took.toMillis() + " ms"),
                CheckStep.ok(AUTH, "key accepted"),
                CheckStep.ok(
                        MODEL,
                        "answered by " + (reply.model() == null || reply.model().isEmpty() ? "?" : reply.model())),
                CheckStep.ok(
                        REPLY,
                        content.isEmpty()
                                ? "an empty reply (finish reason " + reply.finishReason()
                                        + "), which is fine for this test"
                                : "\"" + shown + "\""));
    }

    static List<CheckStep> failure(LlmException e, String model, CheckTarget target, Duration budget) {
        String server = target == null ? e.backend() : target.serverName();
        String key = target == null ? "the API key" : target.keySetting();
        String url = target == null ? "the base URL" : target.urlSetting();
        int status = e.httpStatus().orElse(0);
        String detail = e.getMessage();
        List<CheckStep> steps = new ArrayList<>();

        if (e.attemptCount() == 0 && e.category() == ErrorCategory.BAD_REQUEST) { // refused before the wire
            steps.add(CheckStep.skipped(HTTP, "not sent: the model id is wrong"));
            steps.add(CheckStep.skipped(AUTH, "not sent: the model id is wrong"));
            steps.add(
                    target == null
                            ? CheckStep.failed(MODEL, detail, "fix the model id")
                            : target.checkModelId(model).orElse(CheckStep.failed(MODEL, detail, "fix the model id")));
            return withSkips(steps, REPLY);
        }
        String httpFix = httpFailureFix(e, status, server, url, budget);
        if (httpFix != null) {
            steps.add(CheckStep.failed(HTTP, detail, httpFix));
            return withSkips(steps, AUTH, MODEL, REPLY);
        }
        steps.add(CheckStep.ok(HTTP, "HTTP " + status));
        String authFix = switch (e.category()) {
            case AUTHENTICATION -> status + " from " + server + ": check " + key;
            case PERMISSION ->
                status + " from " + server + ": the key may not use model '" + model
                        + "'; allow it for the key, or pick another model";
            case INSUFFICIENT_CREDITS ->
                server + " says the account or key is out of credits: top it up or raise" + " the key's limit";
            default -> null;
        };
        if (authFix != null) {
            steps.add(CheckStep.failed(AUTH, detail, authFix));
            return withSkips(steps, MODEL, REPLY);
        }
        steps.add(CheckStep.ok(AUTH, "key accepted"));
        if (e.category() == ErrorCategory.MODEL_NOT_FOUND) {
            CheckStep idProblem =
                    target == null ? null : target.checkModelId(model).orElse(null);
            steps.add(
                    idProblem != null
                            ? idProblem
                            : CheckStep.failed(
                                    MODEL, detail, server + " does not know model '" + model + "': check the id"));
            return withSkips(steps, REPLY);
        }
        steps.add(CheckStep.ok(MODEL, "'" + model + "' accepted"));
        steps.add(CheckStep.failed(
                REPLY,
                detail,
                switch (e.category()) {
                    case RATE_LIMITED -> "rate limited: wait, or lower the concurrency";
                    case INVALID_RESPONSE ->
                        "the reply is not a chat completion: does " + url + " point at an" + " OpenAI-compatible API?";
                    case CONTENT_FILTERED -> "the test prompt was filtered: the connection itself works";
                    default -> "see the message above";
                }));
        return steps;
    }

    /** Returns the fix when the failure means no usable HTTP answer came back, else {@code null}. */
    private static String httpFailureFix(LlmException e, int status, String server, String url, Duration budget) {
        if (status == 407 || (status == 0 && e.category() == ErrorCategory.AUTHENTICATION)) {
            return "fix the HTTP proxy's credentials (user:password in the proxy URL); the proxy, not " + server
                    + ", refused";
        }
        if (status == 0) {
            return switch (e.category()) {
                case TIMEOUT ->
                    server + " accepted the connection but sent no reply within " + budget.toSeconds()
                            + " s: it may be overloaded or stuck";
                case CONNECTION -> "the connection broke before an HTTP answer: check " + url + " and any proxy";
                case CANCELLED -> "the check was interrupted: run it again";
                default -> null;
            };
        }
        if (status >= 300 && status < 400) {
            return server + " redirects: set " + url + " to the address it redirects to";
        }
        if (e.category() == ErrorCategory.CONFIGURATION) {
            return "the endpoint does not exist: " + url + " is probably wrong";
        }
        if (status >= 500 || status == 408) {
            return server + " answered " + status + ": try again later; if it persists, check its status or logs"
                    + (e.category() == ErrorCategory.CONNECTION ? " (it could not reach its upstream provider)" : "");
        }
        return null;
    }

    private static List<CheckStep> withSkips(List<CheckStep> steps, String... names) {
        for (String name : names) {
            steps.add(CheckStep.skipped(name, "an earlier step failed"));
        }
        return steps;
    }
}
