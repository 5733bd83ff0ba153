package io.segmat.changes;

import java.time.Clock;

import javax.sql.DataSource;

import io.segmat.db.AdvisoryLock;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Runs {@code changeDeliveryJob}, one delivery at a time across machines (a PostgreSQL
 * advisory lock). Delivery runs apart from the refresh, from its own schedule, so a
 * receiver that is slow or down never holds a refresh up.
 */
@Component
public class ChangeDeliveryLauncher {

	private final DataSource dataSource;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	private final Clock clock;

	private final ChangeSettings settings;

	ChangeDeliveryLauncher(DataSource dataSource, JobOperator jobOperator, JobRepository jobRepository,
			@Qualifier(ChangeDeliveryJobConfiguration.JOB_NAME) Job job, Clock clock, ChangeSettings settings) {
		this.dataSource = dataSource;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = job;
		this.clock = clock;
		this.settings = settings;
	}

	/** Delivers what the webhook has not received yet. */
	public DeliveryRun deliver() {
		if (this.settings.webhookUrl() == null) {
			return new DeliveryRun(DeliveryRun.Outcome.NOT_CONFIGURED, null, 0,
					"SEGMAT_CHANGES_WEBHOOK_URL is not set: there is nowhere to deliver the changes");
		}
		return AdvisoryLock.CHANGE_DELIVERY.whileHeld(this.dataSource, () -> {
			recoverInterruptedRuns();
			return outcome(start());
		})
			.orElseGet(() -> new DeliveryRun(DeliveryRun.Outcome.LOCKED, null, 0,
					"another delivery of the changes is running; try again later"));
	}

	private JobExecution start() {
		JobParameters parameters = new JobParametersBuilder()
			.addString(ChangeDeliveryJobConfiguration.RUN, this.clock.instant().toString())
			.toJobParameters();
		try {
			return this.jobOperator.start(this.job, parameters);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot start " + this.job.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private DeliveryRun outcome(JobExecution execution) {
		long delivered = execution.getStepExecutions().stream().mapToLong(StepExecution::getWriteCount).sum();
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return new DeliveryRun(DeliveryRun.Outcome.COMPLETED, execution.getId(), delivered,
					delivered + " change(s) delivered (execution " + execution.getId() + ")");
		}
		String reason = execution.getAllFailureExceptions()
			.stream()
			.map(Throwable::getMessage)
			.findFirst()
			.orElse(execution.getStatus().toString());
		return new DeliveryRun(DeliveryRun.Outcome.FAILED, execution.getId(), delivered,
				"delivery stopped after " + delivered + " change(s) (execution " + execution.getId() + "): " + reason);
	}

	/**
	 * Under the lock no other delivery is alive: an execution still marked running
	 * belongs to a process that died.
	 */
	private void recoverInterruptedRuns() {
		for (JobExecution stale : this.jobRepository
			.findRunningJobExecutions(ChangeDeliveryJobConfiguration.JOB_NAME)) {
			this.jobOperator.recover(stale);
		}
	}

}
