package io.github.llmbridge.core.resilience;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible stub on loopback that counts how many requests it is serving at once and
 * records the user message of each request in arrival order. Each reply is decided by a function
 * of the user message: a status code, sent at once or held until the test releases it, so a test
 * decides when requests overlap instead of hoping a delay makes them.
 */
final class CountingStubServer implements AutoCloseable {

    private static final Pattern USER_CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");

    /** How long a held reply waits for its release before the stub gives up on the test. */
    private static final long HOLD_LIMIT_SECONDS = 30;

    /**
     * What to answer: the HTTP status (200 gets a chat reply), the {@code Retry-After} header if
     * any, and the latch the reply waits for (null: answer at once).
     */
    record Reply(int status, String retryAfter, CountDownLatch release) {
        static Reply ok() {
            return new Reply(200, null, null);
        }

        /** A chat reply held until {@code release} is counted down. */
        static Reply okAfter(CountDownLatch release) {
            return new Reply(200, null, release);
        }

        static Reply status(int status, String retryAfter) {
            return new Reply(status, retryAfter, null);
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(64);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> arrivals = new CopyOnWriteArrayList<>();
    private final Function<String, Reply> replies;

    CountingStubServer(Function<String, Reply> replies) throws IOException {
        this.replies = replies;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        executor.prestartAllCoreThreads(); // so thread counts measured in tests are the client's
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    List<String> arrivals() {
        return arrivals;
    }

    /**
     * Waits until {@code count} requests have arrived in all.
     *
     * @throws AssertionError when they do not within 10 s
     */
    void awaitArrivals(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (arrivals) {
            while (arrivals.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(count + " requests never arrived; arrived: " + arrivals);
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = USER_CONTENT.matcher(body);
            String user = m.find() ? m.group(1) : "";
            synchronized (arrivals) {
                arrivals.add(user);
                arrivals.notifyAll();
            }
            Reply reply = replies.apply(user);
            if (reply.release() != null && !reply.release().await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the reply to " + user);
            }
            byte[] out = (reply.status() == 200
                            ? Replies.okBody(Replies.MODEL, "echo " + user)
                            : "{\"error\":{\"message\":\"status " + reply.status() + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            // Counted off before a byte of the reply leaves: once the client has the reply it may
            // send its next request, which must not be counted as overlapping this one.
            inFlight.decrementAndGet();
            counted = false;
            exchange.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
