package io.github.llmbridge.examples;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a model to write grading rubrics for a question, given candidate responses (and any
 * rubrics that already exist), the way reward code for rubric-based RL does. Written as a user
 * of the library would write it: a prompt, {@link ChatClient#chatJsonAsync}, a check.
 */
public final class RubricGenerator {

    private static final String SYSTEM = """
            You write grading rubrics for answers to a question. Reply with only a JSON object: \
            {"question": "<the question>", "positive_rubrics": [{"title": "...", "description": "..."}], \
            "negative_rubrics": [{"title": "...", "description": "..."}]}. Write 2 positive rubrics \
            (what a good answer does) and 1 negative rubric (a mistake a bad answer makes).""";

    private final ChatClient client;
    private final String model;

    /** Creates a generator that asks {@code model} through {@code client}. */
    public RubricGenerator(ChatClient client, String model) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Generates rubrics, waiting for the reply. */
    public RubricSet generate(String question, List<String> responses, RubricSet existing) {
        return Await.result(generateAsync(question, responses, existing));
    }

    /**
     * Generates rubrics without blocking.
     *
     * @param existing rubrics already written for the question, to extend rather than repeat;
     *                 {@code null} for none
     * @return rubrics with at least one positive one; the future fails with an
     *         {@link LlmException} ({@link ErrorCategory#INVALID_RESPONSE} when the model wrote none)
     */
    public CompletableFuture<RubricSet> generateAsync(String question, List<String> responses, RubricSet existing) {
        StringBuilder user = new StringBuilder("Question: ").append(question).append("\n\nCandidate responses:\n");
        for (int i = 0; i < responses.size(); i++) {
            user.append(i + 1).append(". ").append(responses.get(i)).append('\n');
        }
        if (existing != null && existing.size() > 0) {
            user.append("\nExisting rubrics (do not repeat them):\n");
            existing.positiveRubrics()
                    .forEach(r -> user.append("+ ").append(r.asPromptLine()).append('\n'));
            existing.negativeRubrics()
                    .forEach(r -> user.append("- ").append(r.asPromptLine()).append('\n'));
        }
        ChatRequest request = ChatRequest.builder()
                .model(model)
                .system(SYSTEM)
                .user(user.toString())
                .temperature(0.2)
                .maxTokens(600)
                .tags("rubric-generation")
                .build();
        return client.chatJsonAsync(request, Written.class).thenApply(written -> {
            if (written.positiveRubrics().isEmpty()) {
                throw LlmException.builder(
                                ErrorCategory.INVALID_RESPONSE, "the model wrote no positive rubric for: " + question)
                        .model(model)
                        .build();
            }
            return new RubricSet(question, written.positiveRubrics(), written.negativeRubrics());
        });
    }

    /**
     * What the model writes: only the rubrics. chatJson sends this type's strict schema, which
     * requires every field, so the question (which the code knows) is not part of it.
     */
    record Written(
            @JsonProperty("positive_rubrics") List<Rubric> positiveRubrics,
            @JsonProperty("negative_rubrics") List<Rubric> negativeRubrics) {
        /** A server that sent no schema-checked reply may leave a list out. */
        Written {
            positiveRubrics = positiveRubrics == null ? List.of() : positiveRubrics;
            negativeRubrics = negativeRubrics == null ? List.of() : negativeRubrics;
        }
    }
}
