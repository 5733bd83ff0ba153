package io.segmat.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.segmat.ingest.ImportTally;
import io.segmat.refresh.ManualRefreshRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records what each job execution did once it ends, as a listener of every Batch job (see
 * {@link MetricsConfiguration}): a refresh's evaluations, read back from
 * segment_evaluation with one query, and an import's rows by outcome, from the tally its
 * step saved. Also counts the manual refreshes refused.
 * <p>
 * The refresh's series exist from the start, at zero, so that a dashboard or an alert
 * finds them before the first run; an import's outcomes are its tally's counter names.
 */
class RunMetrics implements JobExecutionListener {

	static final String SEGMENTS = "segmat.refresh.segments";

	static final String ENTERED = "segmat.refresh.members.entered";

	static final String LEFT = "segmat.refresh.members.left";

	static final String EVALUATION = "segmat.refresh.evaluation";

	static final String IMPORT_ROWS = "segmat.import.rows";

	static final String REFUSED = "segmat.manual.refreshes.refused";

	private static final Logger logger = LoggerFactory.getLogger(RunMetrics.class);

	private static final Map<String, String> TRIGGERS = Map.of("segmentRefreshJob", "scheduled",
			"segmentManualRefreshJob", "manual");

	private static final List<String> MODES = List.of("full", "incremental");

	/** A failed evaluation has no mode: it never got to rewrite the membership. */
	private static final String NO_MODE = "none";

	private final MeterRegistry registry;

	private final JdbcClient jdbc;

	private final Counter refused;

	RunMetrics(MeterRegistry registry, JdbcClient jdbc) {
		this.registry = registry;
		this.jdbc = jdbc;
		for (String trigger : TRIGGERS.values()) {
			for (String mode : MODES) {
				segments(trigger, mode, "COMPLETED");
				evaluation(trigger, mode, "COMPLETED");
			}
			segments(trigger, NO_MODE, "FAILED");
			members(ENTERED, trigger);
			members(LEFT, trigger);
		}
		this.refused = Counter.builder(REFUSED)
			.description("Manual refreshes refused for a quota (HTTP 429, exit 4)")
			.register(registry);
	}

	@Override
	public void afterJob(JobExecution execution) {
		String job = execution.getJobInstance().getJobName();
		try {
			String trigger = TRIGGERS.get(job);
			if (trigger != null) {
				recordEvaluations(trigger, execution.getId());
			}
			else {
				recordImport(job, execution);
			}
		}
		catch (DataAccessException ex) {
			// The run's outcome is its own; a figure that could not be read is only
			// missing from this push or scrape.
			logger.warn("could not record the figures of {} execution {}: {}", job, execution.getId(), ex.getMessage());
		}
	}

	@EventListener
	void manualRefreshRefused(ManualRefreshRefused refused) {
		this.refused.increment();
	}

	private void recordEvaluations(String trigger, long jobExecutionId) {
		List<Evaluation> evaluations = this.jdbc.sql("""
				SELECT status, coalesce(mode, 'none') AS mode, coalesce(entered, 0) AS entered,
				       coalesce(exited, 0) AS exited, coalesce(duration_ms, 0) AS duration_ms
				FROM segment_evaluation WHERE job_execution_id = ?
				""").param(jobExecutionId).query(Evaluation.class).list();
		for (Evaluation evaluation : evaluations) {
			segments(trigger, evaluation.mode(), evaluation.status()).increment();
			evaluation(trigger, evaluation.mode(), evaluation.status())
				.record(Duration.ofMillis(evaluation.durationMs()));
			members(ENTERED, trigger).increment(evaluation.entered());
			members(LEFT, trigger).increment(evaluation.exited());
		}
	}

	private void recordImport(String job, JobExecution execution) {
		for (StepExecution step : execution.getStepExecutions()) {
			ImportTally.counts(step.getExecutionContext())
				.forEach((outcome, rows) -> Counter.builder(IMPORT_ROWS)
					.description("Rows of imported files by outcome (read: every row read)")
					.tag("import_job", job)
					.tag("outcome", outcome)
					.register(this.registry)
					.increment(rows));
		}
	}

	private Counter segments(String trigger, String mode, String status) {
		return Counter.builder(SEGMENTS)
			.description("Segments evaluated, by trigger, mode (full, incremental; none when failed) and status")
			.tag("trigger", trigger)
			.tag("mode", mode)
			.tag("status", status)
			.register(this.registry);
	}

	private Timer evaluation(String trigger, String mode, String status) {
		return Timer.builder(EVALUATION)
			.description("Time one segment's evaluation took, by trigger, mode and status")
			.tag("trigger", trigger)
			.tag("mode", mode)
			.tag("status", status)
			.register(this.registry);
	}

	private Counter members(String name, String trigger) {
		return Counter.builder(name)
			.description(ENTERED.equals(name) ? "Contacts that entered a segment's membership"
					: "Contacts that left a segment's membership")
			.tag("trigger", trigger)
			.register(this.registry);
	}

	record Evaluation(String status, String mode, long entered, long exited, long durationMs) {
	}

}
