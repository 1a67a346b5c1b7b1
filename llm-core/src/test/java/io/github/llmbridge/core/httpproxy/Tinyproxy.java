package io.github.llmbridge.core.httpproxy;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real forward proxy for tests: {@code tinyproxy} (Debian package) on a free loopback port with
 * a generated config, optionally with Basic authentication, logging every request to a file the
 * test can read. {@link #start} skips the calling test, with the reason printed, when tinyproxy is
 * not installed ({@code .ci/run} installs it, so CI always runs these tests).
 */
public final class Tinyproxy implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;

    private Tinyproxy(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Returns the tinyproxy binary, if installed. */
    public static Optional<Path> binary() {
        String path =
                System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin:/usr/local/bin";
        for (String d : path.split(File.pathSeparator, -1)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, "tinyproxy");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts tinyproxy, or skips the test when it is not installed.
     *
     * @param user     Basic-auth user, or {@code null} for an open proxy
     * @param password Basic-auth password
     */
    public static Tinyproxy start(String user, String password) throws IOException {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            String reason = "tinyproxy is not installed (apt-get install -y tinyproxy): skipping the real-proxy test";
            System.out.println("SKIPPED: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        Path dir = Files.createTempDirectory("llm-bridge-tinyproxy");
        int port = freePort();
        String config = String.join(
                "\n",
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 30",
                "LogFile \"" + dir.resolve("tinyproxy.log") + "\"",
                "LogLevel Info",
                "MaxClients 50",
                "Allow 127.0.0.1",
                "DisableViaHeader Yes",
                user == null ? "" : "BasicAuth " + user + " " + password,
                "");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, config, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(binary.get().toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
        Tinyproxy proxy = new Tinyproxy(p, dir, port);
        proxy.awaitListening(Duration.ofSeconds(15));
        return proxy;
    }

    /** Returns the proxy URL, with credentials when given: {@code http://user:pw@127.0.0.1:port}. */
    public String url(String user, String password) {
        return "http://" + (user == null ? "" : user + ":" + password + "@") + "127.0.0.1:" + port;
    }

    /** Returns the port it listens on. */
    public int port() {
        return port;
    }

    /** Returns everything tinyproxy logged so far. */
    public String log() throws IOException {
        Path log = dir.resolve("tinyproxy.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("tinyproxy exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.txt")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(pauseNanos); // a process start has no event to wait on: poll the port
                pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        close();
        throw new IOException("tinyproxy did not listen on port " + port + " within " + timeout + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops tinyproxy and deletes its config and log. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }
}
