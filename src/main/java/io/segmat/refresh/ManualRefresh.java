package io.segmat.refresh;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import javax.sql.DataSource;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.db.AdvisoryLock;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A user's manual refresh of one segment: checks SendGrid's quotas, then evaluates it now
 * and publishes count and sample, leaving the scheduled backoff alone.
 */
@Component
public class ManualRefresh {

	public static final int MAX_REFRESHES = ManualRefreshLimits.PER_SEGMENT_PER_DAY;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final JobOperator jobOperator;

	private final Job job;

	private final ManualRefreshLimits limits;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	ManualRefresh(DataSource dataSource, JdbcClient jdbc, JobOperator jobOperator,
			@Qualifier("segmentManualRefreshJob") Job job, ManualRefreshLimits limits, Clock clock,
			ApplicationEventPublisher events) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.jobOperator = jobOperator;
		this.job = job;
		this.limits = limits;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Refreshes the segment at {@code asOf} (now when null) for a user in
	 * {@code timeZone}.
	 * @return the Batch job execution that did it
	 */
	public JobExecution refresh(UUID segmentId, String timeZone, Instant asOf) {
		ZoneId zone = zone(timeZone);
		Instant at = ((asOf != null) ? asOf : this.clock.instant()).truncatedTo(ChronoUnit.SECONDS);
		boolean exists = this.jdbc.sql("SELECT count(*) > 0 FROM segment WHERE id = ?")
			.param(segmentId)
			.query(Boolean.class)
			.single();
		if (!exists) {
			throw new NotFoundException("Segment does not exist.");
		}
		try (Connection lock = this.dataSource.getConnection()) {
			AdvisoryLock.MANUAL_REFRESH.lock(lock);
			try {
				this.limits.check(segmentId, zone, at);
				JobExecution execution = this.jobOperator.start(this.job,
						new JobParametersBuilder()
							.addString(ManualRefreshJobConfiguration.SEGMENT_ID, segmentId.toString())
							.addString(ManualRefreshJobConfiguration.AS_OF, at.toString())
							.addString(ManualRefreshJobConfiguration.TIME_ZONE, zone.getId())
							.toJobParameters());
				if (execution.getStatus() != BatchStatus.COMPLETED) {
					throw new IllegalStateException(
							"the refresh of segment " + segmentId + " ended " + execution.getStatus());
				}
				return execution;
			}
			finally {
				AdvisoryLock.MANUAL_REFRESH.unlock(lock);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot take the manual refresh lock: " + ex.getMessage(), ex);
		}
		catch (org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException ex) {
			throw refused(segmentId,
					new io.segmat.LimitExceededException("segment " + segmentId + " was already refreshed at " + at));
		}
		catch (io.segmat.LimitExceededException ex) {
			throw refused(segmentId, ex);
		}
		catch (IllegalStateException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot refresh segment " + segmentId + ": " + ex.getMessage(), ex);
		}
	}

	private io.segmat.LimitExceededException refused(UUID segmentId, io.segmat.LimitExceededException ex) {
		this.events.publishEvent(new ManualRefreshRefused(segmentId));
		return ex;
	}

	/**
	 * Manual refreshes used today, from midnight in the zone of the segment's last manual
	 * refresh.
	 */
	public int refreshesUsed(UUID segmentId, String timeZone) {
		if (timeZone == null) {
			return 0;
		}
		Instant now = this.clock.instant();
		ZoneId zone = ZoneId.of(timeZone);
		return this.limits.usedSince(segmentId, now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant(), now);
	}

	private static ZoneId zone(String timeZone) {
		if (timeZone == null || timeZone.isBlank()) {
			throw new InvalidInputException("user_time_zone", "user_time_zone is required, e.g. America/Chicago");
		}
		try {
			return ZoneId.of(timeZone);
		}
		catch (DateTimeException ex) {
			throw new InvalidInputException("user_time_zone",
					"'" + timeZone + "' is not an IANA time zone such as America/Chicago");
		}
	}

}
