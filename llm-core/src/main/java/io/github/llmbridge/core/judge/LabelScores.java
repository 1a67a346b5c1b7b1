package io.github.llmbridge.core.judge;

import io.github.llmbridge.core.ChatClient;
import io.github.llmbridge.core.ChatRequest;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.ErrorCategory;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.LlmException;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.internal.Futures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A logprob-weighted judge score: send a judge request whose answer is one label (a score
 * {@code "1"}..{@code "10"}, {@code "yes"}/{@code "no"}), read the model's probabilities for every
 * label at the answer position, and return the expected value instead of the one label it
 * happened to write. The expected value moves smoothly with the model's confidence, which cuts
 * the variance of a reward.
 *
 * <pre>{@code
 * ChatRequest judge = ChatRequest.builder()
 *     .model("openai/gpt-4o-mini")
 *     .system("Rate the answer from 1 to 10. Reply with the number only.")
 *     .user(answer)
 *     .temperature(0.0)
 *     .maxTokens(3)
 *     .build();
 * LabelScore s = LabelScores.score(client, judge, LabelSet.range(1, 10));
 * double reward = s.score();   // e.g. 7.11; s.source() says LOGPROBS or TEXT
 * }</pre>
 *
 * <p><b>The request</b> is sent with {@code logprobs: true} and {@code top_logprobs: 20} where it
 * sets neither ({@link #withLogprobs}); what it sets is kept, so {@code logprobs(false)} gives a
 * {@link LabelScore.Source#TEXT} score and a smaller {@code topLogprobs} a coarser distribution.
 * The score reads the first choice, so {@code n} must be unset or 1.
 *
 * <p><b>The answer position</b> is the first content token that matches a label (see
 * {@link LabelSet} for matching: surrounding whitespace, quotes, punctuation and markdown marks
 * are ignored, and so is case unless the set says otherwise). Tokens before it are skipped:
 * tokens that are only whitespace, quotes, punctuation or markdown (so {@code "**7**"} and
 * {@code " 7"} are read at the {@code 7}), and words that are not labels (so {@code "Score: 7"} is
 * read at the {@code 7}). Ask for the label first, or alone: a reply that reasons first is read
 * at the first label-like token in it ({@code "Step 1: ..."} reads {@code 1}). At that position,
 * each label's probability is the sum of {@code exp(logprob)} over the alternatives (the top
 * logprobs, and the sampled token if it is not among them) that match it, so {@code " 7"} and
 * {@code "7"} add up. The sum over all labels is the {@linkplain LabelScore#labelMass() label
 * mass}; the distribution is normalised by it, and the score is {@code sum(value x probability)}.
 *
 * <p><b>Fallback to the text.</b> When the reply has no logprobs (the provider does not return
 * them, e.g. Anthropic's models, or the request turned them off), or no content token matches a
 * label, the score is read from the text instead: the first label that appears as a word of its
 * own, with probability 1, and {@link LabelScore#source()} says {@code TEXT}.
 *
 * <p><b>Failures</b>, all as {@link LlmException}:
 * <ul>
 *   <li>the model refused ({@code refusal} set): {@link ErrorCategory#CONTENT_FILTERED}, with the
 *       refusal text in the message, never a score of nothing; so is a reply stopped by the
 *       provider's content filter that holds no label;
 *   <li>no label in the logprobs or the text: {@link ErrorCategory#INVALID_RESPONSE}, with the
 *       reply as {@link LlmException#partialContent()};
 *   <li>the answer token is the start of a longer label (the model wrote {@code "10"} as
 *       {@code "1"} then {@code "0"}: its tokenizer splits digits): {@code INVALID_RESPONSE},
 *       not retryable, saying to use single-token labels; the distribution at one position
 *       cannot score such a set;
 *   <li>the call itself failed: its own exception (also behind a fail-open reply).
 * </ul>
 */
public final class LabelScores {

    /** The {@code top_logprobs} sent when the request does not set it: the most the API allows. */
    public static final int DEFAULT_TOP_LOGPROBS = 20;

    /** The {@link Evaluation#name() name} a score is reported under when the caller gives none. */
    public static final String DEFAULT_EVALUATION_NAME = "label_score";

    private LabelScores() {}

    /**
     * Sends the judge request with logprobs and waits for its score.
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1}
     * @throws LlmException             as the class comment lists
     */
    public static LabelScore score(ChatClient client, ChatRequest request, LabelSet labels) {
        return Futures.await(scoreAsync(client, request, labels));
    }

    /**
     * Like {@link #score(ChatClient, ChatRequest, LabelSet)}, reporting the score to the client's
     * {@link EvaluationListener} under {@code evaluationName} (e.g. {@code "correctness"}).
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1}
     * @throws LlmException             as the class comment lists
     */
    public static LabelScore score(ChatClient client, ChatRequest request, LabelSet labels, String evaluationName) {
        return Futures.await(scoreAsync(client, request, labels, evaluationName));
    }

    /**
     * Sends the judge request with logprobs and returns at once; the future completes with the
     * score or fails with the {@link LlmException} {@link #score} throws. Cancelling it cancels
     * the call.
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1}
     */
    public static CompletableFuture<LabelScore> scoreAsync(ChatClient client, ChatRequest request, LabelSet labels) {
        return scoreAsync(client, request, labels, DEFAULT_EVALUATION_NAME);
    }

    /**
     * Like {@link #scoreAsync(ChatClient, ChatRequest, LabelSet)}; each score read is reported to
     * the client's {@link EvaluationListener} (the OpenTelemetry layer emits it as a
     * {@code gen_ai.evaluation.result} event) under {@code evaluationName}, with the most likely
     * label and how the score was read.
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1} or the name is blank
     */
    public static CompletableFuture<LabelScore> scoreAsync(
            ChatClient client, ChatRequest request, LabelSet labels, String evaluationName) {
        Objects.requireNonNull(evaluationName, "evaluationName");
        if (evaluationName.isBlank()) {
            throw new IllegalArgumentException("the evaluation name must not be blank");
        }
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(labels, "labels");
        ChatRequest sent = withLogprobs(request);
        CompletableFuture<ChatResponse> reply;
        try {
            reply = client.chatAsync(sent);
        } catch (RuntimeException e) {
            return Futures.failed(LlmException.from(e));
        }
        return Futures.map(reply, response -> {
            LabelScore score = read(response, labels);
            Evaluations.report(client, evaluationOf(evaluationName, score));
            return score;
        });
    }

    private static Evaluation evaluationOf(String name, LabelScore score) {
        String how = score.source() == LabelScore.Source.LOGPROBS
                ? String.format(
                        java.util.Locale.ROOT,
                        "expected value over the labels' log probabilities (label mass %.3f)",
                        score.labelMass().orElse(0))
                : "the label written in the reply (no usable log probabilities)";
        return new Evaluation(name, score.score(), score.label(), how, "");
    }

    /**
     * Returns the request as {@link #score} sends it: {@code logprobs} set to true and
     * {@code topLogprobs} to {@value #DEFAULT_TOP_LOGPROBS} where the request leaves them unset
     * (with {@code logprobs(false)} it asks for no alternatives).
     *
     * @throws IllegalArgumentException when the request asks for {@code n > 1}
     */
    public static ChatRequest withLogprobs(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.n().orElse(1) != 1) {
            throw new IllegalArgumentException("a label score reads one answer: n must be unset or 1, was "
                    + request.n().getAsInt());
        }
        boolean logprobsOff = request.logprobs().map(on -> !on).orElse(false);
        if (request.logprobs().isPresent()
                && (logprobsOff || request.topLogprobs().isPresent())) {
            return request;
        }
        ChatRequest.Builder b = request.toBuilder().logprobs(true);
        if (request.topLogprobs().isEmpty()) {
            b.topLogprobs(DEFAULT_TOP_LOGPROBS);
        }
        return b.build();
    }

    /**
     * Scores a reply already received (e.g. from a call made some other way), by the rules in the
     * class comment.
     *
     * @throws LlmException as the class comment lists
     */
    public static LabelScore read(ChatResponse response, LabelSet labels) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(labels, "labels");
        if (response.failed()) {
            throw response.error().orElseThrow();
        }
        Optional<String> refusal = response.refusal();
        if (refusal.isPresent()) {
            throw failure(
                            ErrorCategory.CONTENT_FILTERED,
                            "the model " + response.model() + " refused to answer: " + shorten(refusal.get()),
                            response)
                    .retryable(false)
                    .build();
        }
        if (response.choices().isEmpty()) {
            throw failure(ErrorCategory.INVALID_RESPONSE, "the judge's reply has no choice to score", response)
                    .build();
        }
        Choice choice = response.choices().get(0);
        List<TokenLogprob> tokens = choice.logprobs().map(l -> l.content()).orElse(List.of());
        LabelScore fromLogprobs = fromLogprobs(tokens, labels, response);
        if (fromLogprobs != null) {
            return fromLogprobs;
        }
        String text = choice.content();
        Optional<String> written = labels.firstInText(text);
        if (written.isPresent()) {
            Map<String, Double> oneHot = new LinkedHashMap<>();
            labels.labels().forEach(l -> oneHot.put(l, l.equals(written.get()) ? 1.0 : 0.0));
            return new LabelScore(labels, oneHot, null, LabelScore.Source.TEXT, null, response);
        }
        if (choice.finishReason().equals(FinishReason.CONTENT_FILTER)) {
            throw failure(
                            ErrorCategory.CONTENT_FILTERED,
                            "the provider's content filter stopped the judge's reply before it gave a label",
                            response)
                    .partialContent(text)
                    .retryable(false)
                    .build();
        }
        throw failure(
                        ErrorCategory.INVALID_RESPONSE,
                        "the judge's reply holds none of the labels " + labels.labels() + " ("
                                + (tokens.isEmpty() ? "no logprobs came with it" : "in its tokens or its text")
                                + "); reply began: " + shorten(text),
                        response)
                .partialContent(text)
                .build();
    }

    /** Returns the score read at the answer position, or {@code null} when there is none. */
    private static LabelScore fromLogprobs(List<TokenLogprob> tokens, LabelSet labels, ChatResponse response) {
        for (int i = 0; i < tokens.size(); i++) {
            TokenLogprob answer = tokens.get(i);
            if (LabelSet.isDecoration(answer.token())) {
                continue;
            }
            Optional<String> sampled = labels.match(answer.token());
            if (sampled.isEmpty()) {
                continue; // a word before the answer, e.g. "Score"
            }
            checkSingleToken(tokens, i, sampled.get(), labels, response);
            Map<String, Double> mass = new LinkedHashMap<>();
            labels.labels().forEach(l -> mass.put(l, 0.0));
            Set<String> seen = new HashSet<>();
            List<TokenLogprob> alternatives = new ArrayList<>(answer.topLogprobs());
            alternatives.add(answer); // the sampled token, when the top list does not hold it
            for (TokenLogprob alternative : alternatives) {
                if (!seen.add(alternative.token())) {
                    continue; // the same token twice is one alternative
                }
                labels.match(alternative.token()).ifPresent(l -> mass.merge(l, alternative.probability(), Double::sum));
            }
            double total =
                    mass.values().stream().mapToDouble(Double::doubleValue).sum();
            if (!(total > 0)) {
                return null; // every label at logprob -9999: nothing to weigh, read the text
            }
            Map<String, Double> distribution = new LinkedHashMap<>();
            mass.forEach((l, p) -> distribution.put(l, p / total));
            return new LabelScore(labels, distribution, total, LabelScore.Source.LOGPROBS, i, response);
        }
        return null;
    }

    /**
     * Fails when the text from the answer token on begins with a longer label than the token
     * matches: the model's tokenizer splits that label, and one position cannot score the set.
     */
    private static void checkSingleToken(
            List<TokenLogprob> tokens, int at, String sampled, LabelSet labels, ChatResponse response) {
        StringBuilder ahead = new StringBuilder();
        int longest = labels.labels().stream().mapToInt(String::length).max().orElse(0);
        for (int j = at; j < tokens.size() && ahead.length() <= longest + 2; j++) {
            ahead.append(tokens.get(j).token());
        }
        Optional<String> written = labels.atStart(ahead.toString());
        if (written.isPresent() && !written.get().equals(sampled)) {
            throw failure(
                            ErrorCategory.INVALID_RESPONSE,
                            "label '" + written.get() + "' came as several tokens (the first is '" + sampled
                                    + "'), so its probability cannot be read at one position: this model's"
                                    + " tokenizer splits it; use single-token labels, e.g. LabelSet.range(0, 9)"
                                    + " or letters",
                            response)
                    .partialContent(response.content())
                    .retryable(false)
                    .build();
        }
    }

    private static LlmException.Builder failure(ErrorCategory category, String message, ChatResponse response) {
        return LlmException.builder(category, message)
                .model(response.model())
                .backend(response.backend())
                .attempts(response.attempts());
    }

    private static String shorten(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
