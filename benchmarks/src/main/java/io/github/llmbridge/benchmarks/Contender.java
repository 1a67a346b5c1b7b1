package io.github.llmbridge.benchmarks;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** One way of making the judge call, opened once per concurrency level and measured by {@link LoadRunner}. */
interface Contender {

    /** Returns the short id used in the table: {@code a}, {@code b}, ... */
    String id();

    /** Returns what is measured, e.g. "raw JDK send() + Jackson". */
    String label();

    /**
     * Builds whatever the contender needs to keep {@code concurrency} calls in flight against the
     * stub (clients, pools), ready to be driven.
     */
    Driver open(URI stubBaseUrl, int concurrency) throws Exception;

    /** A ready contender: either blocking (driven by one thread per concurrent call) or asynchronous. */
    sealed interface Driver extends AutoCloseable permits Blocking, Async {
        @Override
        void close() throws Exception;
    }

    /** Makes one call on the calling thread and returns the reply's content. */
    non-sealed interface Blocking extends Driver {
        String call() throws Exception;
    }

    /** Starts one call and returns at once; the future yields the reply's content. */
    non-sealed interface Async extends Driver {
        CompletableFuture<String> call();
    }
}
