package io.github.llmbridge.cli;

import java.io.PrintStream;

/**
 * Tells a person at a terminal what a long operation is doing ({@code [3/8] latency per model}),
 * on one line of stderr that each step overwrites and {@link #done()} clears. When output is not a
 * terminal (a script, a pipe, CI) it prints nothing, so logs stay clean.
 */
public interface Progress {

    /** A progress that prints nothing. */
    Progress QUIET = new Progress() {
        @Override
        public void step(int number, int of, String what) {}

        @Override
        public void done() {}
    };

    /**
     * Reports that step {@code number} of {@code of} has begun.
     *
     * @param what what the step does, a few words
     */
    void step(int number, int of, String what);

    /** Clears the line: the operation is over. */
    void done();

    /** Returns a progress on {@code err} when {@code interactive}, else {@link #QUIET}. */
    static Progress on(PrintStream err, boolean interactive) {
        return interactive ? new Terminal(err) : QUIET;
    }

    /** Overwrites one line of a terminal with carriage returns. */
    final class Terminal implements Progress {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private int width;

        Terminal(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void step(int number, int of, String what) {
            String line = String.format("  [%d/%d] %s ... %.1f s", number, of, what, (System.nanoTime() - start) / 1e9);
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            err.flush();
            width = line.length();
        }

        @Override
        public synchronized void done() {
            if (width > 0) {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
                width = 0;
            }
        }
    }
}
