package io.github.llmbridge.examples;

import io.github.llmbridge.tracing.TraceRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * What a demo run did: the results per question, the trace rows of its calls, and, with the
 * local simulator, how many HTTP requests it served and how many of them it failed on purpose
 * (-1 with a real backend).
 */
record DemoResult(
        List<QuestionResult> questions,
        List<TraceRecord> traces,
        Path traceDb,
        long serverRequests,
        long injectedFaults) {

    static DemoResult notStarted(Path traceDb) {
        return new DemoResult(List.of(), List.of(), traceDb, -1, -1);
    }

    DemoResult withSimulator(LocalSimulator simulator) {
        return simulator == null
                ? this
                : new DemoResult(questions, traces, traceDb, simulator.requests(), simulator.faults());
    }

    /** 0 when every question was scored. */
    int exitCode() {
        return !questions.isEmpty() && questions.stream().allMatch(QuestionResult::scored) ? 0 : 1;
    }
}
