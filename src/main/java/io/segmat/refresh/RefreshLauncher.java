package io.segmat.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.segmat.db.AdvisoryLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Starts {@code segmentRefreshJob} safely: one run at a time across machines, a crashed
 * run recovered first, a completed slot left alone, a failed one restarted with its
 * original parameters. Spring Batch alone lets concurrent restarts of one failed instance
 * all run (spring-batch#5397), hence the PostgreSQL advisory lock held on a dedicated
 * connection for the whole run.
 */
@Component
public class RefreshLauncher implements DisposableBean {

	private static final Duration STOP_GRACE = Duration.ofSeconds(60);

	private static final Logger logger = LoggerFactory.getLogger(RefreshLauncher.class);

	private final DataSource dataSource;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job job;

	private final Clock clock;

	private final int defaultThreads;

	private volatile CountDownLatch finished = new CountDownLatch(0);

	RefreshLauncher(DataSource dataSource, JobOperator jobOperator, JobRepository jobRepository,
			@Qualifier("segmentRefreshJob") Job job, Clock clock, RefreshSettings settings) {
		this.dataSource = dataSource;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.job = job;
		this.clock = clock;
		this.defaultThreads = settings.threads();
	}

	/**
	 * Runs the slot. Null arguments take their defaults: the slot is now truncated to the
	 * minute, asOf is now, threads come from the settings.
	 */
	public RefreshRun launch(String slot, String asOf, Integer threads) {
		// SendGrid's timestamps are to the second; so is the default evaluation instant.
		Instant now = this.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		RefreshParameters parameters;
		try {
			Instant slotInstant = (slot != null) ? RefreshParameters.parseInstant(slot) : now;
			Instant asOfInstant = (asOf != null) ? RefreshParameters.parseInstant(asOf) : now;
			parameters = new RefreshParameters(RefreshParameters.slotOf(slotInstant), asOfInstant,
					(threads != null) ? threads : this.defaultThreads);
		}
		catch (IllegalArgumentException ex) {
			return new RefreshRun(RefreshRun.Outcome.INVALID_PARAMETERS, slot, null, ex.getMessage(), List.of());
		}
		return AdvisoryLock.REFRESH.whileHeld(this.dataSource, () -> {
			recoverInterruptedRuns();
			return run(parameters);
		})
			.orElseGet(() -> new RefreshRun(RefreshRun.Outcome.LOCKED, parameters.slot(), null,
					"another materialization run holds the lock; try again later", List.of()));
	}

	/**
	 * On shutdown (SIGTERM), stop the run at the next segment boundary and wait for it to
	 * say so.
	 */
	@Override
	public void destroy() throws InterruptedException {
		if (this.finished.getCount() == 0) {
			return;
		}
		// This process holds the lock, so the running execution of the job is this one.
		for (JobExecution execution : this.jobRepository
			.findRunningJobExecutions(SegmentRefreshJobConfiguration.JOB_NAME)) {
			logger.warn("stopping refresh execution {} at the next segment boundary", execution.getId());
			try {
				this.jobOperator.stop(execution);
			}
			catch (Exception ex) {
				logger.warn("could not stop execution {}: {}", execution.getId(), ex.getMessage());
			}
		}
		this.finished.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
	}

	private RefreshRun run(RefreshParameters parameters) {
		JobParameters jobParameters = parameters.toJobParameters();
		JobInstance instance = this.jobRepository.getJobInstance(SegmentRefreshJobConfiguration.JOB_NAME,
				jobParameters);
		JobExecution last = (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
		if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
			return new RefreshRun(RefreshRun.Outcome.ALREADY_COMPLETED, parameters.slot(), last.getId(),
					"slot " + parameters.slot() + " already completed (execution " + last.getId() + "); nothing to do",
					List.of());
		}
		if (last != null && last.getStatus() == BatchStatus.ABANDONED) {
			return new RefreshRun(RefreshRun.Outcome.FAILED, parameters.slot(), last.getId(),
					"slot " + parameters.slot() + " was abandoned (execution " + last.getId() + "); run another slot",
					List.of());
		}
		this.finished = new CountDownLatch(1);
		try {
			JobExecution execution = (last != null) ? restart(last) : start(jobParameters);
			return outcome(parameters.slot(), execution);
		}
		catch (InvalidJobParametersException ex) {
			return new RefreshRun(RefreshRun.Outcome.INVALID_PARAMETERS, parameters.slot(), null, ex.getMessage(),
					List.of());
		}
		finally {
			this.finished.countDown();
		}
	}

	private JobExecution start(JobParameters parameters) throws InvalidJobParametersException {
		try {
			return this.jobOperator.start(this.job, parameters);
		}
		catch (InvalidJobParametersException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot start " + this.job.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private JobExecution restart(JobExecution last) {
		logger.info("restarting slot from execution {} ({})", last.getId(), last.getStatus());
		try {
			return this.jobOperator.restart(last);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot restart execution " + last.getId() + ": " + ex.getMessage(), ex);
		}
	}

	private RefreshRun outcome(String slot, JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			// The outcome listener already named the failed segments in the exit status.
			ExitStatus exit = execution.getExitStatus();
			if (RefreshOutcomeListener.COMPLETED_WITH_FAILED_SEGMENTS.equals(exit.getExitCode())) {
				List<String> failed = exit.getExitDescription().lines().toList();
				return new RefreshRun(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS, slot, execution.getId(),
						"slot " + slot + " completed, but " + failed.size() + " segment(s) failed", failed);
			}
			return new RefreshRun(RefreshRun.Outcome.COMPLETED, slot, execution.getId(),
					"slot " + slot + " completed (execution " + execution.getId() + ")", List.of());
		}
		String reason = execution.getExitStatus().getExitDescription();
		return new RefreshRun(RefreshRun.Outcome.FAILED, slot, execution.getId(),
				"slot " + slot + " ended " + execution.getStatus() + " (execution " + execution.getId()
						+ "); run it again to finish it"
						+ ((reason != null && !reason.isBlank()) ? ": " + reason.lines().findFirst().orElse("") : ""),
				List.of());
	}

	/**
	 * Under the lock no other run is alive, so an execution still marked running belongs
	 * to a process that died; mark it failed so its slot can be restarted.
	 */
	private void recoverInterruptedRuns() {
		for (JobExecution stale : this.jobRepository
			.findRunningJobExecutions(SegmentRefreshJobConfiguration.JOB_NAME)) {
			logger.warn("recovering execution {} left {} by a process that stopped", stale.getId(), stale.getStatus());
			this.jobOperator.recover(stale);
		}
	}

}
