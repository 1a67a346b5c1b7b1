package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.ChatResponse;
import io.github.llmbridge.core.Choice;
import io.github.llmbridge.core.FinishReason;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import io.github.llmbridge.core.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replies as a provider would send them, for tests: a text, tool calls, a refusal, a one-token
 * answer with its alternatives' probabilities (a logprob-weighted judge), or a reply with token
 * ids (an RL rollout). Give them to {@link ScriptedChatClient#reply(ChatResponse)}, which fills in
 * the model and backend:
 *
 * <pre>{@code
 * ScriptedChatClient judge = new ScriptedChatClient()
 *     .reply(ChatResponses.oneToken("7", Map.of("7", 0.6, "8", 0.3, "6", 0.1)))
 *     .reply(ChatResponses.refusal("I can't grade that."));
 * }</pre>
 *
 * <p>Each reply has one choice with index 0 unless built with {@link #choices(Choice...)}; its id,
 * model and backend are empty.
 */
public final class ChatResponses {

    private ChatResponses() {}

    /** Returns a reply with this text and finish reason {@code stop}. */
    public static ChatResponse text(String content) {
        Objects.requireNonNull(content, "content");
        return ChatResponse.builder().content(content).build();
    }

    /**
     * Returns a reply in which the model calls these tools (several: parallel calls), with no
     * content and finish reason {@code tool_calls}.
     *
     * @throws IllegalArgumentException when no call is given
     */
    public static ChatResponse toolCalls(ToolCall... calls) {
        return choices(new Choice(0, ChatMessage.assistant(List.of(calls)), FinishReason.TOOL_CALLS));
    }

    /** Returns a reply in which the model refuses: no content, this refusal, finish reason {@code stop}. */
    public static ChatResponse refusal(String refusal) {
        Objects.requireNonNull(refusal, "refusal");
        return choices(new Choice(
                0, ChatMessage.builder(ChatMessage.ASSISTANT).refusal(refusal).build(), FinishReason.STOP));
    }

    /**
     * Returns a one-token answer with its log probability and the most likely alternatives at its
     * position, as a judge asked for {@code top_logprobs} receives it: the answer's logprob is
     * {@code ln(probabilities.get(answer))}, and the alternatives are every entry of the map, most
     * likely first (ties by token), each with its UTF-8 bytes.
     *
     * @param answer        the token the model answered, e.g. {@code "7"}
     * @param probabilities each candidate token's probability, e.g. {@code {"7": 0.6, "8": 0.3}}
     * @throws IllegalArgumentException when the answer is not in the map or a probability is not
     *                                  in (0, 1]
     */
    public static ChatResponse oneToken(String answer, Map<String, Double> probabilities) {
        Objects.requireNonNull(answer, "answer");
        if (!probabilities.containsKey(answer)) {
            throw new IllegalArgumentException(
                    "the answer '" + answer + "' needs a probability among " + probabilities.keySet());
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(probabilities.entrySet());
        for (Map.Entry<String, Double> e : ranked) {
            double p = Objects.requireNonNull(e.getValue(), "probability");
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException(
                        "the probability of '" + e.getKey() + "' must be in (0, 1], was " + p);
            }
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<TokenLogprob> alternatives = new ArrayList<>(ranked.size());
        for (Map.Entry<String, Double> e : ranked) {
            alternatives.add(token(e.getKey(), Math.log(e.getValue()), List.of()));
        }
        TokenLogprob chosen = token(answer, Math.log(probabilities.get(answer)), alternatives);
        return choices(new Choice(
                0, ChatMessage.assistant(answer), FinishReason.STOP, new Logprobs(List.of(chosen), List.of()), null));
    }

    /**
     * Returns a reply with the token ids a vLLM-style server sends when asked
     * ({@code return_token_ids}): the prompt's and the choice's.
     */
    public static ChatResponse tokenIds(String content, int[] promptTokenIds, int[] completionTokenIds) {
        Objects.requireNonNull(content, "content");
        return ChatResponse.builder()
                .choices(List.of(new Choice(
                        0, ChatMessage.assistant(content), FinishReason.STOP, null, TokenIds.of(completionTokenIds))))
                .promptTokenIds(TokenIds.of(promptTokenIds))
                .build();
    }

    /** Returns a reply with these choices, e.g. several samples ({@code n}) each with its logprobs. */
    public static ChatResponse choices(Choice... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("a reply needs at least one choice");
        }
        return ChatResponse.builder().choices(List.of(choices)).build();
    }

    /** Returns a token with its UTF-8 bytes, as providers report them. */
    static TokenLogprob token(String text, double logprob, List<TokenLogprob> alternatives) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> bytes = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            bytes.add(b & 0xff);
        }
        return new TokenLogprob(text, logprob, bytes, alternatives);
    }
}
