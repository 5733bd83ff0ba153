package io.segmat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

import io.segmat.bench.SegmatBenchmark.Spec;
import io.segmat.ingest.ImportJson;

/**
 * The bench's figures, kept as they arrive and rendered at the end as Markdown (bench.md,
 * also printed) and JSON (bench.json). Ratios are of medians.
 * <p>
 * Over 400 lines on purpose: every section of bench.md is rendered here, in the order it
 * appears, so that the report's layout changes in one place.
 */
final class Report {

	private static final double MB = 1024.0 * 1024.0;

	private final Map<String, Object> json = new LinkedHashMap<>();

	private final List<String> notes = new ArrayList<>();

	private final List<Goal> goals = new ArrayList<>();

	private Map<String, Object> machine = Map.of();

	private Map<String, Object> data = Map.of();

	private String importSection = "";

	private List<Spec> mix = List.of();

	private Map<String, Long> members = Map.of();

	private Map<String, Sample> firstJob = Map.of();

	private Map<String, Sample> ctas = Map.of();

	private Map<String, Sample> hand = Map.of();

	private Map<String, Sample> indexed = Map.of();

	private String freshSection = "";

	/**
	 * The sum of the mix's steps after 0.1 % changed, in a fresh process; null until
	 * measured.
	 */
	private Double freshChangedMs;

	private Sample firstTotal = new Sample();

	private Map<String, Sample> mvRefresh = Map.of();

	private Map<String, Sample> mvConcurrently = Map.of();

	private String unchangedSection = "";

	private final StringBuilder changedSections = new StringBuilder();

	private String hourlySection = "";

	private String shapesSection = "";

	private String heapSection = "";

	private int crossoverRepeat;

	private Duration crossoverBudget = Duration.ZERO;

	private double defaultMaxFraction;

	private long defaultMinimum;

	private final List<CrossoverRound> rounds = new ArrayList<>();

	private final List<Map<String, Object>> crossoverRows = new ArrayList<>();

	void machine(Map<String, Object> machine) {
		this.machine = machine;
		this.json.put("machine", machine);
	}

	void data(Map<String, Object> data) {
		this.data = data;
		this.json.put("data", data);
	}

	void note(String note) {
		this.notes.add(note);
	}

	void importRate(int contacts, double seconds, double rate, long bytes) {
		this.json.put("import", Map.of("contacts", contacts, "seconds", Sample.round(seconds), "contacts_per_second",
				Math.round(rate), "file_mb", Math.round(bytes / MB)));
		// Not the import goal's figure: that is for 1M contacts, which make bench-import
		// measures; this is the setup's first file, in a JVM that has not run it before.
		this.importSection = "## Contacts import (ContactImporter, NDJSON file, one run)\n\n"
				+ String.format("%,d contacts (%,.0f MB of NDJSON) in %.1f s: **%,.0f contacts/s**. The setup's "
						+ "first file, the importer's first run in this JVM; the goal (≥ 30,000 contacts/s at 1M) "
						+ "is measured by `make bench-import`.%n%n", contacts, bytes / MB, seconds, rate);
	}

	void firstMaterialization(List<Spec> mix, Map<String, Long> members, Map<String, Sample> job,
			Map<String, Sample> ctas, Map<String, Sample> hand, Map<String, Sample> indexed, Sample total) {
		this.mix = mix;
		this.members = members;
		this.firstJob = job;
		this.ctas = ctas;
		this.hand = hand;
		this.indexed = indexed;
		this.firstTotal = total;
		Worst worst = new Worst();
		for (Spec spec : mix) {
			worst.offer(job.get(spec.name()).median() / hand.get(spec.name()).median(), spec.name());
		}
		this.goals.add(ratioGoal("First materialization ≤ 2× hand-written CTAS (warm)", worst));
	}

	/** A goal that the worst segment's ratio to its baseline is at most 2. */
	private static Goal ratioGoal(String name, Worst worst) {
		return new Goal(name, String.format("worst %.2f× (%s)", worst.value(), worst.name()), worst.value() <= 2,
				String.format("%.2f× over", worst.value() / 2));
	}

	void freshProcess(List<Spec> mix, Set<String> readsClock, Map<String, Sample> first, Map<String, Sample> unchanged,
			Map<String, Sample> changed, Map<String, Sample> hand, Map<String, Sample> ctas, Sample[] wall,
			Sample[] job, String launcher) {
		StringBuilder md = new StringBuilder();
		md.append("## 1b. The first runs in a fresh process (`segmat refresh` in a new JVM, threads=1)\n\n");
		md.append(
				"As a CronJob runs it: the mix created afresh, materialized by one `segmat refresh` process, refreshed "
						+ "by a second an hour later with nothing changed, and by a third after 0.1 % of contacts changed. "
						+ "Step times from Batch's tables; both CTAS baselines measured after the third run (same "
						+ "membership, checked). The 0.1 % figure's goal compares the sum of its steps with section 3's "
						+ "full difference refresh at 0.1 %, SQL alone, measured later in the same run. Each process "
						+ "started from " + launcher + ".\n\n");
		md.append("| segment | first materialization ms | hand-written CTAS ms | ratio | CTAS of the compiled SQL ms | "
				+ "ratio | nothing changed ms | 0.1 % changed ms |\n|---|---|---|---|---|---|---|---|\n");
		List<Map<String, Object>> rows = new ArrayList<>();
		Worst byHand = new Worst();
		Worst byCompiled = new Worst();
		Worst clock = new Worst();
		Worst other = new Worst();
		double sumChanged = 0;
		double sumHand = 0;
		for (Spec spec : mix) {
			double ratio = first.get(spec.name()).median() / hand.get(spec.name()).median();
			double toCompiled = first.get(spec.name()).median() / ctas.get(spec.name()).median();
			byHand.offer(ratio, spec.name());
			byCompiled.offer(toCompiled, spec.name());
			(readsClock.contains(spec.name()) ? clock : other).offer(unchanged.get(spec.name()).medianWhereRan(),
					spec.name());
			sumChanged += changed.get(spec.name()).median();
			sumHand += hand.get(spec.name()).median();
			md.append(String.format("| %s | %s | %s | **%.2f×** | %s | **%.2f×** | %s | %s |%n", spec.name(),
					first.get(spec.name()).text(), hand.get(spec.name()).text(), ratio, ctas.get(spec.name()).text(),
					toCompiled, unchanged.get(spec.name()).text(), changed.get(spec.name()).text()));
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("segment", spec.name());
			row.put("first_ms", first.get(spec.name()).json());
			row.put("hand_written_ctas_ms", hand.get(spec.name()).json());
			row.put("ratio_first_to_hand_written", Sample.round(ratio));
			row.put("ctas_ms", ctas.get(spec.name()).json());
			row.put("ratio_first_to_ctas", Sample.round(toCompiled));
			row.put("nothing_changed_ms", unchanged.get(spec.name()).json());
			row.put("changed_0_1_percent_ms", changed.get(spec.name()).json());
			rows.add(row);
		}
		md.append(String.format(
				"%n0.1 %% changed, sum of steps: %s ms = %.2f× the sum of the hand-written CTAS " + "(%s ms).%n%n",
				Sample.format(sumChanged), sumChanged / sumHand, Sample.format(sumHand)));
		md.append("| run | process wall ms | job ms (Batch) |\n|---|---|---|\n");
		String[] names = { "first materialization", "nothing changed", "0.1 % changed" };
		List<Map<String, Object>> runs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			md.append(String.format("| %s | %s | %s |%n", names[i], wall[i].text(), job[i].text()));
			runs.add(Map.of("run", names[i], "process_wall_ms", wall[i].json(), "job_ms", job[i].json()));
		}
		md.append('\n');
		this.freshSection = md.toString();
		this.json.put("fresh_process", Map.of("segments", rows, "runs", runs, "launcher", launcher));
		this.freshChangedMs = sumChanged;
		this.goals.add(ratioGoal("First materialization ≤ 2× hand-written CTAS (fresh process)", byHand));
		this.goals.add(ratioGoal("First materialization ≤ 2× CTAS of the compiled SQL (fresh process)", byCompiled));
		unchangedGoals("fresh process", clock, other);
	}

	void views(List<Spec> mix, Map<String, Sample> refresh, Map<String, Sample> concurrently) {
		this.mvRefresh = refresh;
		this.mvConcurrently = concurrently;
		List<Map<String, Object>> rows = new ArrayList<>();
		Worst worst = new Worst();
		for (Spec spec : mix) {
			double base = this.ctas.get(spec.name()).median();
			double ratio = this.firstJob.get(spec.name()).median() / base;
			worst.offer(ratio, spec.name());
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("segment", spec.name());
			row.put("kind", spec.kind());
			row.put("members", this.members.get(spec.name()));
			row.put("segmat_job_step_ms", this.firstJob.get(spec.name()).json());
			row.put("ctas_ms", this.ctas.get(spec.name()).json());
			row.put("hand_written_ctas_ms", this.hand.get(spec.name()).json());
			row.put("ratio_segmat_to_hand_written",
					Sample.round(this.firstJob.get(spec.name()).median() / this.hand.get(spec.name()).median()));
			row.put("hand_written_table_with_primary_key_ms", this.indexed.get(spec.name()).json());
			row.put("ratio_segmat_to_table_with_primary_key",
					Sample.round(this.firstJob.get(spec.name()).median() / this.indexed.get(spec.name()).median()));
			row.put("refresh_mv_ms", refresh.get(spec.name()).json());
			row.put("refresh_mv_concurrently_unchanged_ms", concurrently.get(spec.name()).json());
			row.put("ratio_segmat_to_ctas", Sample.round(ratio));
			row.put("ratio_refresh_mv_to_ctas", Sample.round(refresh.get(spec.name()).median() / base));
			rows.add(row);
		}
		this.json.put("first_materialization", Map.of("segments", rows, "job_total_ms", this.firstTotal.json()));
		this.goals.add(ratioGoal("First materialization ≤ 2× CTAS of the compiled SQL (warm)", worst));
	}

	void nothingChanged(List<Spec> mix, Set<String> readsClock, Map<String, String> work, Map<String, Sample> step,
			Map<String, Sample> share, Sample total, long seqScans, long rowsRead) {
		StringBuilder md = new StringBuilder();
		md.append("## 2. Refresh with nothing changed (job run an hour later, threads=1)\n\n");
		md.append("No contact or event changed, but the clock moved an hour: a segment whose query reads the clock (a "
				+ "moving time window) is due every run, and is evaluated over the contacts whose values the moving "
				+ "bound swept past since its last evaluation; the path taken (segment_evaluation.mode) is in brackets. "
				+ "The other segments only have their sample republished when it is due.\n\n");
		md.append("\"step\" = the segment's partition step, over the runs that had one (for a republished sample, the "
				+ "segment's share of the samples step). \"cost\" = the step (0 when the planner did not schedule it) plus "
				+ "an equal share of the job's remaining overhead (launch, planner, Batch bookkeeping), over every run.\n\n");
		md.append(
				"| segment | what the job did | step ms | cost ms | REFRESH MV CONCURRENTLY (nothing changed) ms |\n");
		md.append("|---|---|---|---|---|\n");
		List<Map<String, Object>> rows = new ArrayList<>();
		Worst clock = new Worst();
		Worst other = new Worst();
		for (Spec spec : mix) {
			Sample cost = share.get(spec.name());
			(readsClock.contains(spec.name()) ? clock : other).offer(step.get(spec.name()).medianWhereRan(),
					spec.name());
			md.append("| ")
				.append(spec.name())
				.append(" | ")
				.append(work.get(spec.name()))
				.append(" | ")
				.append(step.get(spec.name()).whereRan().text())
				.append(" | ")
				.append(cost.text())
				.append(" | ")
				.append(this.mvConcurrently.get(spec.name()).text())
				.append(" |\n");
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("segment", spec.name());
			row.put("work", work.get(spec.name()));
			row.put("step_ms", step.get(spec.name()).whereRan().json());
			row.put("cost_ms", cost.json());
			rows.add(row);
		}
		md.append(String
			.format("%nJob total: %s ms for %d segments. Sequential scans of contact during these %d runs: %,d "
					+ "(%,d rows read).%n%n", total.text(), mix.size(), total.n(), seqScans, rowsRead));
		this.unchangedSection = md.toString();
		this.json.put("nothing_changed", Map.of("segments", rows, "job_total_ms", total.json(), "contact_seq_scans",
				seqScans, "contact_seq_rows_read", rowsRead));
		unchangedGoals("warm", clock, other);
		this.goals.add(new Goal("No sequential scan of contact with nothing changed",
				String.format("%,d seq scans", seqScans), seqScans == 0, String.format("%,d seq scans", seqScans)));
	}

	/**
	 * Issue 12's two goals for a segment with nothing changed, on its step (for a segment
	 * that only had its sample republished, its share of the samples step) in the runs
	 * that had one: ≤ 20 ms for one that reads the clock, ≤ 5 ms for any other.
	 */
	private void unchangedGoals(String where, Worst clock, Worst other) {
		this.goals.add(new Goal("Unchanged segment that reads the clock ≤ 20 ms (" + where + ")", clock.text(),
				clock.value() <= 20, String.format("%.2f× over 20 ms", clock.value() / 20)));
		this.goals.add(new Goal("Any other unchanged segment ≤ 5 ms (" + where + ")", other.text(), other.value() <= 5,
				String.format("%.2f× over 5 ms", other.value() / 5)));
	}

	/**
	 * The segment with the greatest figure of a group: its time, or its ratio to a
	 * baseline.
	 */
	private static final class Worst {

		private double value;

		private String name = "none";

		void offer(double value, String name) {
			if (value > this.value) {
				this.value = value;
				this.name = name;
			}
		}

		double value() {
			return this.value;
		}

		String name() {
			return this.name;
		}

		/** As a time in milliseconds. */
		String text() {
			return String.format("worst %s ms (%s)", Sample.format(this.value), this.name);
		}

	}

	void changed(double share, Sample changedContacts, List<Spec> mix, Map<String, Sample> moved,
			Map<String, Sample> job, Map<String, Sample> diff, Map<String, Sample> concurrently, Sample total) {
		String label = Sample.format(share * 100) + " %";
		StringBuilder md = new StringBuilder();
		md.append("### ")
			.append(label)
			.append(" of contacts changed (")
			.append(changedContacts.text())
			.append(" contacts; plan, score, country re-rolled, a fifth added to vip)\n\n");
		md.append(
				"| segment | members moved | segmat job step ms | full difference refresh ms | ratio | REFRESH MV CONCURRENTLY ms | ratio |\n");
		md.append("|---|---|---|---|---|---|---|\n");
		double sumJob = 0;
		double sumDiff = 0;
		double sumConc = 0;
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Spec spec : mix) {
			double j = job.get(spec.name()).median();
			double d = diff.get(spec.name()).median();
			double c = concurrently.get(spec.name()).median();
			sumJob += j;
			sumDiff += d;
			sumConc += c;
			md.append("| ")
				.append(spec.name())
				.append(" | ")
				.append(Sample.format(moved.get(spec.name()).median()))
				.append(" | ")
				.append(job.get(spec.name()).text())
				.append(" | ")
				.append(diff.get(spec.name()).text())
				.append(" | ")
				.append(String.format("%.2f×", j / d))
				.append(" | ")
				.append(concurrently.get(spec.name()).text())
				.append(" | ")
				.append(String.format("%.2f×", j / c))
				.append(" |\n");
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("segment", spec.name());
			row.put("members_moved", moved.get(spec.name()).json());
			row.put("segmat_job_step_ms", job.get(spec.name()).json());
			row.put("full_difference_ms", diff.get(spec.name()).json());
			row.put("refresh_mv_concurrently_ms", concurrently.get(spec.name()).json());
			row.put("ratio_to_full_difference", Sample.round(j / d));
			row.put("ratio_to_mv_concurrently", Sample.round(j / c));
			rows.add(row);
		}
		md.append(String.format("| **all %d** | | **%s** | **%s** | **%.2f×** | **%s** | **%.2f×** |%n", mix.size(),
				Sample.format(sumJob), Sample.format(sumDiff), sumJob / sumDiff, Sample.format(sumConc),
				sumJob / sumConc));
		md.append(String.format("%nJob total (threads=1): %s ms.%n%n", total.text()));
		this.changedSections.append(md);
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("share", share);
		entry.put("contacts_changed", changedContacts.json());
		entry.put("segments", rows);
		entry.put("job_total_ms", total.json());
		entry.put("ratio_to_full_difference", Sample.round(sumJob / sumDiff));
		entry.put("ratio_to_mv_concurrently", Sample.round(sumJob / sumConc));
		@SuppressWarnings("unchecked")
		List<Object> all = (List<Object>) this.json.computeIfAbsent("changed", (k) -> new ArrayList<>());
		all.add(entry);
		if (share == 0.001) {
			this.goals.add(changeGoal("warm", sumJob, sumDiff));
			if (this.freshChangedMs != null) {
				this.goals.add(changeGoal("fresh process", this.freshChangedMs, sumDiff));
			}
		}
	}

	private static Goal changeGoal(String where, double segmatMs, double fullDifferenceMs) {
		double ratio = segmatMs / fullDifferenceMs;
		return new Goal("0.1 % change ≤ 5 % of a full difference refresh (" + where + ")",
				String.format("%.1f %% (sum over the mix)", ratio * 100), ratio <= 0.05,
				String.format("%.2f× over", ratio / 0.05));
	}

	/**
	 * One documented query shape's steps; a null step is a run that did not evaluate it
	 * (not due, or its sample republished with others).
	 */
	record Shape(String query, long members, Double firstMs, Double unchangedMs, Double changedMs, String mode) {
	}

	void shapes(List<Shape> shapes) {
		StringBuilder md = new StringBuilder("""
				## 3b. The documented query shapes (refresh job, threads=1, one run each)

				The spec's examples and the fixture's queries, beside the mix: each one's own step at its first \
				materialization, an hour later with nothing changed, and after 0.1 % of contacts changed, with the \
				path taken. With nothing changed, a segment that only had its sample republished shows its share of \
				the samples step, and "–" is one that was not due. Slowest unchanged first.

				| query | members | first ms | nothing changed ms | 0.1 % changed ms |
				|---|---|---|---|---|
				""");
		List<Map<String, Object>> json = new ArrayList<>();
		shapes.stream()
			.sorted(Comparator.comparing((Shape shape) -> (shape.unchangedMs() != null) ? shape.unchangedMs() : 0.0)
				.reversed())
			.forEach((shape) -> {
				md.append("| `")
					.append(shape.query().replace("|", "\\|"))
					.append("` | ")
					.append(String.format("%,d", shape.members()))
					.append(" | ")
					.append(ms(shape.firstMs()))
					.append(" | ")
					.append(ms(shape.unchangedMs()))
					.append(" | ")
					.append(ms(shape.changedMs()))
					.append((shape.mode() != null) ? " (" + shape.mode() + ")" : "")
					.append(" |\n");
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("query", shape.query());
				row.put("members", shape.members());
				row.put("first_ms", rounded(shape.firstMs()));
				row.put("nothing_changed_ms", rounded(shape.unchangedMs()));
				row.put("changed_0_1_percent_ms", rounded(shape.changedMs()));
				json.add(row);
			});
		this.shapesSection = md.append("\n").toString();
		this.json.put("documented_shapes", json);
	}

	private static String ms(Double ms) {
		return (ms != null) ? Sample.format(ms) : "–";
	}

	private static Double rounded(Double ms) {
		return (ms != null) ? Sample.round(ms) : null;
	}

	void hourlyJob(int segments, int threads, double firstMs, Sample unchanged, Sample total, Sample evaluated) {
		this.hourlySection = String.format("""
				## 4. The hourly job over %d segments (threads=%d, the default)

				| run | ms |
				|---|---|
				| first materialization of the %d segments beyond the mix (one run) | %s |
				| nothing changed (one run) | %s |
				| **0.1 %% of contacts changed** (partitions run: %s) | **%s** |

				""", segments, threads, segments - this.mix.size(), Sample.format(firstMs), unchanged.text(),
				evaluated.text(), total.text());
		this.json.put("hourly_job",
				Map.of("segments", segments, "threads", threads, "first_materialization_ms", Sample.round(firstMs),
						"nothing_changed_ms", unchanged.json(), "changed_0_1_percent_ms", total.json(), "partitions",
						evaluated.json()));
		this.goals.add(new Goal("200-segment hourly job ≤ 30 s", Sample.format(total.median() / 1000) + " s",
				total.median() <= 30_000, String.format("%.1f× over", total.median() / 30_000)));
	}

	void crossoverSetup(int repeat, Duration budget, double defaultMaxFraction, long defaultMinimum) {
		this.crossoverRepeat = repeat;
		this.crossoverBudget = budget;
		this.defaultMaxFraction = defaultMaxFraction;
		this.defaultMinimum = defaultMinimum;
	}

	void crossover(CrossoverRound round) {
		this.rounds.add(round);
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("share", round.share());
		row.put("contacts_changed", round.changed().json());
		row.put("full_ms", round.sum(CrossoverRound.FULL).json());
		row.put("incremental_ms", round.sum(CrossoverRound.INCREMENTAL).json());
		row.put("ratio_incremental_to_full", Sample.round(round.ratio()));
		row.put("path_not_held", Map.of(CrossoverRound.FULL, round.strays(CrossoverRound.FULL),
				CrossoverRound.INCREMENTAL, round.strays(CrossoverRound.INCREMENTAL)));
		List<Map<String, Object>> segments = new ArrayList<>();
		for (Spec spec : this.mix) {
			Map<String, Object> segment = new LinkedHashMap<>();
			segment.put("segment", spec.name());
			segment.put("full_ms", round.step(CrossoverRound.FULL, spec.name()).json());
			segment.put("incremental_ms", round.step(CrossoverRound.INCREMENTAL, spec.name()).json());
			segment.put("ratio_incremental_to_full", Sample.round(round.ratio(spec.name())));
			segments.add(segment);
		}
		row.put("segments", segments);
		this.crossoverRows.add(row);
		Crossing crossing = crossing(CrossoverRound::ratio);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("repeat", this.crossoverRepeat);
		json.put("budget_minutes", this.crossoverBudget.toMinutes());
		json.put("default_incremental_max_fraction", this.defaultMaxFraction);
		json.put("default_incremental_minimum", this.defaultMinimum);
		json.put("incremental_faster_up_to_share", crossing.fasterUpTo());
		json.put("full_faster_from_share", crossing.slowerFrom());
		json.put("rounds", this.crossoverRows);
		this.json.put("crossover", json);
	}

	private String crossoverSection() {
		if (this.rounds.isEmpty()) {
			return "";
		}
		StringBuilder md = new StringBuilder();
		md.append("## 6. Incremental or full: where they cross (threads=1, each path forced)\n\n");
		md.append(String.format(
				"""
						Each run changes a share of the contacts (as in section 3, but drawn from the base's own distributions: \
						country with the import's weights, vip re-rolled at its 5 %% rate, so that rounds adding up to several \
						times the base leave every segment as big as it was), then runs the job in a second application context \
						on the same database whose thresholds leave the evaluator one path: **full** \
						(incremental-max-fraction=0, incremental-minimum=0) or **incremental** (incremental-max-fraction=1, \
						incremental-minimum=10^12); then another change of the same share, and the job down the other path. \
						Which path goes first alternates between runs, and runs are interleaved across shares (run 1 of every \
						share, then run 2, ...) so that a burst of load from other tenants lands on one run of several shares \
						rather than on every run of one. Each run starts after a VACUUM ANALYZE of contact, list_member and \
						segment_member, off the clock. A figure is the sum over the %d segments of their partition steps, \
						median of n runs (min–max): up to %d, but a further run over all shares starts only if it fits in \
						%d minutes (BENCH_CROSSOVER_MINUTES). "path held" counts the steps whose segment_evaluation.mode is the forced one. This section runs last, \
						after the hourly job's extra segments are deleted, so that it changes nothing the sections above measure.

						| contacts changed | n | full ms | incremental ms | incremental / full | path held |
						|---|---|---|---|---|---|
						""",
				this.mix.size(), this.crossoverRepeat, this.crossoverBudget.toMinutes()));
		for (CrossoverRound round : this.rounds) {
			Sample full = round.sum(CrossoverRound.FULL);
			Sample incremental = round.sum(CrossoverRound.INCREMENTAL);
			md.append(String.format("| %s (%,.0f) | %d | %s | %s | **%.2f×** | %s |%n", percent(round.share()),
					round.changed().median(), Math.min(full.n(), incremental.n()), full.text(), incremental.text(),
					round.ratio(), held(round)));
		}
		Crossing mixCrossing = crossing(CrossoverRound::ratio);
		md.append("\n**")
			.append(mixCrossing.text())
			.append("**; the default threshold is incremental-max-fraction = ")
			.append(percent(this.defaultMaxFraction))
			.append(String.format(" (with at least %,d contacts).%n%n", this.defaultMinimum));
		md.append("Per segment, incremental / full (ratio of medians; below 1 the incremental path is faster):\n\n");
		md.append("| segment |");
		this.rounds.forEach((round) -> md.append(' ').append(percent(round.share())).append(" |"));
		md.append(" incremental faster up to |\n|---|");
		this.rounds.forEach((round) -> md.append("---|"));
		md.append("---|\n");
		for (Spec spec : this.mix) {
			md.append("| ").append(spec.name()).append(" |");
			this.rounds.forEach((round) -> md.append(String.format(" %.2f× |", round.ratio(spec.name()))));
			md.append(' ').append(crossing((round) -> round.ratio(spec.name())).shortText()).append(" |\n");
		}
		md.append('\n');
		return md.toString();
	}

	private String held(CrossoverRound round) {
		StringBuilder text = new StringBuilder();
		for (String mode : List.of(CrossoverRound.FULL, CrossoverRound.INCREMENTAL)) {
			int steps = round.runs(mode) * this.mix.size();
			List<String> strays = round.strays(mode);
			text.append(text.isEmpty() ? "" : ", ")
				.append(mode)
				.append(' ')
				.append(steps - strays.size())
				.append('/')
				.append(steps);
			if (!strays.isEmpty()) {
				text.append(" (**").append(String.join("; ", strays)).append("**)");
			}
		}
		return text.toString();
	}

	/**
	 * The largest share measured where the incremental path was faster, and the next
	 * share measured.
	 */
	private Crossing crossing(ToDoubleFunction<CrossoverRound> ratio) {
		Double fasterUpTo = null;
		Double slowerFrom = null;
		List<String> exceptions = new ArrayList<>();
		for (CrossoverRound round : this.rounds) {
			if (ratio.applyAsDouble(round) < 1) {
				fasterUpTo = round.share();
				slowerFrom = null;
			}
			else if (slowerFrom == null) {
				slowerFrom = round.share();
			}
		}
		for (CrossoverRound round : this.rounds) {
			if (fasterUpTo != null && round.share() < fasterUpTo && ratio.applyAsDouble(round) >= 1) {
				exceptions.add(percent(round.share()));
			}
		}
		return new Crossing(fasterUpTo, slowerFrom, exceptions, percent(this.rounds.get(0).share()),
				percent(this.rounds.get(this.rounds.size() - 1).share()));
	}

	private static String percent(double share) {
		String text = Sample.format(share * 100);
		return (text.contains(".") ? text.replaceAll("\\.?0+$", "") : text) + " %";
	}

	void heap(long afterGc, long sampled, long poolPeaks, long max, long collections) {
		this.heapSection = String.format("""
				## 5. JVM heap (the whole bench process, -Xmx %,.0f MB)

				| measure | MB |
				|---|---|
				| peak live heap: highest usage right after a GC (%,d GCs) | **%,.0f** |
				| peak heap used, sampled every 10 ms (includes uncollected garbage) | %,.0f |
				| sum of the heap pools' peak usage (MemoryPoolMXBean) | %,.0f |

				""", max / MB, collections, afterGc / MB, sampled / MB, poolPeaks / MB);
		this.json.put("heap",
				Map.of("max_heap_mb", Math.round(max / MB), "peak_after_gc_mb", Math.round(afterGc / MB),
						"peak_sampled_mb", Math.round(sampled / MB), "pool_peaks_mb", Math.round(poolPeaks / MB), "gcs",
						collections));
		String scale = ((Number) this.machine.getOrDefault("contacts", 0)).intValue() >= 1_000_000 ? ""
				: " (at " + this.machine.get("contacts") + " contacts, not 1M)";
		this.goals.add(
				new Goal("Heap ≤ 256 MB at 1M contacts", String.format("%,.0f MB live after GC%s", afterGc / MB, scale),
						afterGc <= 256 * MB, String.format("%.1f× over", afterGc / (256 * MB))));
	}

	/**
	 * A view refresh figure, empty when BENCH_SKIP left out section 3, which measures
	 * them.
	 */
	private static Sample view(Map<String, Sample> figures, Spec spec) {
		return figures.getOrDefault(spec.name(), new Sample());
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# segmat bench\n\n");
		md.append(String.format(
				"%,d contacts, %s events; %s runs per figure (median, (min–max)); times in ms unless said.%n%n",
				((Number) this.machine.get("contacts")).intValue(), this.data.get("events"),
				this.machine.get("repeat")));
		md.append("## Goals\n\n| goal | measured | pass | by how much |\n|---|---|---|---|\n");
		for (Goal goal : goalsInOrder()) {
			md.append("| ")
				.append(goal.name())
				.append(" | ")
				.append(goal.measured())
				.append(" | ")
				.append(goal.pass() ? "pass" : "**FAIL**")
				.append(" | ")
				.append(goal.pass() ? "" : goal.miss())
				.append(" |\n");
		}
		md.append("\n## Machine\n\n| | |\n|---|---|\n");
		this.machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
		md.append(
				"\nA shared 2-core machine: PostgreSQL and the JVM compete for the same cores, and other tenants may too; "
						+ "min–max shows the noise.\n\n## Data\n\n| | |\n|---|---|\n");
		this.data.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
		md.append("\n").append(this.importSection);
		md.append("## 1. First materialization (refresh job, threads=1) against the baselines\n\n");
		md.append("segmat = the segment's partition step in the job (Batch overhead included), in the bench's warm "
				+ "JVM. Two `CREATE TABLE AS` baselines: of segmat's compiled SQL with its parameters inlined, and of "
				+ "hand-written SQL, the plainest correct query for the segment; both are checked to hold exactly "
				+ "segmat's membership. The views run the compiled SQL. REFRESH MV CONCURRENTLY here refreshes a view "
				+ "whose content did not change. \"Table + key\" is not a goal's baseline but the least a membership "
				+ "kept for readers costs by hand: the hand-written query into a new ordinary table, its primary key, "
				+ "the commit.\n\n");
		md.append(
				"| segment | kind | members | segmat ms | hand-written CTAS ms | segmat / hand | table + key ms | segmat / "
						+ "table + key | CTAS ms | segmat / CTAS | REFRESH MV ms | / CTAS | REFRESH MV CONCURRENTLY ms | / CTAS |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Spec spec : this.mix) {
			double base = this.ctas.get(spec.name()).median();
			md.append(String.format(
					"| %s | %s | %,d | %s | %s | **%.2f×** | %s | %.2f× | %s | **%.2f×** | %s | %.2f× | %s | %.2f× |%n",
					spec.name(), spec.kind(), this.members.get(spec.name()), this.firstJob.get(spec.name()).text(),
					this.hand.get(spec.name()).text(),
					this.firstJob.get(spec.name()).median() / this.hand.get(spec.name()).median(),
					this.indexed.get(spec.name()).text(),
					this.firstJob.get(spec.name()).median() / this.indexed.get(spec.name()).median(),
					this.ctas.get(spec.name()).text(), this.firstJob.get(spec.name()).median() / base,
					view(this.mvRefresh, spec).text(), view(this.mvRefresh, spec).median() / base,
					view(this.mvConcurrently, spec).text(), view(this.mvConcurrently, spec).median() / base));
		}
		md.append(String.format("%nJob total for the %d new segments: %s ms.%n%n", this.mix.size(),
				this.firstTotal.text()));
		md.append(this.freshSection);
		md.append(this.unchangedSection);
		md.append("## 3. Refresh after changes (job run an hour later, threads=1)\n\n");
		md.append(
				"Full difference refresh = CREATE TEMP TABLE of the predicate, DELETE the gone, INSERT the new, into a "
						+ "(segment_key, contact_key) table like segment_member. Ratios are segmat / baseline.\n\n");
		md.append(this.changedSections);
		md.append(this.shapesSection);
		md.append(this.hourlySection);
		md.append(this.heapSection);
		md.append(crossoverSection());
		if (!this.notes.isEmpty()) {
			md.append("## Notes\n\n");
			this.notes.forEach((note) -> md.append("- ").append(note).append('\n'));
		}
		return md.toString();
	}

	void write(Path dir) throws IOException {
		Files.createDirectories(dir);
		String md = markdown();
		Map<String, Object> all = new LinkedHashMap<>();
		List<Map<String, Object>> goalRows = new ArrayList<>();
		for (Goal goal : goalsInOrder()) {
			goalRows.add(Map.of("goal", goal.name(), "measured", goal.measured(), "pass", goal.pass()));
		}
		all.put("goals", goalRows);
		all.putAll(this.json);
		all.put("notes", this.notes);
		Files.writeString(dir.resolve("bench.json"),
				ImportJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all), StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("bench.md"), md, StandardCharsets.UTF_8);
	}

	/**
	 * The goals in the order they were measured, except that a goal's warm and fresh
	 * process lines sit together, as the sections measure them apart.
	 */
	private List<Goal> goalsInOrder() {
		Map<String, List<Goal>> byGoal = new LinkedHashMap<>();
		for (Goal goal : this.goals) {
			byGoal.computeIfAbsent(WHERE.matcher(goal.name()).replaceFirst(""), (k) -> new ArrayList<>()).add(goal);
		}
		return byGoal.values().stream().flatMap(List::stream).toList();
	}

	private static final Pattern WHERE = Pattern.compile(" \\((warm|fresh process)\\)$");

	private record Goal(String name, String measured, boolean pass, String miss) {
	}

	/**
	 * Where the incremental path stopped being the faster one, among the shares measured.
	 */
	private record Crossing(Double fasterUpTo, Double slowerFrom, List<String> exceptions, String first, String last) {

		String text() {
			if (this.fasterUpTo == null) {
				return "The full path is faster at every share measured, from " + this.first;
			}
			String text = (this.slowerFrom == null)
					? "The incremental path is faster at every share measured, up to " + this.last
					: "Crossover: the incremental path is faster up to " + percent(this.fasterUpTo)
							+ " of contacts changed, the full path from " + percent(this.slowerFrom);
			return text + (this.exceptions.isEmpty() ? "" : " (except at " + String.join(", ", this.exceptions) + ")");
		}

		String shortText() {
			if (this.fasterUpTo == null) {
				return "< " + this.first;
			}
			String text = (this.slowerFrom == null) ? "≥ " + this.last : percent(this.fasterUpTo);
			return text + (this.exceptions.isEmpty() ? "" : " (not at " + String.join(", ", this.exceptions) + ")");
		}

	}

}
