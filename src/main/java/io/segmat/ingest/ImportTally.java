package io.segmat.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * An import's counters and its first row errors, kept in the step's ExecutionContext.
 * <p>
 * The step saves the context only with a committed chunk, so after a crash and restart
 * the counts resume from the last commit and describe the whole file exactly once, where
 * the step execution's own read/write counts would cover only the last execution.
 */
public class ImportTally implements ItemStream {

	/** How many row errors a report keeps; the counts cover all of them. */
	public static final int MAX_ERRORS = 20;

	private static final String PREFIX = "tally.";

	private static final String ERRORS = PREFIX + "errors";

	private final List<String> counterNames;

	private final Map<String, Long> counts = new LinkedHashMap<>();

	private final List<RowError> errors = new ArrayList<>();

	public ImportTally(List<String> counterNames) {
		this.counterNames = List.copyOf(counterNames);
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
		increment(counter);
		if (this.errors.size() < MAX_ERRORS) {
			this.errors.add(new RowError(line, reason));
		}
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
			encoded.append(error.line()).append('\t').append(error.reason().replace('\n', ' ')).append('\n');
		}
		context.putString(ERRORS, encoded.toString());
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
		String encoded = context.containsKey(ERRORS) ? context.getString(ERRORS) : "";
		for (String entry : encoded.split("\n", -1)) {
			int tab = entry.indexOf('\t');
			if (tab > 0) {
				errors.add(new RowError(Long.parseLong(entry.substring(0, tab)), entry.substring(tab + 1)));
			}
		}
		return new Snapshot(counts, errors);
	}

	public record Snapshot(Map<String, Long> counts, List<RowError> errors) {

		public long count(String name) {
			return this.counts.getOrDefault(name, 0L);
		}

	}

}
