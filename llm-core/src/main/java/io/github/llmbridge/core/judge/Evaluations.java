package io.github.llmbridge.core.judge;

import io.github.llmbridge.core.ChatClient;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers judge verdicts to the {@link EvaluationListener} of a client, when one of its layers
 * is one. {@link LabelScores} reports every score it reads; reward code with a judge of its own
 * (a {@code chatJson} call that parses {@code {"score": x}}) reports its verdicts the same way:
 *
 * <pre>{@code
 * record Verdict(double score, String reason) {}
 * Verdict v = judge.chatJson(request, Verdict.class);
 * Evaluations.report(judge, new Evaluation("helpfulness", v.score(), "", v.reason(), answer.id()));
 * }</pre>
 */
public final class Evaluations {

    private static final Logger log = LoggerFactory.getLogger(Evaluations.class);

    private Evaluations() {}

    /**
     * Hands the verdict to the client's listener, if it has one; a listener that throws is logged
     * and does not fail the caller.
     */
    public static void report(ChatClient client, Evaluation evaluation) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(evaluation, "evaluation");
        client.unwrap(EvaluationListener.class).ifPresent(listener -> {
            try {
                listener.evaluated(evaluation);
            } catch (RuntimeException e) {
                log.warn("the evaluation listener {} failed on {}: {}", listener, evaluation.name(), e.toString(), e);
            }
        });
    }
}
