package io.github.llmbridge.core;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An immutable sequence of token ids, as vLLM-style servers return them when asked
 * ({@link ChatRequest.Builder#returnTokenIds(Boolean)}): the prompt's
 * ({@link ChatResponse#promptTokenIds()}) and each choice's ({@link Choice#tokenIds()}). Stored as
 * an {@code int[]}: a 32k-token prompt costs 128 KiB, not the megabyte a boxed list would.
 *
 * <pre>{@code
 * int[] completion = response.choices().get(0).tokenIds().orElseThrow().toArray();
 * }</pre>
 */
public final class TokenIds {

    private static final TokenIds EMPTY = new TokenIds(new int[0]);

    private final int[] ids;

    private TokenIds(int[] ids) {
        this.ids = ids;
    }

    /** Returns a sequence holding a copy of the given ids. */
    public static TokenIds of(int... ids) {
        return ids.length == 0 ? EMPTY : new TokenIds(ids.clone());
    }

    /** Returns a sequence holding the given ids. */
    public static TokenIds of(List<Integer> ids) {
        return of(ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Returns the number of tokens. */
    public int size() {
        return ids.length;
    }

    /** Returns whether there are no tokens. */
    public boolean isEmpty() {
        return ids.length == 0;
    }

    /**
     * Returns the id at a position.
     *
     * @throws IndexOutOfBoundsException when the position is outside the sequence
     */
    public int get(int index) {
        return ids[index];
    }

    /** Returns a copy of the ids. */
    public int[] toArray() {
        return ids.clone();
    }

    /** Returns the ids as a stream. */
    public IntStream stream() {
        return Arrays.stream(ids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenIds t && Arrays.equals(ids, t.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    /** Shows the count and the first few ids. */
    @Override
    public String toString() {
        int shown = Math.min(ids.length, 8);
        StringBuilder s = new StringBuilder("TokenIds[").append(ids.length).append(": ");
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        return s.append(ids.length > shown ? ", ...]" : "]").toString();
    }
}
