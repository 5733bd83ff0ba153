package io.segmat.refresh;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.segmat.db.AdvisoryLock;
import io.segmat.refresh.RefreshStatus.ReasonCode;
import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh's health as {@code segmat status} reports it, read at instants a fixed
 * clock gives.
 */
class RefreshHealthTests extends SegmentRefreshJobTestSupport {

	private static final Duration STUCK_AFTER = Duration.ofHours(2);

	private static final Duration GRACE = Duration.ofMinutes(30);

	private static final String UK = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";

	@Autowired
	RefreshPlanner planner;

	@Autowired
	RefreshSettings settings;

	@Test
	void aCompletedRunWithEverySegmentCurrentIsHealthy() {
		// given
		Segment uk = this.segments.create("uk", UK, null);
		RefreshRun run = refresh(T0);

		// when
		RefreshStatus status = checkAt(T0.plus(Duration.ofMinutes(10)));

		// then
		assertThat(status.healthy()).isTrue();
		assertThat(status.reasons()).isEmpty();
		assertThat(status.lastRun().executionId()).isEqualTo(run.executionId());
		assertThat(status.lastRun().status()).isEqualTo("COMPLETED");
		assertThat(status.lastRun().slot()).isEqualTo(T0.toString());
		assertThat(status.stuckRuns()).isEmpty();
		assertThat(status.overdueSegments()).isEmpty();
		assertThat(status.invalidSegments()).isEmpty();
		assertThat(status.worstStaleness().id()).isEqualTo(id(uk));
		assertThat(status.worstStaleness().staleness()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void aLastRunThatFailedIsUnhealthy() {
		// given: the run's end as a failure leaves it
		this.segments.create("uk", UK, null);
		RefreshRun run = refresh(T0);
		this.jdbc
			.sql("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' WHERE job_execution_id = ?")
			.param(run.executionId())
			.update();

		// when
		RefreshStatus status = checkAt(T0.plus(Duration.ofMinutes(10)));

		// then
		assertThat(status.healthy()).isFalse();
		assertThat(status.reasons()).singleElement().satisfies((reason) -> {
			assertThat(reason.code()).isEqualTo(ReasonCode.LAST_RUN_FAILED);
			assertThat(reason.message()).contains("execution " + run.executionId()).contains("FAILED");
		});
	}

	@Test
	void aRunLeftStartedWhoseLockNobodyHoldsIsStuckAtOnce() {
		// given: what a SIGKILL leaves behind
		this.segments.create("uk", UK, null);
		RefreshRun run = refresh(T0);
		killed(run.executionId());

		// when
		RefreshStatus status = checkAt(T0.plus(Duration.ofMinutes(10)));

		// then
		assertThat(status.healthy()).isFalse();
		assertThat(status.stuckRuns()).singleElement().satisfies((stuck) -> {
			assertThat(stuck.executionId()).isEqualTo(run.executionId());
			assertThat(stuck.why()).contains("no process holds its lock");
		});
		assertThat(status.reasons()).extracting(RefreshStatus.Reason::code).containsExactly(ReasonCode.STUCK_RUN);
	}

	@Test
	void aRunWhoseProcessHoldsTheLockIsStuckOnlyPastTheThreshold() throws Exception {
		// given
		this.segments.create("uk", UK, null);
		RefreshRun run = refresh(T0);
		killed(run.executionId());
		Instant started = this.jdbc.sql("SELECT start_time FROM batch_job_execution WHERE job_execution_id = ?")
			.param(run.executionId())
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();
		try (Connection live = database.dataSource().getConnection()) {
			AdvisoryLock.REFRESH.lock(live);

			// when
			RefreshStatus running = checkAt(started.plus(Duration.ofMinutes(10)));
			RefreshStatus tooLong = checkAt(started.plus(Duration.ofHours(3)));

			// then
			assertThat(running.stuckRuns()).isEmpty();
			assertThat(tooLong.stuckRuns()).singleElement()
				.satisfies((stuck) -> assertThat(stuck.why()).contains("started 180 minutes ago"));
			AdvisoryLock.REFRESH.unlock(live);
		}
	}

	@Test
	void aSegmentWhoseInputsChangedIsOverdueOnlyPastTheIntervalAndTheGrace() {
		// given
		Segment uk = this.segments.create("uk", UK, null);
		refresh(T0);
		this.data.update("bob@example.com", "country", "UK");
		Instant due = T0.plus(this.settings.evaluationInterval());

		// when
		RefreshStatus withinGrace = checkAt(due.plus(GRACE).minusSeconds(60));
		RefreshStatus pastGrace = checkAt(due.plus(GRACE).plusSeconds(60));

		// then
		assertThat(withinGrace.healthy()).isTrue();
		assertThat(pastGrace.healthy()).isFalse();
		assertThat(pastGrace.overdueSegments()).singleElement().satisfies((overdue) -> {
			assertThat(overdue.id()).isEqualTo(id(uk));
			assertThat(overdue.dueSince()).isEqualTo(due);
			assertThat(overdue.why()).contains("inputs changed");
		});
		assertThat(pastGrace.reasons()).extracting(RefreshStatus.Reason::code)
			.containsExactly(ReasonCode.OVERDUE_SEGMENTS);
	}

	@Test
	void aClockSegmentIsDueByTimeOnlyOnceItsRecordedCrossingPassed() {
		// given: ada's open leaves the 30-day window 10 days after T0; the sample is not
		// due
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(20)));
		Segment opened = this.segments.create("opened",
				"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id "
						+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)",
				null);
		refresh(T0);
		this.jdbc.sql("UPDATE segment SET next_sample_update = ? WHERE id = ?")
			.params(java.sql.Timestamp.from(T0.plus(Duration.ofDays(100))), id(opened))
			.update();
		Instant crossing = this.jdbc.sql("SELECT clock_stable_until FROM segment WHERE id = ?")
			.param(id(opened))
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();

		// when
		RefreshStatus before = checkAt(T0.plus(Duration.ofDays(5)));
		RefreshStatus after = checkAt(crossing.plus(GRACE).plusSeconds(60));

		// then
		assertThat(before.overdueSegments()).isEmpty();
		assertThat(after.overdueSegments()).singleElement().satisfies((overdue) -> {
			assertThat(overdue.id()).isEqualTo(id(opened));
			assertThat(overdue.dueSince()).isEqualTo(crossing);
			assertThat(overdue.why()).contains("clock passed");
		});
	}

	@Test
	void aSegmentNeverEvaluatedIsOverduePastTheGrace() {
		// given
		Segment uk = this.segments.create("uk", UK, null);
		Instant saved = this.jdbc.sql("SELECT updated_at FROM segment WHERE id = ?")
			.param(id(uk))
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();

		// when
		RefreshStatus soon = checkAt(saved.plus(Duration.ofMinutes(5)));
		RefreshStatus late = checkAt(saved.plus(GRACE).plusSeconds(60));

		// then
		assertThat(soon.healthy()).isTrue();
		assertThat(soon.lastRun()).isNull();
		assertThat(soon.worstStaleness().evaluatedAt()).isNull();
		assertThat(late.overdueSegments()).singleElement()
			.satisfies((overdue) -> assertThat(overdue.why()).isEqualTo("never evaluated"));
	}

	@Test
	void anInvalidSegmentIsUnhealthyAndLeftOutOfOverdueAndStaleness() {
		// given
		String plan = this.data.field("plan", "Text");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", null);
		Segment uk = this.segments.create("uk", UK, null);
		this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(plan).update();
		refresh(T0);

		// when
		RefreshStatus status = checkAt(T0.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(1)));

		// then
		assertThat(status.invalidSegments()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.id()).isEqualTo(id(gold));
			assertThat(invalid.errorMessage()).contains("plan");
		});
		assertThat(status.reasons()).extracting(RefreshStatus.Reason::code)
			.contains(ReasonCode.INVALID_SEGMENTS)
			.doesNotContain(ReasonCode.LAST_RUN_FAILED);
		assertThat(status.overdueSegments()).extracting(RefreshStatus.OverdueSegment::id).containsExactly(id(uk));
		assertThat(status.worstStaleness().id()).isEqualTo(id(uk));
	}

	private RefreshStatus checkAt(Instant now) {
		return new RefreshHealth(this.jdbc, this.planner, Clock.fixed(now, ZoneOffset.UTC), this.settings)
			.check(STUCK_AFTER, GRACE);
	}

	private void killed(long executionId) {
		this.jdbc.sql("""
				UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL
				WHERE job_execution_id = ?
				""").param(executionId).update();
	}

}
