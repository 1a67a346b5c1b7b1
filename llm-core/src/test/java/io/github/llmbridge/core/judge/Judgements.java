package io.github.llmbridge.core.judge;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenLogprob;
import java.util.ArrayList;
import java.util.List;

/** Judge replies with logprobs, written as probabilities so a test reads like its arithmetic. */
final class Judgements {

    static final String MODEL = "acme/judge";

    private Judgements() {}

    /** An alternative at a position: a token and its probability (stored as ln p, as providers send it). */
    static TokenLogprob alt(String token, double probability) {
        return new TokenLogprob(token, Math.log(probability), null, null);
    }

    /** A generated token with its probability and the top alternatives at its position. */
    static TokenLogprob token(String token, double probability, TokenLogprob... top) {
        return new TokenLogprob(token, Math.log(probability), null, List.of(top));
    }

    /** A reply whose content is the tokens joined, with their logprobs. */
    static ChatResponse reply(TokenLogprob... tokens) {
        StringBuilder text = new StringBuilder();
        List<TokenLogprob> list = new ArrayList<>();
        for (TokenLogprob t : tokens) {
            text.append(t.token());
            list.add(t);
        }
        return ChatResponse.builder()
                .model(MODEL)
                .backend("scripted")
                .choices(List.of(new Choice(
                        0, ChatMessage.assistant(text.toString()), FinishReason.STOP, new Logprobs(list, null), null)))
                .build();
    }

    /** A reply without logprobs, as from a provider that does not return them. */
    static ChatResponse textOnly(String text) {
        return ChatResponse.builder()
                .model(MODEL)
                .backend("scripted")
                .content(text)
                .build();
    }
}
