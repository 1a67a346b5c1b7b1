package io.github.llmbridge.openrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model-id rule and the suggestions that go with it. */
class ModelIdsTest {

    @Test
    void suggestsTheProviderOfWellKnownFamilies() {
        assertThat(ModelIds.suggestion("gpt-4o-mini")).hasValue("openai/gpt-4o-mini");
        assertThat(ModelIds.suggestion("o3-mini")).hasValue("openai/o3-mini");
        assertThat(ModelIds.suggestion("claude-3.5-sonnet")).hasValue("anthropic/claude-3.5-sonnet");
        assertThat(ModelIds.suggestion("Llama-3.1-8B-Instruct")).hasValue("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(ModelIds.suggestion("qwen-2.5-72b-instruct")).hasValue("qwen/qwen-2.5-72b-instruct");
        assertThat(ModelIds.suggestion("my-model")).isEmpty();
    }

    @Test
    void acceptsProviderSlashModelWithOptionalVariant() {
        assertThat(ModelIds.problem("openai/gpt-4o-mini", "model id")).isEmpty();
        assertThat(ModelIds.problem("deepseek/deepseek-r1:free", "model id")).isEmpty();
        assertThat(ModelIds.problem("gpt-4o:free", "model id"))
                .hasValueSatisfying(p -> assertThat(p).contains("no provider prefix", "'openai/gpt-4o:free'"));
        assertThat(ModelIds.problem(" ", "model id"))
                .hasValueSatisfying(p -> assertThat(p).contains("empty"));
    }

    @Test
    void closestKnownIdsFindTheMissingProviderAndTypos() {
        List<String> known =
                List.of("openai/gpt-4o-mini", "openai/gpt-4o", "anthropic/claude-3-haiku", "google/gemma-2-9b-it");

        assertThat(ModelSuggestions.closest("gpt-4o-mini", known, 3)).startsWith("openai/gpt-4o-mini");
        assertThat(ModelSuggestions.closest("openai/gpt4o-mini", known, 3)).startsWith("openai/gpt-4o-mini");
        assertThat(ModelSuggestions.closest("anthropic/claude-3-haiku-beta", known, 3))
                .containsExactly("anthropic/claude-3-haiku");
        assertThat(ModelSuggestions.closest("totally/unrelated-thing", known, 3))
                .isEmpty();
    }
}
