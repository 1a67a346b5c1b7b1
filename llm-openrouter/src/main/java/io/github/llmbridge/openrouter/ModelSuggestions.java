package io.github.llmbridge.openrouter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the known model ids closest to a mistyped one, by edit distance over the whole id and
 * over the part after the provider (so {@code gpt-4o-mini} finds {@code openai/gpt-4o-mini}, and
 * {@code openai/gpt4o-mini} finds it too), and by one name extending the other (a dated id such as
 * {@code claude-3-haiku-20240307} finds {@code claude-3-haiku}).
 */
final class ModelSuggestions {

    private ModelSuggestions() {}

    /** Returns up to {@code limit} known ids close enough to {@code id} to be what was meant, best first. */
    static List<String> closest(String id, Collection<String> known, int limit) {
        String wanted = id.toLowerCase(Locale.ROOT);
        String wantedName = nameOf(wanted);
        int tolerance = Math.max(2, wantedName.length() / 3);
        List<Scored> scored = new ArrayList<>();
        for (String candidate : known) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            String name = nameOf(lower);
            int distance = Math.min(distance(wanted, lower), distance(wantedName, name));
            if (distance > tolerance && extendsOther(wantedName, name)) {
                distance = tolerance; // a dated or suffixed id (claude-3-haiku-20240307): close, after true typos
            }
            if (distance <= tolerance) {
                scored.add(new Scored(candidate, distance));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::id));
        return scored.stream().limit(limit).map(Scored::id).toList();
    }

    /** Whether one name is the other plus a suffix, the shorter long enough to mean something. */
    private static boolean extendsOther(String a, String b) {
        boolean aIsShorter = a.length() <= b.length();
        String shorter = aIsShorter ? a : b;
        String longer = aIsShorter ? b : a;
        return shorter.length() >= 4 && longer.startsWith(shorter);
    }

    /** The part after the provider and before any {@code :variant}. */
    private static String nameOf(String id) {
        String base = id.indexOf(':') >= 0 ? id.substring(0, id.indexOf(':')) : id;
        return base.substring(base.indexOf('/') + 1);
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private record Scored(String id, int distance) {}
}
