package io.github.llmbridge.core.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket HTTP/1.1 server for streamed replies, where WireMock cannot pause in the middle of
 * a body: each connection runs the next {@link Script} on its own thread, which writes the head
 * and then the body piece by piece (each piece flushed as its own TCP write), can wait on latches
 * between pieces, and can watch whether the client closed the connection. Bodies are delimited by
 * closing the connection ({@code Connection: close}), as a stream that never ends must be.
 */
public final class SseServer implements AutoCloseable {

    /** What the server does on one connection. */
    @FunctionalInterface
    public interface Script {
        /** Answers one request; the connection is closed when it returns. */
        void answer(Exchange exchange) throws Exception;
    }

    /** One connection: the request read, and the means to answer it. */
    public static final class Exchange {
        private final Socket socket;
        private final String head;
        private final String body;
        private final OutputStream out;

        Exchange(Socket socket, String head, String body) throws IOException {
            this.socket = socket;
            this.head = head;
            this.body = body;
            this.out = socket.getOutputStream();
        }

        /** Returns the request's head (request line and headers). */
        public String head() {
            return head;
        }

        /** Returns the request's body. */
        public String body() {
            return body;
        }

        /** Writes a 200 head for an event stream. */
        public Exchange streamHead() throws IOException {
            return write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Connection: close\r\n\r\n");
        }

        /** Writes a whole reply with this status, content type and body. */
        public Exchange reply(int status, String contentType, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            write("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n");
            return write(bytes);
        }

        /** Writes and flushes text as UTF-8. */
        public Exchange write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes and flushes bytes. */
        public Exchange write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Writes one {@code data:} event. */
        public Exchange data(String json) throws IOException {
            return write("data: " + json + "\n\n");
        }

        /** Writes the bytes one flushed write at a time (no Nagle delay), so the client sees splits, inside characters too. */
        public Exchange writeByteByByte(String text) throws IOException {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
            }
            return this;
        }

        /** Waits for the latch (the test's signal), at most 60 s. */
        public Exchange await(CountDownLatch latch) throws InterruptedException {
            latch.await(60, TimeUnit.SECONDS);
            return this;
        }

        /**
         * Waits until the client closes the connection, reading and discarding anything it
         * sends; returns whether it did within the time.
         */
        public boolean clientClosedWithin(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                return socket.getInputStream().read() == -1;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the client: closed too
            }
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** Starts a server on a random loopback port. */
    public SseServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "sse-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Queues the script of the next connection. */
    public SseServer then(Script script) {
        scripts.add(script);
        return this;
    }

    /** Returns the base URL, {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Returns the chat endpoint, {@code <base>/v1/chat/completions}. */
    public URI chatUri() {
        return baseUri().resolve("/v1/chat/completions");
    }

    /** Returns the bodies of the requests received so far. */
    public List<String> requestBodies() {
        return List.copyOf(bodies);
    }

    /** Returns what the scripts threw (a test's assertion on the server side shows up here). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> handle(socket), "sse-server-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = contentLength(head);
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            bodies.add(body);
            Script script = scripts.poll(30, TimeUnit.SECONDS);
            if (script == null) {
                new Exchange(socket, head, body)
                        .reply(500, "application/json", "{\"error\":{\"message\":\"no script\"}}");
                return;
            }
            script.answer(new Exchange(socket, head, body));
        } catch (SocketException e) {
            // the client went away: what cancellation tests provoke
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("the request ended inside its head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    private static int contentLength(String head) {
        for (String line : head.lines().toList()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(
                        line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
