package io.github.llmbridge.core.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.testing.ScriptedChatClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Judge scores reach the listener a client's layer offers, and nothing breaks without one. */
class EvaluationsTest {

    /** A layer that answers for an {@link EvaluationListener}, as the OpenTelemetry layer does. */
    private static class Listening implements ChatClient, EvaluationListener {
        final ChatClient delegate;
        final List<Evaluation> received = new CopyOnWriteArrayList<>();

        Listening(ChatClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public void evaluated(Evaluation evaluation) {
            received.add(evaluation);
        }

        @Override
        public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return delegate.chatAsync(request);
        }

        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return type.isInstance(this) ? Optional.of(type.cast(this)) : delegate.unwrap(type);
        }

        @Override
        public String backend() {
            return delegate.backend();
        }

        @Override
        public void close() {}
    }

    private static ChatRequest judge() {
        return ChatRequest.builder().model("acme/judge-1").user("Rate 1 to 10.").build();
    }

    @Test
    void aLabelScoreIsReportedUnderItsNameWithTheLabelAndHowItWasRead() {
        Listening client = new Listening(new ScriptedChatClient().reply("7"));

        LabelScore score = LabelScores.score(client, judge(), LabelSet.range(1, 10), "correctness");

        assertThat(client.received)
                .containsExactly(new Evaluation(
                        "correctness",
                        score.score(),
                        "7",
                        "the label written in the reply (no usable log probabilities)",
                        ""));
    }

    @Test
    void withoutANameTheScoreIsReportedAsLabelScore() {
        Listening client = new Listening(new ScriptedChatClient().reply("3"));

        LabelScores.score(client, judge(), LabelSet.range(1, 10));

        assertThat(client.received).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo(LabelScores.DEFAULT_EVALUATION_NAME);
            assertThat(e.score()).isEqualTo(3.0);
        });
    }

    @Test
    void aClientWithoutAListenerScoresAsBeforeAndAFailingListenerDoesNotFailTheCaller() {
        assertThat(LabelScores.score(new ScriptedChatClient().reply("5"), judge(), LabelSet.range(1, 10))
                        .score())
                .isEqualTo(5.0);
        Listening throwing = new Listening(new ScriptedChatClient().reply("5")) {
            @Override
            public void evaluated(Evaluation evaluation) {
                throw new IllegalStateException("exporter down");
            }
        };

        assertThat(LabelScores.score(throwing, judge(), LabelSet.range(1, 10)).score())
                .isEqualTo(5.0);
    }
}
