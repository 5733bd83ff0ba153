package io.segmat.query;

import java.util.Collection;
import java.util.Locale;

/** Suggests the closest known name for a misspelt one (Levenshtein distance). */
final class DidYouMean {

	private DidYouMean() {
	}

	static String closest(String name, Collection<String> candidates) {
		String lower = name.toLowerCase(Locale.ROOT);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
			if (d < bestDistance) {
				bestDistance = d;
				best = candidate;
			}
		}
		int allowed = Math.max(2, lower.length() / 3);
		return best != null && bestDistance <= allowed ? best : null;
	}

	static int distance(String a, String b) {
		if (a.length() > 200 || b.length() > 200) {
			return Integer.MAX_VALUE;
		}
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
