package io.github.llmbridge.core.judge;

import static io.github.llmbridge.core.judge.Judgements.alt;
import static io.github.llmbridge.core.judge.Judgements.reply;
import static io.github.llmbridge.core.judge.Judgements.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import org.junit.jupiter.api.Test;

/** The README's "Get a logprob-weighted 1–10 score", as written there, against a scripted judge. */
class ReadmeExampleTest {

    @Test
    void theLogprobWeightedScoreOfTheReadmeRuns() {
        ChatClient client = new ScriptedChatClient()
                .reply(reply(token("7", 0.6, alt("7", 0.6), alt("8", 0.2), alt("6", 0.1), alt("The", 0.1))));
        String question = "What is 2 + 2?";
        String answer = "4";

        // --- README snippet
        ChatRequest judge = ChatRequest.builder()
                .model("openai/gpt-4o-mini")
                .system("Rate the answer's correctness from 1 to 10. Reply with the number only.")
                .user("Question: " + question + "\nAnswer: " + answer)
                .temperature(0.0)
                .maxTokens(3)
                .build();

        LabelScore s = LabelScores.score(client, judge, LabelSet.range(1, 10));
        double reward = s.score(); // expected value: sum of value x probability, e.g. 7.11
        System.out.println(s.label() + " " + s.distribution() + " " + s.labelMass() + " " + s.source());
        // --- end of snippet

        // 7 = 0.6, 8 = 0.2, 6 = 0.1: mass 0.9; score = (4.2 + 1.6 + 0.6) / 0.9 = 6.4 / 0.9 = 7.111...
        assertThat(reward).isCloseTo(6.4 / 0.9, within(1e-12));
        assertThat(s.label()).isEqualTo("7");
    }
}
