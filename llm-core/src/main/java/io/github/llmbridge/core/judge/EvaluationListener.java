package io.github.llmbridge.core.judge;

/**
 * Receives the verdicts of the judge helpers. A layer of a client answers
 * {@code client.unwrap(EvaluationListener.class)} to receive the verdicts of calls made with that
 * client (the OpenTelemetry layer does, and emits each as a {@code gen_ai.evaluation.result}
 * event); {@link Evaluations#report} delivers them. Implementations are thread-safe and quick:
 * they run on the thread that completed the judge call.
 */
@FunctionalInterface
public interface EvaluationListener {

    /** Receives one verdict. */
    void evaluated(Evaluation evaluation);
}
