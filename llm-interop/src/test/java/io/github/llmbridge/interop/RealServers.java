package io.github.llmbridge.interop;

import io.github.llmbridge.litellm.LiteLlmServer;
import io.github.llmbridge.rllm.RllmGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real servers the interop tests talk to, started once per test JVM from the virtualenv
 * {@code setup-venv.sh} made, all on loopback: a vLLM-like stub ({@code vllm_stub.py}), rLLM's
 * model gateway with the stub as its worker, a second gateway with no worker, and a LiteLLM proxy
 * whose two models are the stub ({@code stub-model}) and the stub's failing model
 * ({@code stub-error}), with a callback that writes what it records to a file. Anything that
 * cannot start fails the tests loudly, with the end of its log.
 */
final class RealServers {

    static final String LITELLM_KEY = "sk-interop-master-key-0042";

    private static final HttpClient PLAIN =
            HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private static RealServers instance;

    final URI stub;
    final URI gateway;
    final URI gatewayWithoutWorker;
    final URI litellm;
    final Path litellmEvents;
    private final List<Process> processes;

    private RealServers(
            URI stub, URI gateway, URI gatewayWithoutWorker, URI litellm, Path litellmEvents, List<Process> processes) {
        this.stub = stub;
        this.gateway = gateway;
        this.gatewayWithoutWorker = gatewayWithoutWorker;
        this.litellm = litellm;
        this.litellmEvents = litellmEvents;
        this.processes = processes;
    }

    /** Returns the servers, starting them on first use. */
    static synchronized RealServers get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new IllegalStateException("the interop servers could not start: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    private static RealServers start() throws IOException {
        Path venv = Path.of(System.getProperty("interop.venv", "target/venv"));
        Path python = venv.resolve("bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("no interop virtualenv at " + venv.toAbsolutePath()
                    + ": run llm-interop/setup-venv.sh first (it installs the pinned rllm-model-gateway and litellm)");
        }
        Path scripts = Path.of(System.getProperty("interop.python.dir", "src/test/python"))
                .toAbsolutePath();
        Path work = Files.createDirectories(Path.of(System.getProperty("interop.work", "target/interop")));
        List<Process> processes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(processes), "interop-servers-stop"));

        // The stub binds a free port itself and writes it to a file once it listens.
        Path portFile = work.resolve("stub.port");
        Files.deleteIfExists(portFile);
        Process stubProcess = launch(
                processes,
                work,
                "stub",
                work,
                Map.of(),
                python.toString(),
                scripts.resolve("vllm_stub.py").toString(),
                portFile.toString());
        URI stub = URI.create("http://127.0.0.1:" + awaitPortFile(stubProcess, portFile, work.resolve("stub.log")));

        int gatewayPort = freePort();
        Path db = work.resolve("gateway_traces.db");
        Files.deleteIfExists(db);
        launch(
                processes,
                work,
                "gateway",
                work,
                Map.of(),
                venv.resolve("bin/rllm-model-gateway").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(gatewayPort),
                "--worker",
                stub + "/v1",
                "--db-path",
                db.toString(),
                "--log-level",
                "warning");
        int bareGatewayPort = freePort();
        launch(
                processes,
                work,
                "gateway-without-worker",
                work,
                Map.of(),
                venv.resolve("bin/rllm-model-gateway").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(bareGatewayPort),
                "--store",
                "memory",
                "--log-level",
                "warning");

        int litellmPort = freePort();
        Path litellmDir = Files.createDirectories(work.resolve("litellm"));
        Files.copy(
                scripts.resolve("interop_recorder.py"),
                litellmDir.resolve("interop_recorder.py"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path events = litellmDir.resolve("events.jsonl");
        Files.deleteIfExists(events);
        Files.writeString(litellmDir.resolve("config.yaml"), """
                model_list:
                  - model_name: stub-model
                    litellm_params: {model: openai/stub-model, api_base: "%1$s/v1", api_key: stub-key}
                  - model_name: stub-error
                    litellm_params: {model: openai/stub-error, api_base: "%1$s/v1", api_key: stub-key}
                litellm_settings:
                  callbacks: interop_recorder.recorder
                general_settings:
                  master_key: %2$s
                """.formatted(stub, LITELLM_KEY), StandardCharsets.UTF_8);
        launch(
                processes,
                work,
                "litellm",
                litellmDir,
                Map.of(
                        "LITELLM_LOCAL_MODEL_COST_MAP",
                        "True",
                        "INTEROP_EVENTS",
                        events.toString(),
                        "NO_PROXY",
                        "*",
                        "no_proxy",
                        "*"),
                venv.resolve("bin/litellm").toString(),
                "--config",
                "config.yaml",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(litellmPort));

        RealServers servers = new RealServers(
                stub,
                URI.create("http://127.0.0.1:" + gatewayPort),
                URI.create("http://127.0.0.1:" + bareGatewayPort),
                URI.create("http://127.0.0.1:" + litellmPort),
                events,
                processes);
        servers.awaitReady(work);
        return servers;
    }

    /** Waits for each server with LLM Bridge's own readiness checks; a dead process fails at once with its log. */
    private void awaitReady(Path work) {
        String[] names = {"gateway", "gateway-without-worker", "litellm"};
        Runnable[] waits = {
            () -> RllmGateway.builder().gatewayUrl(gateway.toString()).build().waitUntilReady(Duration.ofSeconds(60)),
            () -> RllmGateway.builder()
                    .gatewayUrl(gatewayWithoutWorker.toString())
                    .build()
                    .waitUntilReady(Duration.ofSeconds(60)),
            () -> LiteLlmServer.builder().serverUrl(litellm.toString()).build().waitUntilReady(Duration.ofSeconds(120)),
        };
        for (int i = 0; i < names.length; i++) {
            Process p = processes.get(i + 1);
            try {
                waits[i].run();
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "the real " + names[i] + " did not come up"
                                + (p.isAlive() ? "" : " (it exited " + exit(p) + ")")
                                + ": " + e.getMessage() + "\n--- end of " + names[i] + ".log ---\n"
                                + tail(work.resolve(names[i] + ".log")),
                        e);
            }
        }
    }

    /** The chat requests the stub received, oldest first (its {@code GET /_requests}). */
    String stubRequests() {
        return get(stub.resolve("/_requests"));
    }

    /** Forgets the requests the stub received. */
    void clearStubRequests() {
        send(HttpRequest.newBuilder(stub.resolve("/_requests")).DELETE().build());
    }

    /** The lines LiteLLM's callback wrote, one JSON object per call. */
    List<String> litellmEvents() throws IOException {
        return Files.exists(litellmEvents) ? Files.readAllLines(litellmEvents, StandardCharsets.UTF_8) : List.of();
    }

    private static String get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    private static String send(HttpRequest request) {
        try {
            return PLAIN.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process launch(
            List<Process> processes, Path work, String name, Path dir, Map<String, String> env, String... command)
            throws IOException {
        ProcessBuilder b = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        b.environment().putAll(env);
        Process p;
        try {
            p = b.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        processes.add(p);
        return p;
    }

    private static int awaitPortFile(Process p, Path portFile, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                return Integer.parseInt(Files.readString(portFile).trim());
            }
            if (!p.isAlive()) {
                break;
            }
            try {
                p.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException(
                "the stub did not start" + (p.isAlive() ? "" : " (exited " + exit(p) + ")") + "\n" + tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String exit(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "running";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void stopAll(List<Process> processes) {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
