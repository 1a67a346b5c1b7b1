package io.github.llmbridge.openrouter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the known model ids closest to a mistyped one, by edit distance over the whole id and
 * over the part after the provider (so {@code gpt-4o-mini} finds {@code openai/gpt-4o-mini}, and
 * {@code openai/gpt4o-mini} finds it too).
 */
final class ModelSuggestions {

    private ModelSuggestions() {
    }

    /** Returns up to {@code limit} known ids close enough to {@code id} to be what was meant, best first. */
    static List<String> closest(String id, Collection<String> known, int limit) {
        String wanted = id.toLowerCase(Locale.ROOT);
        String wantedName = nameOf(wanted);
        int tolerance = Math.max(2, wantedName.length() / 3);
        List<Scored> scored = new ArrayList<>();
        for (String candidate : known) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            int distance = Math.min(distance(wanted, lower), distance(wantedName, nameOf(lower)));
            if (distance <= tolerance) {
                scored.add(new Scored(candidate, distance));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::id));
        return scored.stream().limit(limit).map(Scored::id).toList();
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

    private record Scored(String id, int distance) {
    }
}
