package io.github.llmbridge.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider with a hidden capacity, on loopback: it answers a chat call after a latency (a
 * uniform jitter of ±20 % around the mean), and refuses with 429 and a {@code Retry-After} what is
 * beyond its capacity, which the client is never told:
 * <ul>
 *   <li>{@link Mode#CONCURRENCY}: more than {@code capacity} calls at once (a provider's
 *       per-key concurrency, LiteLLM's {@code max_parallel_requests}); {@code Retry-After: 1};</li>
 *   <li>{@link Mode#RATE}: more than {@code capacity} requests a second, as a token bucket that
 *       refills continuously and holds a tenth of a second's worth (the way OpenAI's limits
 *       work); {@code Retry-After} (and {@code retry-after-ms}) until the next token, and with
 *       {@code rateHeaders} OpenAI's {@code x-ratelimit-limit-requests},
 *       {@code x-ratelimit-remaining-requests} and {@code x-ratelimit-reset-requests} (until the
 *       bucket is full) on every reply.</li>
 * </ul>
 * It counts requests and refusals, and the time of each success per client (the user message
 * starts with {@code client-N:}), for fair-share measurements across processes.
 */
final class CapacityStub implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }

    enum Mode {
        CONCURRENCY,
        RATE
    }

    private static final Pattern CLIENT = Pattern.compile("client-(\\d+):");
    private static final byte[] REFUSAL = ("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":"
                    + "\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private final Mode mode;
    private final int capacity;
    private final long latencyNanos;
    private final boolean rateHeaders;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    // Guarded by this: the token bucket of the rate mode.
    private final int burst;
    private double tokens;
    private long refilledAt = System.nanoTime();
    /** Per client, the epoch milliseconds of each success; guarded by the list. */
    private final List<List<Long>> successes = new ArrayList<>();

    CapacityStub(Mode mode, int capacity, long latencyMillis, boolean rateHeaders) throws IOException {
        this.mode = mode;
        this.capacity = capacity;
        this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMillis);
        this.rateHeaders = rateHeaders;
        this.burst = Math.max(1, capacity / 10);
        this.tokens = burst;
        for (int i = 0; i < 8; i++) {
            successes.add(new ArrayList<>());
        }
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.handlers = Executors.newFixedThreadPool(cores, daemon("capacity-stub-handler"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("capacity-stub-timer"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    long requests() {
        return requests.get();
    }

    long refused() {
        return refused.get();
    }

    /** Forgets the counts (after a warm-up). */
    void resetCounts() {
        requests.set(0);
        refused.set(0);
        synchronized (successes) {
            successes.forEach(List::clear);
        }
    }

    /** Returns how many calls of a client succeeded with their reply sent in [from, to) (epoch ms). */
    long successesBetween(int client, long fromMillis, long toMillis) {
        synchronized (successes) {
            return successes.get(client).stream()
                    .filter(t -> t >= fromMillis && t < toMillis)
                    .count();
        }
    }

    // the delayed reply needs no handle: reply() handles a client that went away.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = CLIENT.matcher(body);
        int client = m.find() ? Math.min(7, Integer.parseInt(m.group(1))) : 0;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        long delay = Math.round(
                latencyNanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        if (mode == Mode.CONCURRENCY) {
            if (inFlight.incrementAndGet() > capacity) {
                inFlight.decrementAndGet();
                refuse(exchange, 1000);
                return;
            }
            timer.schedule(
                    () -> {
                        inFlight.decrementAndGet(); // before the reply leaves: the client may send at once
                        reply(exchange, client);
                    },
                    delay,
                    TimeUnit.NANOSECONDS);
            return;
        }
        long waitNanos;
        int remaining;
        long untilFull;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) * capacity / 1e9);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                waitNanos = 0;
            } else {
                waitNanos = (long) ((1 - tokens) * 1e9 / capacity);
            }
            remaining = (int) tokens;
            untilFull = (long) ((burst - tokens) * 1e9 / capacity);
        }
        if (rateHeaders) {
            exchange.getResponseHeaders().set("x-ratelimit-limit-requests", Integer.toString(burst));
            exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", Integer.toString(remaining));
            exchange.getResponseHeaders().set("x-ratelimit-reset-requests", (untilFull / 1_000_000) + "ms");
        }
        if (waitNanos > 0) {
            refuse(exchange, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
            return;
        }
        timer.schedule(() -> reply(exchange, client), delay, TimeUnit.NANOSECONDS);
    }

    private void refuse(HttpExchange exchange, long retryAfterMillis) throws IOException {
        refused.incrementAndGet();
        exchange.getResponseHeaders().set("retry-after-ms", Long.toString(retryAfterMillis));
        exchange.getResponseHeaders().set("Retry-After", Long.toString((retryAfterMillis + 999) / 1000));
        exchange.sendResponseHeaders(429, REFUSAL.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(REFUSAL);
        }
    }

    private void reply(HttpExchange exchange, int client) {
        try {
            exchange.sendResponseHeaders(200, Payloads.REPLY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(Payloads.REPLY);
            }
            synchronized (successes) {
                successes.get(client).add(System.currentTimeMillis());
            }
        } catch (IOException e) {
            exchange.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
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
