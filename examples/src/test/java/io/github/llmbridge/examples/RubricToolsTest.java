package io.github.llmbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rubric generator and judge, tested the way the README tells users to test reward code. */
class RubricToolsTest {

    @Test
    void theGeneratorParsesRubricsFromAFencedReplyAndPassesExistingOnes() {
        ScriptedChatClient model = new ScriptedChatClient().reply("""
                Here you go:
                ```json
                {"positive_rubrics": [{"title": "Correct", "description": "Says 51"}],
                 "negative_rubrics": [{"title": "Wrong", "description": "Says 41"}]}
                ```""");
        RubricSet existing = new RubricSet("q", List.of(new Rubric("Shows work", "Explains the product")), List.of());

        RubricSet set = new RubricGenerator(model, "acme/m").generate("What is 17 * 3?", List.of("51", "41"), existing);

        assertThat(set.question()).isEqualTo("What is 17 * 3?");
        assertThat(set.positiveRubrics()).containsExactly(new Rubric("Correct", "Says 51"));
        assertThat(set.negativeRubrics()).containsExactly(new Rubric("Wrong", "Says 41"));
        String prompt = model.lastRequest().messages().get(1).content();
        assertThat(prompt).contains("1. 51", "2. 41", "Existing rubrics", "+ Shows work: Explains the product");
        assertThat(model.lastRequest().tags()).containsExactly("rubric-generation");
    }

    @Test
    void theGeneratorRejectsASetWithoutPositiveRubrics() {
        ScriptedChatClient model =
                new ScriptedChatClient().reply("{\"positive_rubrics\": [], \"negative_rubrics\": []}");

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> new RubricGenerator(model, "acme/m").generate("q", List.of("a"), null));

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
        assertThat(e.getMessage()).contains("no positive rubric");
    }

    @Test
    void theJudgeScalesAndClampsScoresSyncAndAsync() throws Exception {
        ScriptedChatClient model = new ScriptedChatClient()
                .reply("{\"score\": 7}")
                .reply("Score: {\"score\": 14}")
                .reply("{\"score\": -2}");
        RubricJudge judge = new RubricJudge(model, "acme/m");
        Rubric rubric = new Rubric("Correct", "Says 51");

        assertThat(judge.score("q", "51", rubric)).isEqualTo(0.7);
        assertThat(judge.scoreAsync("q", "51", rubric).get()).isEqualTo(1.0);
        assertThat(judge.score("q", "51", rubric)).isEqualTo(0.0);
        assertThat(model.requests().get(0).messages().get(1).content())
                .contains("Rubric: Correct: Says 51", "Response: 51");
    }

    @Test
    void aJudgeFailureSurfacesAsTheLlmException() {
        ScriptedChatClient model = new ScriptedChatClient().fail(ErrorCategory.AUTHENTICATION, "bad key");

        LlmException e = catchThrowableOfType(
                LlmException.class, () -> new RubricJudge(model, "acme/m").score("q", "a", new Rubric("t", "d")));

        assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
    }
}
