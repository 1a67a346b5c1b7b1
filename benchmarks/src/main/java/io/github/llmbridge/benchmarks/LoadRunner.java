package io.github.llmbridge.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a {@link Contender.Driver} in a closed loop: {@code concurrency} lanes, each starting its
 * next call as soon as the previous one completed. Runs a warm-up, then measures a window:
 * every call that completes inside the window counts towards throughput and latency (including
 * calls started during the warm-up, so the window sees the steady state, not a ramp). Also takes
 * the process's CPU time minus the stub's, the client-side cost of a call.
 */
final class LoadRunner {

    private LoadRunner() {}

    /** What one measured window saw. */
    // a round's raw samples, read and never compared; a defensive copy per read would cost the harness.
    @SuppressWarnings("ArrayRecordComponent")
    record Result(
            long calls,
            long errors,
            double seconds,
            long[] latenciesNanos,
            long clientCpuNanos,
            long stubCpuNanos,
            String firstError) {

        double throughput() {
            return calls / seconds;
        }

        double percentileMicros(double p) {
            return Stats.percentile(latenciesNanos, p) / 1e3;
        }

        double clientCpuMicrosPerCall() {
            return calls == 0 ? 0 : clientCpuNanos / 1e3 / calls;
        }

        double stubCpuMicrosPerCall() {
            return calls == 0 ? 0 : stubCpuNanos / 1e3 / calls;
        }
    }

    /** Per-lane record of completions inside the window; touched by one call at a time. */
    private static final class Lane {
        long[] latencies = new long[1024];
        long[] ends = new long[1024];
        int n;
        long errors;
        String firstError;

        void record(long start, long end) {
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            latencies[n] = end - start;
            ends[n++] = end;
        }

        void failed(Throwable t, String content) {
            errors++;
            if (firstError == null) {
                firstError = t != null ? String.valueOf(t) : "empty content: " + content;
            }
        }
    }

    /** Shared state of one run: when the window opens and whether lanes should stop. */
    private static final class Window {
        volatile long start = Long.MAX_VALUE;
        volatile boolean stop;
        /** Calls completed inside the window so far. */
        final AtomicLong completed = new AtomicLong();
    }

    /** The longest a window is held open past its length while no call has completed in it. */
    private static final long MAX_EMPTY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

    static Result run(Contender.Driver driver, int concurrency, StubServer stub, long warmMillis, long measureMillis)
            throws InterruptedException {
        Window window = new Window();
        Lane[] lanes = new Lane[concurrency];
        CountDownLatch finished = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            lanes[i] = new Lane();
        }
        if (driver instanceof Contender.Blocking blocking) {
            for (int i = 0; i < concurrency; i++) {
                Lane lane = lanes[i];
                Thread t = new Thread(() -> blockingLoop(blocking, lane, window, finished), "bench-caller-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
        } else {
            Contender.Async async = (Contender.Async) driver;
            for (Lane lane : lanes) {
                next(async, lane, window, finished);
            }
        }
        Thread.sleep(warmMillis);
        long cpu0 = processCpuNanos();
        long stub0 = stub.cpuNanos();
        long start = System.nanoTime();
        window.start = start;
        Thread.sleep(measureMillis);
        // A window without one completed call measures nothing (a short smoke window on a loaded
        // machine can pass while every lane waits for a core): hold it open until one completes.
        while (window.completed.get() == 0 && System.nanoTime() - start < MAX_EMPTY_WINDOW_NANOS) {
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        long cpu1 = processCpuNanos();
        long stub1 = stub.cpuNanos();
        window.stop = true;
        if (!finished.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("calls still in flight 60 s after the window closed");
        }
        long calls = 0;
        long errors = 0;
        String firstError = null;
        for (Lane lane : lanes) {
            for (int i = 0; i < lane.n; i++) {
                if (lane.ends[i] <= end) {
                    calls++;
                }
            }
            errors += lane.errors;
            if (firstError == null) {
                firstError = lane.firstError;
            }
        }
        long[] latencies = new long[(int) calls];
        int k = 0;
        for (Lane lane : lanes) {
            for (int i = 0; i < lane.n; i++) {
                if (lane.ends[i] <= end) {
                    latencies[k++] = lane.latencies[i];
                }
            }
        }
        Arrays.sort(latencies);
        long stubCpu = stub1 - stub0;
        return new Result(calls, errors, (end - start) / 1e9, latencies, (cpu1 - cpu0) - stubCpu, stubCpu, firstError);
    }

    private static void blockingLoop(Contender.Blocking driver, Lane lane, Window window, CountDownLatch finished) {
        try {
            while (!window.stop) {
                long t0 = System.nanoTime();
                String content = null;
                Throwable failure = null;
                try {
                    content = driver.call();
                } catch (Exception e) {
                    failure = e;
                }
                long t1 = System.nanoTime();
                complete(lane, window, t0, t1, content, failure);
            }
        } finally {
            finished.countDown();
        }
    }

    // whenComplete is a listener here: the callback records the outcome (failures too) and starts the next call.
    @SuppressWarnings("FutureReturnValueIgnored")
    private static void next(Contender.Async driver, Lane lane, Window window, CountDownLatch finished) {
        if (window.stop) {
            finished.countDown();
            return;
        }
        long t0 = System.nanoTime();
        driver.call().whenComplete((content, failure) -> {
            complete(lane, window, t0, System.nanoTime(), content, failure);
            next(driver, lane, window, finished); // on the completing thread, as a trainer's continuation would
        });
    }

    private static void complete(Lane lane, Window window, long t0, long t1, String content, Throwable failure) {
        if (failure != null || content == null || content.isEmpty()) {
            lane.failed(failure, content);
        } else if (t1 >= window.start) {
            lane.record(t0, t1);
            window.completed.incrementAndGet();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
