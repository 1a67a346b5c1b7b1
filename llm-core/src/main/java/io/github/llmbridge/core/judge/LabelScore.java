package io.github.llmbridge.core.judge;

import io.github.llmbridge.core.ChatResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A judge's answer scored over a {@link LabelSet}: the probability-weighted value, the
 * distribution over the labels, the most likely label, and where the numbers came from.
 *
 * <pre>{@code
 * LabelScore s = LabelScores.score(client, request, LabelSet.range(1, 10));
 * double reward = s.score();            // e.g. 7.11 = sum of value x probability
 * s.distribution();                     // {"1"=0.0, ..., "6"=0.11, "7"=0.67, "8"=0.22, ...}
 * s.label();                            // "7", the most likely
 * s.source();                           // LOGPROBS, or TEXT when the provider sent no logprobs
 * }</pre>
 */
public final class LabelScore {

    /** Where a score came from. */
    public enum Source {
        /** The top alternatives of the answer token: a distribution over the labels. */
        LOGPROBS,
        /**
         * The reply's text, because the provider sent no usable logprobs: the first label in the
         * reply gets probability 1, so the score is that label's value.
         */
        TEXT
    }

    private final double score;
    private final String label;
    private final double labelValue;
    private final Map<String, Double> distribution;
    private final Double labelMass;
    private final Source source;
    private final Integer answerTokenIndex;
    private final ChatResponse response;

    LabelScore(
            LabelSet labels,
            Map<String, Double> distribution,
            Double labelMass,
            Source source,
            Integer answerTokenIndex,
            ChatResponse response) {
        this.distribution = Collections.unmodifiableMap(new LinkedHashMap<>(distribution));
        this.labelMass = labelMass;
        this.source = Objects.requireNonNull(source, "source");
        this.answerTokenIndex = answerTokenIndex;
        this.response = Objects.requireNonNull(response, "response");
        double expected = 0;
        String best = null;
        double bestProbability = -1;
        for (Map.Entry<String, Double> e : this.distribution.entrySet()) {
            expected += labels.value(e.getKey()) * e.getValue();
            if (e.getValue() > bestProbability) { // strictly: a tie keeps the earlier label
                bestProbability = e.getValue();
                best = e.getKey();
            }
        }
        this.score = expected;
        this.label = best;
        this.labelValue = labels.value(best);
    }

    /** Returns the expected value: each label's value times its probability, summed. */
    public double score() {
        return score;
    }

    /** Returns the most likely label (the earlier one in the set on a tie). */
    public String label() {
        return label;
    }

    /** Returns the value of the most likely label. */
    public double labelValue() {
        return labelValue;
    }

    /**
     * Returns every label's probability, in the set's order, normalised over the labels (they sum
     * to 1): a label's probability is the sum over the alternatives at the answer position that
     * match it, divided by {@link #labelMass()}. Labels not among the alternatives have 0.
     */
    public Map<String, Double> distribution() {
        return distribution;
    }

    /**
     * Returns the probability mass the model put on the labels at the answer position, before
     * normalising (0 to 1): low values mean the model mostly meant to write something else there,
     * and the score rests on little. Empty for a {@link Source#TEXT} score.
     */
    public OptionalDouble labelMass() {
        return labelMass == null ? OptionalDouble.empty() : OptionalDouble.of(labelMass);
    }

    /** Returns where the score came from. */
    public Source source() {
        return source;
    }

    /**
     * Returns the position, among the reply's content tokens, of the token the score was read
     * at; empty for a {@link Source#TEXT} score.
     */
    public OptionalInt answerTokenIndex() {
        return answerTokenIndex == null ? OptionalInt.empty() : OptionalInt.of(answerTokenIndex);
    }

    /** Returns the judge's reply. */
    public ChatResponse response() {
        return response;
    }

    /** Shows the score, the label, the source and the mass, not the reply. */
    @Override
    public String toString() {
        return "LabelScore[" + score + ", label=" + label + ", " + source
                + (labelMass == null ? "" : ", labelMass=" + labelMass) + "]";
    }
}
