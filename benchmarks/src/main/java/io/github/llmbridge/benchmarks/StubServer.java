package io.github.llmbridge.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible chat-completions server on loopback (JDK {@code HttpServer}, no library)
 * that answers every POST with the same ~1 KB reply after a fixed latency.
 *
 * <p>Built to stay out of the way: the reply bytes are prepared once, handlers run on a fixed pool
 * the size of the machine's cores (more threads only add switching on a CPU-bound loop), and a
 * delayed reply does not park a thread: the handler returns and a timer thread writes the reply
 * when the latency has passed, so 256 calls waiting 200 ms cost no threads. It records the CPU
 * time of its own threads so the harness can show how much of the machine the server used.
 */
final class StubServer implements AutoCloseable {

    static {
        // Must be set before the JDK's HttpServer reads its configuration (first use).
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else Nagle + delayed ACK add ~40 ms
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096"); // 256 clients x 4 contenders
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;
    private final long latencyNanos;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    private StubServer(long latencyMillis) throws IOException {
        this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.handlers = Executors.newFixedThreadPool(cores, named("stub-handler"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("stub-timer"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        server.start();
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HTTP-Dispatcher") && !before.contains(t))
                .forEach(threads::add);
    }

    /** Starts a stub whose every reply leaves {@code latencyMillis} after its request arrived. */
    static StubServer start(long latencyMillis) throws IOException {
        return new StubServer(latencyMillis);
    }

    /** Returns the base URL, e.g. {@code http://127.0.0.1:40123} (the API is under {@code /v1}). */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Returns the number of requests answered or being answered. */
    long requests() {
        return requests.get();
    }

    /** Returns the CPU time the server's threads have used so far, in nanoseconds. */
    long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : threads) {
            long cpu = mx.getThreadCpuTime(t.getId());
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }

    /** Returns how many threads the server runs. */
    int threadCount() {
        return threads.size();
    }

    // the delayed reply needs no handle: reply() handles a client that went away.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        requests.incrementAndGet();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes(); // a real server reads the whole body before answering
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-request-id", "req-bench");
        if (latencyNanos == 0) {
            reply(exchange);
        } else {
            long remaining = latencyNanos - (System.nanoTime() - arrived);
            timer.schedule(() -> reply(exchange), Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }
    }

    private static void reply(HttpExchange exchange) {
        try {
            exchange.sendResponseHeaders(200, Payloads.REPLY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(Payloads.REPLY);
            }
        } catch (IOException e) {
            exchange.close(); // the client went away (a cancelled call): nothing to answer
        }
    }

    private ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        timer.shutdownNow();
    }
}
