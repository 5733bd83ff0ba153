package io.segmat.ingest;

import java.time.Duration;
import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** How an import job execution ended, and the tally its step saved. */
public record JobOutcome(long jobExecutionId, BatchStatus status, ImportTally.Snapshot tally, String failure,
		long durationMs) {

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
		return new JobOutcome(execution.getId(), execution.getStatus(), ImportTally.snapshot(context, counters),
				failure, duration);
	}

	public boolean completed() {
		return this.status == BatchStatus.COMPLETED;
	}

	private static String rootMessage(Throwable ex) {
		Throwable current = ex;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		String message = current.getMessage();
		return (message != null && !message.isBlank()) ? message : current.getClass().getSimpleName();
	}

}
