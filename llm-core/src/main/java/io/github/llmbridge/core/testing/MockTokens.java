package io.github.llmbridge.core.testing;

import io.github.llmbridge.core.ChatMessage;
import io.github.llmbridge.core.Logprobs;
import io.github.llmbridge.core.TokenIds;
import io.github.llmbridge.core.TokenLogprob;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock backend's tokens: a text is cut into pieces of four characters (code points), so its
 * token count is the usage estimate; a piece's id is a hash of it, and its log probability is 0
 * (the mock is certain). Deterministic across runs and JVMs ({@link String#hashCode()} is
 * specified).
 */
final class MockTokens {

    /** Ids stay below this, like a vocabulary. */
    static final int VOCABULARY = 100_000;

    private static final int CHARACTERS_PER_TOKEN = 4;

    private MockTokens() {}

    /** Returns the text's tokens, in order; none for an empty text. */
    static List<String> of(String text) {
        List<String> tokens = new ArrayList<>(text.length() / CHARACTERS_PER_TOKEN + 1);
        int start = 0;
        while (start < text.length()) {
            int end = start;
            for (int i = 0; i < CHARACTERS_PER_TOKEN && end < text.length(); i++) {
                end = text.offsetByCodePoints(end, 1);
            }
            tokens.add(text.substring(start, end));
            start = end;
        }
        return tokens;
    }

    /** Returns the text of a conversation as the mock counts it: every message's text, in order. */
    static String prompt(List<ChatMessage> messages) {
        StringBuilder s = new StringBuilder();
        messages.forEach(m -> s.append(m.content()));
        return s.toString();
    }

    /** Returns the ids of the text's tokens. */
    static TokenIds ids(String text) {
        return TokenIds.of(of(text).stream()
                .mapToInt(t -> Math.floorMod(t.hashCode(), VOCABULARY))
                .toArray());
    }

    /**
     * Returns the log probabilities of a reply's tokens: each certain (0), with itself as its only
     * alternative when alternatives were asked for ({@code topLogprobs > 0}).
     */
    static Logprobs logprobs(String content, String refusal, int topLogprobs) {
        return new Logprobs(certain(content, topLogprobs), certain(refusal, topLogprobs));
    }

    private static List<TokenLogprob> certain(String text, int topLogprobs) {
        List<TokenLogprob> out = new ArrayList<>();
        for (String t : of(text)) {
            List<TokenLogprob> alternatives =
                    topLogprobs > 0 ? List.of(ChatResponses.token(t, 0.0, List.of())) : List.of();
            out.add(ChatResponses.token(t, 0.0, alternatives));
        }
        return out;
    }
}
