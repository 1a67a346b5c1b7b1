package io.github.llmbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.cli.testdata.TraceDatabases;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Usage;
import io.github.llmbridge.tracing.CallTrace;
import io.github.llmbridge.tracing.SqliteTraceStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traces list --follow} while another store (a trainer) writes the same file: the latest
 * calls first, oldest first, then each new call once, including a long call that started before
 * the ones already shown; filters apply to what follows; an interrupt ends it with exit 0.
 */
class FollowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void printsTheLatestCallsThenEachNewCallAsItIsWrittenUntilInterrupted() throws Exception {
        Path db = dir.resolve("live.db");
        Instant t0 = TraceDatabases.START;
        LinesOut out = new LinesOut();
        try (SqliteTraceStore trainer = SqliteTraceStore.open(db)) {
            for (int i = 0; i < 5; i++) {
                trainer.enqueue(ok("early-" + i, t0.plusSeconds(i)));
            }
            assertThat(trainer.flush(WAIT)).isTrue();

            Follower follow = following(db, out, "-n", "3", "-f", "csv", "--status", "ok");
            out.await(4); // header + the 3 latest

            trainer.enqueue(ok("late-1", t0.plusSeconds(100)));
            trainer.enqueue(failed("late-failed", t0.plusSeconds(101))); // filtered out
            trainer.enqueue(ok("long-call", t0.minusSeconds(600))); // started first, written now
            assertThat(trainer.flush(WAIT)).isTrue();
            out.await(6);
            trainer.enqueue(ok("late-2", t0.plusSeconds(102)));
            assertThat(trainer.flush(WAIT)).isTrue();
            out.await(7);

            assertThat(follow.stop()).as("exit code after an interrupt").isZero();
            assertThat(out.lines()).hasSize(7);
        }

        List<String> sessions =
                out.lines().stream().skip(1).map(l -> l.split(",", -1)[2]).toList();
        assertThat(out.lines().get(0)).startsWith("started_at,trace_id,session_name,");
        assertThat(sessions.subList(0, 3)).containsExactly("early-2", "early-3", "early-4");
        // one poll prints what it found oldest first; the writer may commit the two in one batch or in two
        assertThat(sessions.subList(3, 5)).containsExactlyInAnyOrder("long-call", "late-1");
        assertThat(sessions.get(5)).isEqualTo("late-2");
    }

    @Test
    void anInterruptEndsFollowingWithExitZero() throws Exception {
        Path db = TraceDatabases.empty(dir.resolve("quiet.db"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = Cli.context(Map.of(), false, out, err);
        CountDownLatch started = new CountDownLatch(1);
        int[] code = {-1};
        Thread follower = new Thread(() -> {
            started.countDown();
            code[0] = LlmBridge.run(context, "traces", "list", db.toString(), "--follow", "--interval", "50ms");
        });
        follower.start();
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        follower.interrupt();
        follower.join(WAIT.toMillis());

        assertThat(follower.isAlive()).isFalse();
        assertThat(code[0]).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** {@code traces list --follow} running on its own thread. */
    private record Follower(Thread thread, CompletableFuture<Integer> code) {
        /** Interrupts the command, as Ctrl-C ends the process, and returns its exit code. */
        int stop() throws Exception {
            thread.interrupt();
            return code.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static Follower following(Path db, LinesOut out, String... options) {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        CliContext context = new CliContext(
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false,
                Clock.systemUTC(),
                ZoneId.of("UTC"));
        String[] args = new String[options.length + 6];
        System.arraycopy(
                new String[] {"traces", "list", db.toString(), "--follow", "--interval", "20ms"}, 0, args, 0, 6);
        System.arraycopy(options, 0, args, 6, options.length);
        Thread thread = new Thread(() -> code.complete(LlmBridge.run(context, args)), "follower");
        thread.start();
        return new Follower(thread, code);
    }

    private static CallTrace ok(String session, Instant at) {
        ChatRequest request = ChatRequest.builder().model("m/judge").user("q").build();
        ChatResponse reply = ChatResponse.builder()
                .model("m/judge")
                .content("ok")
                .usage(new Usage(1, 1, 2, 0, 0))
                .build();
        return new CallTrace(request, sessionNamed(session), at, Duration.ofMillis(5), "fake", reply, null);
    }

    private static CallTrace failed(String session, Instant at) {
        ChatRequest request = ChatRequest.builder().model("m/judge").user("q").build();
        return new CallTrace(
                request,
                sessionNamed(session),
                at,
                Duration.ofMillis(5),
                "fake",
                null,
                new LlmException(ErrorCategory.SERVER_ERROR, "boom"));
    }

    private static io.github.llmbridge.core.LlmSession sessionNamed(String name) {
        try (io.github.llmbridge.core.LlmSession s = io.github.llmbridge.core.LlmSession.open(name)) {
            return s; // a closed session still carries its name and uids
        }
    }

    /** An output stream that counts lines and lets a test wait for a number of them. */
    private static final class LinesOut extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n') {
                notifyAll();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized List<String> lines() {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }

        synchronized void await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (lines().size() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left)
                        .as("waiting for %d lines, have %s", count, lines())
                        .isPositive();
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }
}
