package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.tracing.TraceRecord;
import io.github.llmbridge.tracing.TraceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": a re-run of the demo with the cache on makes no HTTP call and prints
 * the same rewards; replay of the recorded run works with the backend unreachable.
 */
class DemoCacheTest {

    @TempDir
    Path dir;

    private static DemoResult run(Map<String, String> env) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        DemoResult result = Demo.execute(env, new PrintStream(captured, true, StandardCharsets.UTF_8));
        assertThat(result.exitCode())
                .as(captured.toString(StandardCharsets.UTF_8))
                .isZero();
        return result;
    }

    private Map<String, String> recordedRun(Path db, String... more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "LLM_MAX_ATTEMPTS", "10",
                "DEMO_FAULT_RATE", "0.1",
                "LLM_BACKOFF_BASE_SECONDS", "0.01",
                "LLM_BACKOFF_MAX_SECONDS", "0.05",
                "LLM_TRACE_DB", db.toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static List<List<Double>> rewards(DemoResult r) {
        return r.questions().stream().map(QuestionResult::rewards).toList();
    }

    @Test
    void aReRunWithTheCacheOnMakesNoHttpCallAndScoresTheSame() throws Exception {
        Path db = dir.resolve("traces.db");
        DemoResult first = run(recordedRun(db, "LLM_CACHE", "all"));
        assertThat(first.serverRequests()).isPositive();

        DemoResult again = run(recordedRun(db, "LLM_CACHE", "all"));

        assertThat(again.serverRequests())
                .as("HTTP requests the simulator served")
                .isZero();
        assertThat(rewards(again)).isEqualTo(rewards(first));
        assertThat(again.traces())
                .hasSize(first.traces().size())
                .allSatisfy(t -> assertThat(t.backend()).isEqualTo("cache"))
                .allSatisfy(t -> assertThat(t.cost()).isEqualTo(0.0));
    }

    @Test
    void replayOfARecordedRunScoresTheSameWithTheBackendUnreachable() throws Exception {
        Path recorded = dir.resolve("run.db");
        DemoResult first = run(recordedRun(recorded));

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once the socket closes
        }
        DemoResult replayed = run(Map.of(
                "LLM_BACKEND",
                "litellm",
                "LITELLM_PROXY_URL",
                "http://127.0.0.1:" + closedPort,
                "LLM_MAX_ATTEMPTS",
                "1",
                "LLM_REPLAY_DB",
                recorded.toString(),
                "LLM_TRACE_DB",
                dir.resolve("replayed.db").toString()));

        assertThat(rewards(replayed)).isEqualTo(rewards(first));
        assertThat(replayed.traces())
                .hasSize(first.traces().size())
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(TraceStatus.OK))
                .extracting(TraceRecord::backend)
                .containsOnly("cache");
    }
}
