package io.github.llmbridge.interop;

import io.github.llmbridge.core.TokenIds;

/** What {@code vllm_stub.py} reports as token ids: one id per character, its code point mod 1000. */
final class Tokens {

    private Tokens() {}

    static TokenIds of(String text) {
        return TokenIds.of(text.codePoints().map(c -> c % 1000).toArray());
    }

    /** The stub's prompt text for one user message: Python's {@code json.dumps(messages, sort_keys=True)}. */
    static String userPrompt(String text) {
        return "[{\"content\": \"" + text + "\", \"role\": \"user\"}]";
    }

    /** The stub's log probability of the i-th completion token: {@code -0.1 * (i + 1)}. */
    static double[] logprobs(int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = -0.1 * (i + 1);
        }
        return values;
    }
}
