package io.github.llmbridge.core.judge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answers a judge may give, each with the value it scores: {@code "1"}..{@code "10"},
 * {@code "yes"}/{@code "no"}, or any labels of your own. Used by {@link LabelScores}.
 *
 * <pre>{@code
 * LabelSet.range(1, 10);                                   // "1".."10" worth 1..10
 * LabelSet.yesNo();                                        // "yes" = 1, "no" = 0
 * LabelSet.of(Map.of("A", 1.0, "B", 0.5, "C", 0.0));       // order: use a LinkedHashMap to fix it
 * }</pre>
 *
 * <p><b>Matching.</b> A token or word matches a label when they are equal after stripping
 * surrounding whitespace, quotes, brackets, punctuation and markdown marks ({@code " ' ` * _ # ~ >
 * . , : ; ! ? ( ) [ ] { }} and typographic quotes), and ignoring case unless the set is
 * {@linkplain #caseSensitive(boolean) case-sensitive}: {@code " 7"}, {@code "7"} and {@code "**7"}
 * all match {@code "7"}, and {@code "Yes"} matches {@code "yes"}. Two labels that match each
 * other are rejected.
 *
 * <p><b>Labels must be single tokens</b> of the judge model's tokenizer for the logprob score to
 * mean anything: the distribution is read at one token position. The numbers 0 to 999 are one
 * token in the OpenAI and Llama 3 tokenizers; tokenizers that split digits (Llama 2, Mistral's
 * older ones) make {@code "10"} two tokens, which {@link LabelScores} reports as an error when
 * it sees it. Use {@code range(0, 9)} or letters for those.
 */
public final class LabelSet {

    /** Stripped from both ends of a token or label before comparing. */
    private static final String DECORATION = "\"'`*_#~>.,:;!?()[]{}\u201c\u201d\u2018\u2019\u00ab\u00bb";

    private final Map<String, Double> values;
    private final boolean caseSensitive;
    private final Map<String, String> byKey;
    private final List<Pattern> inText;

    private LabelSet(Map<String, Double> values, boolean caseSensitive) {
        if (values.size() < 2) {
            throw new IllegalArgumentException("a label set needs at least two labels, was " + values.keySet());
        }
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.caseSensitive = caseSensitive;
        Map<String, String> keys = new LinkedHashMap<>();
        List<Pattern> patterns = new ArrayList<>();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String label = Objects.requireNonNull(e.getKey(), "label");
            double value = Objects.requireNonNull(e.getValue(), () -> "value of label '" + label + "'");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "label '" + label + "' has value " + value + "; values must be finite");
            }
            String key = key(label);
            if (key.isEmpty()) {
                throw new IllegalArgumentException(
                        "label '" + label + "' is only whitespace, quotes or punctuation, which matching strips");
            }
            String clash = keys.putIfAbsent(key, label);
            if (clash != null) {
                throw new IllegalArgumentException("labels '" + clash + "' and '" + label + "' match each other"
                        + (caseSensitive ? "" : " (matching ignores case unless caseSensitive(true))"));
            }
            String core = stripDecoration(label.strip());
            patterns.add(Pattern.compile(
                    "(?<![\\p{L}\\p{N}])" + Pattern.quote(core) + "(?![\\p{L}\\p{N}])",
                    caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }
        this.byKey = Collections.unmodifiableMap(keys);
        this.inText = List.copyOf(patterns);
    }

    /**
     * Returns the labels {@code "from"} to {@code "to"}, each worth its number.
     *
     * @throws IllegalArgumentException when {@code to <= from} or the range holds more than 1,000
     *                                  labels
     */
    public static LabelSet range(int from, int to) {
        if (to <= from || (long) to - from >= 1000) {
            throw new IllegalArgumentException(
                    "range(" + from + ", " + to + ") must hold 2 to 1000 labels, from below to");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = from; i <= to; i++) {
            values.put(Integer.toString(i), (double) i);
        }
        return new LabelSet(values, false);
    }

    /** Returns {@code "yes"} worth 1 and {@code "no"} worth 0 (any case). */
    public static LabelSet yesNo() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("yes", 1.0);
        values.put("no", 0.0);
        return new LabelSet(values, false);
    }

    /**
     * Returns the given labels with their values, in the map's iteration order (which decides
     * ties of the most likely label), matched ignoring case.
     *
     * @throws IllegalArgumentException when fewer than two labels are given, a value is not
     *                                  finite, a label is empty after stripping, or two labels
     *                                  match each other
     */
    public static LabelSet of(Map<String, ? extends Number> labelValues) {
        return of(labelValues, false);
    }

    /**
     * Returns the given labels with their values, in the map's iteration order, matched telling
     * upper from lower case or not (so {@code "Yes"} and {@code "yes"} can be two labels).
     *
     * @throws IllegalArgumentException as {@link #of(Map)} does
     */
    public static LabelSet of(Map<String, ? extends Number> labelValues, boolean caseSensitive) {
        Map<String, Double> values = new LinkedHashMap<>();
        labelValues.forEach((label, value) -> values.put(
                label,
                Objects.requireNonNull(value, () -> "value of label '" + label + "'")
                        .doubleValue()));
        return new LabelSet(values, caseSensitive);
    }

    /**
     * Returns a copy of this set whose matching does (or does not) tell upper from lower case.
     *
     * @throws IllegalArgumentException when, ignoring case, two labels would match each other
     */
    public LabelSet caseSensitive(boolean caseSensitive) {
        return caseSensitive == this.caseSensitive ? this : new LabelSet(values, caseSensitive);
    }

    /** Returns whether matching tells upper from lower case (by default it does not). */
    public boolean isCaseSensitive() {
        return caseSensitive;
    }

    /** Returns the labels, in order. */
    public List<String> labels() {
        return List.copyOf(values.keySet());
    }

    /**
     * Returns a label's value.
     *
     * @throws IllegalArgumentException when it is not one of the labels
     */
    public double value(String label) {
        Double v = values.get(label);
        if (v == null) {
            throw new IllegalArgumentException("'" + label + "' is not one of the labels " + values.keySet());
        }
        return v;
    }

    /** Returns the labels with their values, in order. */
    public Map<String, Double> values() {
        return values;
    }

    /** Returns the label a token or word matches, if any (see the class comment for the rule). */
    public Optional<String> match(String text) {
        return Optional.ofNullable(byKey.get(key(text)));
    }

    /** Returns whether a token is only whitespace, quotes, punctuation or markdown marks. */
    static boolean isDecoration(String token) {
        return stripDecoration(token.strip()).isEmpty();
    }

    /**
     * Returns the first label that appears in the text as a word of its own (not inside a longer
     * word or number: {@code "7"} is not found in {@code "17"}), the longest one where two start
     * at the same place.
     */
    Optional<String> firstInText(String text) {
        int bestStart = Integer.MAX_VALUE;
        int bestLength = -1;
        String best = null;
        int i = 0;
        for (String label : values.keySet()) {
            Matcher m = inText.get(i++).matcher(text);
            if (m.find()) {
                int length = m.end() - m.start();
                if (m.start() < bestStart || (m.start() == bestStart && length > bestLength)) {
                    bestStart = m.start();
                    bestLength = length;
                    best = label;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the label the text begins with (after leading whitespace and decoration), the
     * longest where several do, if any.
     */
    Optional<String> atStart(String text) {
        int offset = 0;
        while (offset < text.length() && isDecorationChar(text.charAt(offset))) {
            offset++;
        }
        String best = null;
        int bestLength = -1;
        int i = 0;
        for (String label : values.keySet()) {
            Matcher m = inText.get(i++).matcher(text);
            m.region(offset, text.length());
            if (m.lookingAt() && m.end() - offset > bestLength) {
                bestLength = m.end() - offset;
                best = label;
            }
        }
        return Optional.ofNullable(best);
    }

    private String key(String text) {
        String core = stripDecoration(text.strip());
        return caseSensitive ? core : core.toLowerCase(Locale.ROOT);
    }

    private static String stripDecoration(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isDecorationChar(s.charAt(start))) {
            start++;
        }
        while (end > start && isDecorationChar(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isDecorationChar(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || DECORATION.indexOf(c) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        // order matters: it breaks ties of the most likely label
        return o instanceof LabelSet l
                && caseSensitive == l.caseSensitive
                && List.copyOf(values.entrySet()).equals(List.copyOf(l.values.entrySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(List.copyOf(values.entrySet()), caseSensitive);
    }

    @Override
    public String toString() {
        return "LabelSet" + values + (caseSensitive ? " (case-sensitive)" : "");
    }
}
