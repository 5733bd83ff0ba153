package io.segmat.refresh;

import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Gives a completed run whose segments partly failed its own exit code, so cron,
 * Kubernetes and operators reading BATCH_JOB_EXECUTION see it (and the CLI exits 3).
 */
@Component
class RefreshOutcomeListener implements JobExecutionListener {

	static final String COMPLETED_WITH_FAILED_SEGMENTS = "COMPLETED_WITH_FAILED_SEGMENTS";

	private final EvaluationLog log;

	RefreshOutcomeListener(EvaluationLog log) {
		this.log = log;
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			return;
		}
		List<String> failed = this.log.failedSegments(execution.getJobInstanceId());
		if (!failed.isEmpty()) {
			execution.setExitStatus(new ExitStatus(COMPLETED_WITH_FAILED_SEGMENTS,
					String.join("\n", failed.stream().map(RefreshOutcomeListener::oneLine).toList())));
		}
	}

	/**
	 * The description holds one failed segment a line, and is read back so; a name or a
	 * message holding a line break would split its segment in two.
	 */
	private static String oneLine(String failure) {
		return failure.replace("\r", "\\r").replace("\n", "\\n");
	}

}
