package io.segmat.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.segmat.db.DatabaseFailures;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How an import job execution ended, and the tally its step saved. {@code exitCode} is
 * Batch's: {@link ImportTally#COMPLETED_WITH_ERRORS} when it completed without some rows.
 */
public record JobOutcome(long jobExecutionId, BatchStatus status, String exitCode, ImportTally.Snapshot tally,
		String failure, long durationMs) {

	public static JobOutcome of(JobExecution execution, String stepName, List<String> counters) {
		ExecutionContext context = execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(stepName))
			.map(StepExecution::getExecutionContext)
			.findFirst()
			.orElseGet(ExecutionContext::new);
		String failure = execution.getAllFailureExceptions()
			.stream()
			.map(JobOutcome::rootMessage)
			.findFirst()
			.orElse(null);
		long duration = (execution.getStartTime() != null && execution.getEndTime() != null)
				? Duration.between(execution.getStartTime(), execution.getEndTime()).toMillis() : 0;
		return new JobOutcome(execution.getId(), execution.getStatus(), execution.getExitStatus().getExitCode(),
				ImportTally.snapshot(context, counters), failure, duration);
	}

	public boolean completed() {
		return this.status == BatchStatus.COMPLETED;
	}

	/** It completed, but rows were rejected: their errors are in the tally. */
	public boolean completedWithErrors() {
		return completed() && ImportTally.COMPLETED_WITH_ERRORS.equals(this.exitCode);
	}

	private static String rootMessage(Throwable ex) {
		Optional<String> database = DatabaseFailures.describe(ex);
		if (database.isPresent()) {
			return database.get();
		}
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		String message = current.getMessage();
		return (message != null && !message.isBlank()) ? message : current.getClass().getSimpleName();
	}

}
