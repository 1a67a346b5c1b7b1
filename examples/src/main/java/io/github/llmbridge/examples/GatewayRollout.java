package io.github.llmbridge.examples;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ToolCall;
import io.github.llmbridge.core.config.ChatClients;
import io.github.llmbridge.core.settings.CoreVariables;
import io.github.llmbridge.core.settings.Settings;
import io.github.llmbridge.core.tools.ToolLoop;
import io.github.llmbridge.core.tools.ToolLoopResult;
import io.github.llmbridge.rllm.GatewaySession;
import io.github.llmbridge.rllm.GatewayTrace;
import io.github.llmbridge.rllm.NewSession;
import io.github.llmbridge.rllm.RllmChatClient;
import io.github.llmbridge.rllm.RllmGateway;
import io.github.llmbridge.rllm.RllmVariables;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An agent rollout with a tool through rLLM's model gateway, and the trainer reading the rollout
 * back with its token ids: the agent's side is the {@code rllm} backend, the trainer's is
 * {@link RllmGateway}. It runs against an in-process gateway simulator on loopback (no Python, no
 * key); set {@code RLLM_GATEWAY_URL} to a real gateway's root to run it there instead.
 *
 * <pre>
 * java -cp examples/target/llm-bridge-examples.jar io.github.llmbridge.examples.GatewayRollout
 * </pre>
 */
public final class GatewayRollout {

    /** The tool's parameters. */
    record Weather(String city) {}

    private GatewayRollout() {}

    /**
     * Runs the rollout and prints the traces.
     *
     * @param args none
     * @throws Exception when the simulator cannot start or a call fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Settings env = Settings.fromEnvironment();
        String real = env.get(RllmVariables.RLLM_GATEWAY_URL).orElse(null);
        try (GatewaySimulator sim = real == null ? GatewaySimulator.start() : null) {
            String gatewayUrl = sim != null ? sim.url().toString() : real;
            out.println((sim != null ? "Gateway simulator at " : "Gateway at ") + gatewayUrl);
            run(gatewayUrl, env.get(DemoVariables.DEMO_MODEL).orElse("Qwen/Qwen3-4B"), out);
        }
    }

    /** The trainer creates a session, the agent runs in it, the trainer reads its traces. */
    static List<GatewayTrace> run(String gatewayUrl, String model, PrintStream out) {
        // Trainer: wait for the gateway, open a session for this task.
        RllmGateway gateway = RllmGateway.builder().gatewayUrl(gatewayUrl).build();
        gateway.waitUntilReady(Duration.ofSeconds(30));
        out.println("Found: " + gateway.generation().description());
        GatewaySession session = gateway.createSession(NewSession.builder()
                .metadata(Map.of("task", "weather-paris", "step", 1))
                .build());
        out.println("Session " + session.id() + ", agent URL " + session.url());

        // Agent: the session URL is all it gets; every call of its tool loop goes there.
        ToolLoop loop = ToolLoop.builder()
                .tool("get_weather", "Current weather in a city", Weather.class, w -> "18 °C and sunny in " + w.city())
                .maxRounds(4)
                .build();
        ToolLoopResult result;
        try (ChatClient agent = ChatClients.fromEnv(Map.of(
                CoreVariables.LLM_BACKEND.name(),
                RllmChatClient.BACKEND,
                RllmVariables.RLLM_GATEWAY_URL.name(),
                session.url().toString()))) {
            result = loop.run(
                    agent,
                    ChatRequest.builder()
                            .model(model)
                            .user("What is the weather in Paris?")
                            .build());
        }
        out.println("Agent answered after " + result.rounds() + " rounds: " + result.content());

        // Trainer: flush and read the session back, one trace per model call.
        List<GatewayTrace> traces = gateway.traces(session.id(), result.rounds(), Duration.ofSeconds(30));
        for (GatewayTrace t : traces) {
            out.println();
            out.println("trace " + t.traceId() + "  finish_reason="
                    + t.finishReason().value());
            out.println("  prompt token ids     (" + t.promptTokenIds().size() + "): "
                    + head(t.promptTokenIds().toArray()));
            out.println("  completion token ids (" + t.completionTokenIds().size() + "): "
                    + head(t.completionTokenIds().toArray()));
            out.println("  logprobs             (" + t.logprobValues().length + "): sum "
                    + String.format("%.3f", Arrays.stream(t.logprobValues()).sum()));
            List<ToolCall> calls = t.responseMessage().toolCalls();
            out.println(
                    calls.isEmpty()
                            ? "  answer: " + t.responseMessage().content()
                            : "  tool calls: "
                                    + calls.stream()
                                            .map(c -> c.name() + c.arguments())
                                            .collect(Collectors.joining(", ")));
        }
        return traces;
    }

    private static String head(int[] ids) {
        String shown = Arrays.stream(ids).limit(12).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return "[" + shown + (ids.length > 12 ? ", ...]" : "]");
    }
}
