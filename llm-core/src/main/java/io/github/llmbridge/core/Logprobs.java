package io.github.llmbridge.core;

import java.util.List;

/**
 * The log probabilities of one choice's tokens ({@code choices[].logprobs}), present when the
 * request asked for them ({@link ChatRequest.Builder#logprobs(Boolean)}). RL trainers use them for
 * importance-sampling corrections; judges use {@link TokenLogprob#topLogprobs()} to score by
 * expected value (see {@code io.github.llmbridge.core.judge.LabelScores}).
 *
 * @param content the content's tokens, in order (empty when the provider sent none)
 * @param refusal the refusal's tokens, in order (empty unless the model refused)
 */
public record Logprobs(List<TokenLogprob> content, List<TokenLogprob> refusal) {

    /** Copies the lists ({@code null} becomes empty). */
    public Logprobs {
        content = content == null ? List.of() : List.copyOf(content);
        refusal = refusal == null ? List.of() : List.copyOf(refusal);
    }

    /** Returns the sum of the content tokens' log probabilities: the sequence's log likelihood. */
    public double contentLogprobSum() {
        double sum = 0;
        for (TokenLogprob t : content) {
            sum += t.logprob();
        }
        return sum;
    }

    /** Shows the counts, not the tokens. */
    @Override
    public String toString() {
        return "Logprobs[" + content.size() + " content tokens"
                + (refusal.isEmpty() ? "" : ", " + refusal.size() + " refusal tokens") + "]";
    }
}
