package io.logitrouter.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Finds the known names closest to a misspelled one, for "did you mean" hints in error messages. */
final class CloseMatches {

    private static final int MAX_MATCHES = 3;

    private CloseMatches() {
    }

    /**
     * Returns the candidates at the smallest edit distance from {@code name}, at most three, in
     * alphabetical order. Candidates more than 2 edits away, or a quarter of the name's length
     * for longer names, never match.
     */
    static List<String> find(String name, Collection<String> candidates) {
        int bestDistance = Math.max(2, name.length() / 4);
        TreeSet<String> best = new TreeSet<>();
        for (String candidate : candidates) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best.clear();
            }
            if (distance == bestDistance) {
                best.add(candidate);
            }
        }
        List<String> matches = new ArrayList<>(best);
        return List.copyOf(matches.subList(0, Math.min(MAX_MATCHES, matches.size())));
    }

    /**
     * Returns the number of single-character insertions, deletions, substitutions and swaps of
     * adjacent characters that turn one string into the other (optimal string alignment distance).
     */
    static int editDistance(String first, String second) {
        int[][] distance = new int[first.length() + 1][second.length() + 1];
        for (int i = 0; i <= first.length(); i++) {
            distance[i][0] = i;
        }
        for (int j = 0; j <= second.length(); j++) {
            distance[0][j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            for (int j = 1; j <= second.length(); j++) {
                int substitution = first.charAt(i - 1) == second.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(distance[i - 1][j] + 1, distance[i][j - 1] + 1),
                        distance[i - 1][j - 1] + substitution);
                boolean swapped = i > 1 && j > 1 && first.charAt(i - 1) == second.charAt(j - 2)
                        && first.charAt(i - 2) == second.charAt(j - 1);
                if (swapped) {
                    value = Math.min(value, distance[i - 2][j - 2] + 1);
                }
                distance[i][j] = value;
            }
        }
        return distance[first.length()][second.length()];
    }
}
