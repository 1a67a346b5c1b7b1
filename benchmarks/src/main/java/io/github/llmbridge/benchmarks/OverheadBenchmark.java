package io.github.llmbridge.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.internal.Json;
import io.github.llmbridge.core.internal.transport.ChatRequestJson;
import io.github.llmbridge.core.resilience.ResilientChatClient;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH micro-benchmarks of the per-call CPU the library spends outside the network, where whole
 * calls are too noisy to see it: writing the request body (the library's {@code ChatRequestJson}
 * against a hand-built Jackson tree), and a call through the resilience layer (deadline timer,
 * bulkhead permit, Resilience4j retry, attempt history) around a backend that answers at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OverheadBenchmark {

    private final ObjectMapper mapper = new ObjectMapper();
    private ChatRequest request;
    private ChatClient bare;
    private ChatClient resilient;

    /** Builds the request and the clients. */
    @Setup(Level.Trial)
    public void setUp() {
        request = Payloads.bridgeRequest();
        bare = new TracingWriterBenchmark.AnsweringClient(TracingWriterBenchmark.response());
        resilient = ResilientChatClient.builder(bare).maxConcurrentCalls(16).build();
    }

    /** Closes the clients. */
    @TearDown(Level.Trial)
    public void tearDown() {
        resilient.close();
    }

    /** The floor: a Jackson tree built by hand, written to bytes. */
    @Benchmark
    public byte[] requestBodyRawJackson() throws Exception {
        return mapper.writeValueAsBytes(Payloads.rawBody(mapper));
    }

    /** The library's request writer, written to bytes as the transport does. */
    @Benchmark
    public byte[] requestBodyBridge() throws Exception {
        return Json.MAPPER.writeValueAsBytes(ChatRequestJson.write(request));
    }

    /** A whole call through the resilience layer to a backend that answers at once. */
    @Benchmark
    public Object resilienceLayerCall() {
        return resilient.chatAsync(request).join();
    }
}
