package io.segmat.refresh;

import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives a completed run whose segments partly failed its own exit code, so cron,
 * Kubernetes and operators reading BATCH_JOB_EXECUTION see it (and the CLI exits 3).
 */
@Component
class RefreshOutcomeListener implements JobExecutionListener {

	static final String COMPLETED_WITH_FAILED_SEGMENTS = "COMPLETED_WITH_FAILED_SEGMENTS";

	private final JdbcClient jdbc;

	RefreshOutcomeListener(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			return;
		}
		List<String> failed = failedSegments(this.jdbc, execution.getJobInstanceId());
		if (!failed.isEmpty()) {
			execution.setExitStatus(new ExitStatus(COMPLETED_WITH_FAILED_SEGMENTS, String.join("\n", failed)));
		}
	}

	/**
	 * "name: reason" of each segment that failed in any execution of the slot's instance.
	 */
	static List<String> failedSegments(JdbcClient jdbc, long jobInstanceId) {
		return jdbc.sql("""
				SELECT coalesce(s.name, e.segment_id::text) || ': ' || e.error_message
				FROM segment_evaluation e
				JOIN batch_job_execution j ON j.job_execution_id = e.job_execution_id
				LEFT JOIN segment s ON s.id = e.segment_id
				WHERE j.job_instance_id = ? AND e.status = 'FAILED'
				ORDER BY e.id
				""").param(jobInstanceId).query(String.class).list();
	}

}
