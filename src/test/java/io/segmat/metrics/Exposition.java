package io.segmat.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4): every line must
 * be a HELP or TYPE comment, a sample or blank, or reading fails naming the line. What a
 * scrape or a push carries is checked with it.
 */
record Exposition(List<Sample> samples, Map<String, String> types) {

	private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";

	private static final String VALUE = "(?:[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)";

	private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + NAME + ") ?(.*)");

	private static final Pattern SAMPLE = Pattern
		.compile("(" + NAME + ")(?:\\{(.*)\\})? (" + VALUE + ")(?: -?[0-9]+)?");

	private static final Pattern LABEL = Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");

	private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

	static Exposition parse(String text) {
		List<Sample> samples = new ArrayList<>();
		Map<String, String> types = new LinkedHashMap<>();
		int number = 0;
		for (String line : text.split("\n", -1)) {
			number++;
			if (line.isBlank()) {
				continue;
			}
			Matcher comment = COMMENT.matcher(line);
			if (comment.matches()) {
				if ("TYPE".equals(comment.group(1))) {
					if (!TYPES.contains(comment.group(3))) {
						throw new IllegalArgumentException("line " + number + ": unknown type: " + line);
					}
					types.put(comment.group(2), comment.group(3));
				}
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			if (!sample.matches()) {
				throw new IllegalArgumentException("line " + number + " is not exposition format: " + line);
			}
			samples.add(new Sample(sample.group(1), labels(sample.group(2), number), number(sample.group(3))));
		}
		return new Exposition(samples, types);
	}

	private static Map<String, String> labels(String text, int number) {
		Map<String, String> labels = new LinkedHashMap<>();
		if (text == null || text.isEmpty()) {
			return labels;
		}
		Matcher label = LABEL.matcher(text);
		int end = 0;
		while (label.lookingAt()) {
			labels.put(label.group(1), label.group(2));
			end = label.end();
			label.region(end, text.length());
		}
		if (end != text.length()) {
			throw new IllegalArgumentException("line " + number + ": bad labels: " + text);
		}
		return labels;
	}

	private static double number(String text) {
		return switch (text) {
			case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	Set<String> names() {
		return this.samples.stream().map(Sample::name).collect(Collectors.toCollection(java.util.TreeSet::new));
	}

	/** The value of the one sample of that name whose labels include {@code labels}. */
	double value(String name, Map<String, String> labels) {
		List<Sample> found = this.samples.stream()
			.filter((sample) -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
		if (found.size() != 1) {
			throw new AssertionError(found.size() + " samples " + name + labels + " in " + names());
		}
		return found.get(0).value();
	}

	/** The sum of the samples of that name whose labels include {@code labels}. */
	double sum(String name, Map<String, String> labels) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
			.mapToDouble(Sample::value)
			.sum();
	}

	double value(String name) {
		return value(name, Map.of());
	}

	record Sample(String name, Map<String, String> labels, double value) {
	}

}
