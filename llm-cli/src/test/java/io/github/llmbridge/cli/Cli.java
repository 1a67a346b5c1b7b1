package io.github.llmbridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Runs {@code llm-bridge} in-process, as a shell would, and keeps what it printed. */
final class Cli {

    /** The clock of every run: a day after the generated runs start. */
    static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    private Cli() {}

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs with no environment, not on a terminal, in UTC. */
    static Result run(String... args) {
        return run(Map.of(), false, args);
    }

    /** Runs with this environment, on a terminal or not, in UTC. */
    static Result run(Map<String, String> environment, boolean interactive, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LlmBridge.run(context(environment, interactive, out, err), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliContext context(
            Map<String, String> environment,
            boolean interactive,
            ByteArrayOutputStream out,
            ByteArrayOutputStream err) {
        return new CliContext(
                environment,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                interactive,
                Clock.fixed(NOW, ZoneOffset.UTC),
                ZoneId.of("UTC"));
    }
}
