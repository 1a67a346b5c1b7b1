package io.github.llmbridge.examples;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * LLM-as-judge for one response against one rubric: the model answers {@code {"score": 0..10}},
 * the judge returns it scaled to [0, 1]. Sync and async, as reward code needs both.
 */
public final class RubricJudge {

    private static final String SYSTEM = """
            You grade one response against one rubric. Reply with only a JSON object {"score": n}, \
            n from 0 (the rubric is not met at all) to 10 (fully met).""";

    /** The judge's reply. */
    record Score(double score) {}

    private final ChatClient client;
    private final String model;

    /** Creates a judge that asks {@code model} through {@code client}. */
    public RubricJudge(ChatClient client, String model) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Scores a response, waiting for the reply; see {@link #scoreAsync}. */
    public double score(String question, String response, Rubric rubric) {
        return Await.result(scoreAsync(question, response, rubric));
    }

    /**
     * Scores a response without blocking.
     *
     * @return how well the response meets the rubric, 0 to 1 (out-of-range replies are clamped)
     */
    public CompletableFuture<Double> scoreAsync(String question, String response, Rubric rubric) {
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .system(SYSTEM)
                .user("Question: " + question + "\nRubric: " + rubric.asPromptLine() + "\nResponse: " + response)
                .temperature(0.0)
                .maxTokens(20)
                .tags("judge")
                .build();
        return client.chatJsonAsync(request, Score.class).thenApply(s -> Math.max(0, Math.min(10, s.score())) / 10);
    }
}
