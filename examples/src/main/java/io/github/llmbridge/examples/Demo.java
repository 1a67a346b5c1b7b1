package io.github.llmbridge.examples;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatClients;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.Settings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The README's first command. Judges a few answers the way reward code does: one {@code chat()}
 * call, then a batch of {@code chatAsync()} calls in parallel.
 *
 * <p>With no backend configured it starts a {@link LocalSimulator} on loopback and points the
 * LiteLLM backend at it, so a fresh clone shows the library working with no key. With
 * {@code USE_OPENROUTER_DIRECT=true} and a key, or with {@code LITELLM_PROXY_URL} set, the same
 * command talks to the real backend ({@code DEMO_MODEL} picks the model).
 */
public final class Demo {

    static final String DEFAULT_MODEL = "openai/gpt-4o-mini";

    private static final String JUDGE_PROMPT = """
            You are a strict grader. Read the answer and reply with only a JSON object \
            {"score": n} where n is 0 (wrong) to 10 (perfect).""";

    private static final List<String[]> ANSWERS = List.of(
            new String[] {"What is 17 * 3?", "51"},
            new String[] {"What is the capital of Australia?", "Sydney"},
            new String[] {"Name a prime number greater than 10.", "13"},
            new String[] {"Who wrote 'Pride and Prejudice'?", "Jane Austen"},
            new String[] {"What is the boiling point of water at sea level in Celsius?", "100 degrees"},
            new String[] {"How many sides does a hexagon have?", "8"});

    private Demo() {
    }

    /** Runs the demo; exits with status 1 if any call failed. */
    public static void main(String[] args) throws Exception {
        System.exit(run(System.getenv(), System.out));
    }

    /**
     * Runs the demo against the configured backend, or a local simulator when none is configured.
     *
     * @return the process exit status: 0 when every call succeeded
     */
    static int run(Map<String, String> environment, PrintStream out) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        String model = env.getOrDefault("DEMO_MODEL", DEFAULT_MODEL);
        LocalSimulator simulator = null;
        if (!backendConfigured(env)) {
            simulator = LocalSimulator.start(Duration.ofMillis(40));
            env.put("LLM_BACKEND", "litellm");
            env.put("LITELLM_PROXY_URL", simulator.baseUrl().toString());
            out.println("No backend configured: using the local simulator at " + simulator.baseUrl()
                    + " (set USE_OPENROUTER_DIRECT=true and OPENROUTER_API_KEY for a real model).");
            out.println("The simulator's scores are deterministic placeholders, not judgements.");
        }
        try (ChatClient client = ChatClients.fromEnv(env)) {
            return judgeAll(client, model, out);
        } catch (LlmException e) {
            out.println("Could not start: " + e.getMessage());
            return 1;
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private static int judgeAll(ChatClient client, String model, PrintStream out) {
        out.printf("Backend: %s, model: %s%n%n", client.backend(), model);

        String[] first = ANSWERS.get(0);
        ChatResponse reply = client.chat(judgeRequest(model, first));
        out.printf("chat():      %-60s -> %s  (%d ms, %d tokens)%n", label(first), reply.content().strip(),
                reply.latency().toMillis(), reply.usage().totalTokens());

        List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
        for (String[] qa : ANSWERS.subList(1, ANSWERS.size())) {
            calls.add(client.chatAsync(judgeRequest(model, qa)));
        }
        int failures = 0;
        long tokens = reply.usage().totalTokens();
        for (int i = 0; i < calls.size(); i++) {
            String[] qa = ANSWERS.get(i + 1);
            try {
                ChatResponse r = calls.get(i).join();
                tokens += r.usage().totalTokens();
                out.printf("chatAsync(): %-60s -> %s  (%d ms)%n", label(qa), r.content().strip(), r.latency().toMillis());
            } catch (RuntimeException e) {
                failures++;
                LlmException failure = LlmException.from(e);
                out.printf("chatAsync(): %-60s -> FAILED %s: %s%n", label(qa), failure.category(), failure.getMessage());
            }
        }
        out.printf("%n%d calls, %d failed, %d tokens in total.%n", ANSWERS.size(), failures, tokens);
        return failures == 0 ? 0 : 1;
    }

    private static ChatRequest judgeRequest(String model, String[] questionAndAnswer) {
        return ChatRequest.builder()
                .model(model)
                .system(JUDGE_PROMPT)
                .user("Question: " + questionAndAnswer[0] + "\nAnswer: " + questionAndAnswer[1])
                .temperature(0.0)
                .maxTokens(50)
                .build();
    }

    private static String label(String[] qa) {
        String text = qa[0] + " " + qa[1];
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static boolean backendConfigured(Map<String, String> env) {
        Settings s = Settings.of(env);
        return s.get("LLM_BACKEND").isPresent() || s.get("LITELLM_PROXY_URL").isPresent()
                || s.flag("USE_OPENROUTER_DIRECT", false);
    }
}
