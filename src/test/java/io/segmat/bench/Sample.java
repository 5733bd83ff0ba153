package io.segmat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Repeated measurements of one figure, in milliseconds (or whatever unit the caller
 * keeps). The median is what tables show: on a shared 2-core machine a single run is
 * mostly noise.
 */
final class Sample {

	private final List<Double> values = new ArrayList<>();

	static Sample of(double... values) {
		Sample sample = new Sample();
		for (double value : values) {
			sample.add(value);
		}
		return sample;
	}

	void add(double value) {
		this.values.add(value);
	}

	boolean isEmpty() {
		return this.values.isEmpty();
	}

	int n() {
		return this.values.size();
	}

	double median() {
		List<Double> sorted = sorted();
		int n = sorted.size();
		if (n == 0) {
			return Double.NaN;
		}
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	/**
	 * The median of the runs with a figure above zero: for a step, of the runs that had
	 * one; 0 when none did.
	 */
	double medianWhereRan() {
		Sample ran = whereRan();
		return ran.isEmpty() ? 0 : ran.median();
	}

	/** The figures above zero: for a step, those of the runs that had one. */
	Sample whereRan() {
		Sample ran = new Sample();
		this.values.stream().filter((value) -> value > 0).forEach(ran::add);
		return ran;
	}

	double min() {
		return this.values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	double max() {
		return this.values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

	private List<Double> sorted() {
		List<Double> sorted = new ArrayList<>(this.values);
		sorted.sort(Double::compare);
		return sorted;
	}

	/** "median (min–max)" with the run count when it is more than one run. */
	String text() {
		if (isEmpty()) {
			return "–";
		}
		if (n() == 1) {
			return format(median());
		}
		return format(median()) + " (" + format(min()) + "–" + format(max()) + ")";
	}

	Map<String, Object> json() {
		if (isEmpty()) {
			return Map.of("n", 0);
		}
		return Map.of("median", round(median()), "min", round(min()), "max", round(max()), "n", n());
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "–";
		}
		if (Math.abs(value) >= 100) {
			return String.format("%,.0f", value);
		}
		if (Math.abs(value) >= 10) {
			return String.format("%.1f", value);
		}
		return String.format("%.2f", value);
	}

	static double round(double value) {
		return Double.isNaN(value) ? Double.NaN : Math.round(value * 1000.0) / 1000.0;
	}

}
