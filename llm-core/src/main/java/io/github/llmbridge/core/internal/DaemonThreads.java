package io.github.llmbridge.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the library's threads ({@code llm-bridge-<purpose>-<n>}) and makes them daemons, so a
 * trainer that forgets {@code close()} still exits.
 */
public final class DaemonThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    /** Creates a factory for threads named {@code llm-bridge-<purpose>-<n>}. */
    public DaemonThreads(String purpose) {
        this.prefix = "llm-bridge-" + purpose + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, prefix + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
