package io.github.llmbridge.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One generated token with its log probability, as a choice's {@code logprobs} reports it, and
 * the most likely alternatives at its position when {@code top_logprobs} was asked for.
 *
 * @param token       the token's text
 * @param logprob     its natural-log probability ({@code -9999.0} is how OpenAI writes "very unlikely")
 * @param bytes       its UTF-8 bytes (0–255 each), empty when the provider sent none; a token
 *                    can be part of a character, so join bytes, not texts, to rebuild text exactly
 * @param topLogprobs the most likely tokens at this position, most likely first; empty when not
 *                    asked for, and empty in each alternative itself
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<TokenLogprob> topLogprobs) {

    /** Validates the entry and copies its lists. */
    public TokenLogprob {
        Objects.requireNonNull(token, "token");
        bytes = bytes == null ? List.of() : List.copyOf(bytes);
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }

    /** Returns the probability, {@code exp(logprob)}. */
    public double probability() {
        return Math.exp(logprob);
    }

    /** Returns the bytes as a {@code byte[]} (a fresh copy). */
    public byte[] byteArray() {
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (int) bytes.get(i);
        }
        return out;
    }

    /** Returns the bytes decoded as UTF-8 when there are bytes, else the token text. */
    public String decoded() {
        return bytes.isEmpty() ? token : new String(byteArray(), StandardCharsets.UTF_8);
    }
}
