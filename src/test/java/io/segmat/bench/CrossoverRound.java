package io.segmat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.bench.SegmatBenchmark.Job;
import io.segmat.bench.SegmatBenchmark.Spec;

/**
 * One share of the crossover: per forced path ("full", "incremental") the mix's step
 * times, the per-run sum over the mix, and every step whose recorded mode was not the
 * forced one.
 */
final class CrossoverRound {

	static final String FULL = "full";

	static final String INCREMENTAL = "incremental";

	private final double share;

	private final List<Spec> mix;

	private final Sample changed = new Sample();

	private final Map<String, Map<String, Sample>> steps = new LinkedHashMap<>();

	private final Map<String, Sample> sums = new LinkedHashMap<>();

	private final Map<String, List<String>> strays = new LinkedHashMap<>();

	CrossoverRound(double share, List<Spec> mix) {
		this.share = share;
		this.mix = mix;
		for (String mode : List.of(FULL, INCREMENTAL)) {
			Map<String, Sample> perSegment = new LinkedHashMap<>();
			mix.forEach((spec) -> perSegment.put(spec.name(), new Sample()));
			this.steps.put(mode, perSegment);
			this.sums.put(mode, new Sample());
			this.strays.put(mode, new ArrayList<>());
		}
	}

	/** Records one job forced down {@code mode}; returns the sum of the mix's steps. */
	double add(String mode, long contactsChanged, Job job, Map<String, UUID> ids) {
		this.changed.add(contactsChanged);
		double sum = 0;
		for (Spec spec : this.mix) {
			UUID id = ids.get(spec.name());
			double ms = job.stepMs(id);
			this.steps.get(mode).get(spec.name()).add(ms);
			sum += ms;
			if (!mode.equals(job.modes().get(id))) {
				this.strays.get(mode).add(spec.name() + " ran " + job.modes().get(id));
			}
		}
		this.sums.get(mode).add(sum);
		return sum;
	}

	double share() {
		return this.share;
	}

	Sample changed() {
		return this.changed;
	}

	Sample sum(String mode) {
		return this.sums.get(mode);
	}

	Sample step(String mode, String segment) {
		return this.steps.get(mode).get(segment);
	}

	List<String> strays(String mode) {
		return this.strays.get(mode);
	}

	/** Runs of the path: each is one step per segment of the mix. */
	int runs(String mode) {
		return this.sums.get(mode).n();
	}

	double ratio() {
		return sum(INCREMENTAL).median() / sum(FULL).median();
	}

	double ratio(String segment) {
		return step(INCREMENTAL, segment).median() / step(FULL, segment).median();
	}

}
