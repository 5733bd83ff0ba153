package io.segmat.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * An import's counters and its first row errors, kept in the step's ExecutionContext.
 * <p>
 * The step saves the context only with a committed chunk, so after a crash and restart
 * the counts resume from the last commit and describe the whole file exactly once, where
 * the step execution's own read/write counts would cover only the last execution.
 * <p>
 * As a listener of its step it gives a step that completed with rejected rows the exit
 * status {@link #COMPLETED_WITH_ERRORS}: the job is COMPLETED (a rerun would reject the
 * same rows), and its exit code says that not every row landed.
 */
public class ImportTally implements ItemStream, StepExecutionListener {

	/** How many row errors a report keeps; the counts cover all of them. */
	public static final int MAX_ERRORS = 100;

	/** The exit code of an import that completed without some of its rows. */
	public static final String COMPLETED_WITH_ERRORS = "COMPLETED_WITH_ERRORS";

	private static final String PREFIX = "tally.";

	/** Before row errors had a field: line TAB reason. */
	private static final String OLD_ERRORS = PREFIX + "errors";

	/** Line TAB field TAB reason, a row error a line. */
	private static final String ERRORS = PREFIX + "row_errors";

	private final List<String> counterNames;

	private final Set<String> errorCounters;

	private final Map<String, Long> counts = new LinkedHashMap<>();

	private final List<RowError> errors = new ArrayList<>();

	public ImportTally(List<String> counterNames) {
		this(counterNames, Set.of());
	}

	/**
	 * @param errorCounters the counters of rejected rows: when any is above zero at the
	 * end, the step completed with errors
	 */
	public ImportTally(List<String> counterNames, Set<String> errorCounters) {
		this.counterNames = List.copyOf(counterNames);
		this.errorCounters = Set.copyOf(errorCounters);
		this.counterNames.forEach((name) -> this.counts.put(name, 0L));
	}

	public void add(String counter, long delta) {
		this.counts.merge(counter, delta, Long::sum);
	}

	public void increment(String counter) {
		add(counter, 1);
	}

	/**
	 * Counts a rejected row under {@code counter} and keeps its error if there is room.
	 */
	public void reject(String counter, long line, String reason) {
		reject(counter, line, null, reason);
	}

	/**
	 * Counts a rejected row under {@code counter} and keeps its error, with the field at
	 * fault, if there is room. Field and reason may quote the input: they are made
	 * {@link Storable#printable printable} first.
	 */
	public void reject(String counter, long line, String field, String reason) {
		increment(counter);
		if (this.errors.size() < MAX_ERRORS) {
			this.errors.add(new RowError(line, Storable.printable(field), Storable.printable(reason)));
		}
	}

	public long count(String counter) {
		return this.counts.getOrDefault(counter, 0L);
	}

	/** How many rows the counters of rejected rows hold, over every execution. */
	public long rejected() {
		return this.errorCounters.stream().mapToLong(this::count).sum();
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		long rejected = rejected();
		if (rejected == 0 || !ExitStatus.COMPLETED.getExitCode().equals(stepExecution.getExitStatus().getExitCode())) {
			return null;
		}
		return new ExitStatus(COMPLETED_WITH_ERRORS, rejected + " rows were not imported");
	}

	@Override
	public void open(ExecutionContext context) {
		Snapshot saved = snapshot(context, this.counterNames);
		this.counts.putAll(saved.counts());
		this.errors.clear();
		this.errors.addAll(saved.errors());
	}

	@Override
	public void update(ExecutionContext context) {
		this.counts.forEach((name, value) -> context.putLong(PREFIX + name, value));
		StringBuilder encoded = new StringBuilder();
		for (RowError error : this.errors) {
			// printable already: no tab or line break inside
			encoded.append(error.line())
				.append('\t')
				.append((error.field() != null) ? error.field() : "")
				.append('\t')
				.append(error.reason())
				.append('\n');
		}
		context.putString(ERRORS, encoded.toString());
		context.remove(OLD_ERRORS);
	}

	/**
	 * What a step's saved context says; the report of a finished or failed import reads
	 * it.
	 */
	public static Snapshot snapshot(ExecutionContext context, List<String> counterNames) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String name : counterNames) {
			counts.put(name, context.containsKey(PREFIX + name) ? context.getLong(PREFIX + name) : 0L);
		}
		List<RowError> errors = new ArrayList<>();
		boolean withField = context.containsKey(ERRORS);
		String encoded = withField ? context.getString(ERRORS)
				: context.containsKey(OLD_ERRORS) ? context.getString(OLD_ERRORS) : "";
		for (String entry : encoded.split("\n", -1)) {
			int tab = entry.indexOf('\t');
			if (tab <= 0) {
				continue;
			}
			long line = Long.parseLong(entry.substring(0, tab));
			int second = withField ? entry.indexOf('\t', tab + 1) : -1;
			if (second < 0) {
				errors.add(new RowError(line, entry.substring(tab + 1)));
			}
			else {
				String field = entry.substring(tab + 1, second);
				errors.add(new RowError(line, field.isEmpty() ? null : field, entry.substring(second + 1)));
			}
		}
		return new Snapshot(counts, errors);
	}

	/**
	 * Every count a step's saved context holds, by counter name, for a reader that does
	 * not know the import's counters (the metrics).
	 */
	public static Map<String, Long> counts(ExecutionContext context) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (Map.Entry<String, Object> entry : context.entrySet()) {
			if (entry.getKey().startsWith(PREFIX) && entry.getValue() instanceof Long count) {
				counts.put(entry.getKey().substring(PREFIX.length()), count);
			}
		}
		return counts;
	}

	public record Snapshot(Map<String, Long> counts, List<RowError> errors) {

		public long count(String name) {
			return this.counts.getOrDefault(name, 0L);
		}

	}

}
