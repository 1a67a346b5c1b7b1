package io.github.llmbridge.examples;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints a progress line as calls complete: when a question's rubrics arrive, and every few judge scores. */
final class Progress {

    private static final int EVERY = 8;

    private final PrintStream out;
    private final AtomicInteger scored = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final long start = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    void rubricsReady(String session, RubricSet rubrics) {
        line(String.format(
                "%-11s %d rubrics written (%d positive, %d negative)",
                session,
                rubrics.size(),
                rubrics.positiveRubrics().size(),
                rubrics.negativeRubrics().size()));
    }

    void scored(Double score, Throwable failure) {
        if (failure != null) {
            failed.incrementAndGet();
        }
        int n = scored.incrementAndGet();
        if (n % EVERY == 0) {
            line(String.format("%d judge calls done%s", n, failed.get() == 0 ? "" : ", " + failed.get() + " failed"));
        }
    }

    private void line(String text) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        synchronized (out) {
            out.printf("  [%5.1f s] %s%n", ms / 1000.0, text);
        }
    }
}
