package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A segment whose query compares values with a bound that moves with the clock is
 * skipped, when nothing it reads changed, until the bound reaches the nearest value ahead
 * of it; it is evaluated again as soon as a value crosses the edge or a dependency
 * changes.
 */
class ClockSkipTests extends SegmentRefreshJobTestSupport {

	private static final String OPENED_LATELY = "SELECT c.contact_id, c.updated_at FROM contact_data c "
			+ "JOIN event_data e ON c.contact_id = e.contact_id "
			+ "WHERE e.event_type = 'open' AND e.timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP)";

	private static final String NEVER_OPENED_LATELY = "SELECT contact_id, updated_at FROM contact_data "
			+ "WHERE contact_id NOT IN (SELECT contact_id FROM event_data "
			+ "WHERE event_type = 'open' AND timestamp > timestampadd(day, -30, CURRENT_TIMESTAMP))";

	@Test
	void anEvaluationRecordsWhenTheOldestMemberLeavesTheWindow() {
		Segment opened = openedByAdaAndBob();

		refresh(T0);

		// bob's open leaves the 30-day window at T0 + 10 days, less the proof's margin
		assertThat(clockStableUntil(opened)).isBetween(T0.plus(Duration.ofDays(10)).minusSeconds(3),
				T0.plus(Duration.ofDays(10)).minusSeconds(1));
	}

	@Test
	void anUnchangedWindowIsSkippedUntilAMemberAgesOut() {
		Segment opened = openedByAdaAndBob();
		refresh(T0);

		RefreshRun quiet = refresh(T0.plus(Duration.ofDays(9)));

		assertThat(this.jobRepository.getJobExecution(quiet.executionId()).getStatus())
			.isEqualTo(BatchStatus.COMPLETED);
		assertThat(stepNames(quiet.executionId())).noneMatch((step) -> step.contains(":segment:"));
		assertThat(evaluationCount(opened)).isEqualTo(1);
		assertThat(evaluatedAt(opened)).isEqualTo(T0);
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com", "bob@example.com");
	}

	@Test
	void aMemberWhoseEventAgesOutIsRemovedByTheNextRun() {
		Segment opened = openedByAdaAndBob();
		refresh(T0);

		RefreshRun crossed = refresh(T0.plus(Duration.ofDays(10)).plusSeconds(60));

		assertThat(crossed.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(stepNames(crossed.executionId())).contains("evaluateSegmentStep:segment:" + id(opened));
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com");
		assertThat(evaluation(opened)).containsEntry("exited", 1L).containsEntry("entered", 0L);
		// ada's open, 20 days after bob's, is the next to leave
		assertThat(clockStableUntil(opened)).isBetween(T0.plus(Duration.ofDays(20)).minusSeconds(3),
				T0.plus(Duration.ofDays(20)).minusSeconds(1));
	}

	@Test
	void aRunAtTheRecordedInstantSkipsAndOneJustAfterEvaluates() {
		Segment due = renewalDueWithAdaRenewingAtFive();
		refresh(T0);
		Instant stableUntil = clockStableUntil(due);

		// each run in a slot of its own: a slot runs once
		this.launcher.launch(T0.plus(Duration.ofHours(4)).toString(), stableUntil.toString(), 2);
		long atTheInstant = evaluationCount(due);
		this.launcher.launch(T0.plus(Duration.ofHours(5)).toString(), stableUntil.plusMillis(1).toString(), 2);
		long justAfter = evaluationCount(due);

		assertThat(stableUntil).isBetween(T0.plus(Duration.ofHours(3)).minusSeconds(3),
				T0.plus(Duration.ofHours(3)).minusSeconds(1));
		assertThat(atTheInstant).isEqualTo(1);
		assertThat(justAfter).isEqualTo(2);
		assertThat(this.data.members(id(due))).isEmpty();
	}

	@Test
	void aFutureDatedValueEntersOnceTheBoundPassesIt() {
		Segment due = renewalDueWithAdaRenewingAtFive();
		refresh(T0);

		RefreshRun entered = refresh(T0.plus(Duration.ofHours(3)).plusSeconds(60));

		assertThat(entered.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.data.members(id(due))).containsExactly("ada@example.com");
		assertThat(evaluation(due)).containsEntry("entered", 1L);
		// nothing is ahead of the bound any more
		assertThat(clockStableUntil(due)).isAfter(T0.plus(Duration.ofDays(300)));
	}

	@Test
	void aBoundThatJumpsIsProvenShortOfItsJump() {
		// given: at 22:00 the bound is 21:00 the day before; at midnight it jumps a whole
		// day, past bob's creation at 01:00, long before the distance of 4 hours says
		this.data.update("bob@example.com", "created_at", Timestamp.from(T0.plus(Duration.ofHours(1))));
		Segment lately = this.segments.create("created-lately", "SELECT contact_id, updated_at FROM contact_data "
				+ "WHERE created_at >= timestampadd(hour, -3, date_trunc('day', CURRENT_TIMESTAMP))", null);
		Instant evening = T0.plus(Duration.ofHours(22));
		refresh(evening);
		Instant stableUntil = clockStableUntil(lately);

		// when
		RefreshRun afterMidnight = refresh(T0.plus(Duration.ofHours(24)).plusSeconds(60));

		// then
		assertThat(stableUntil).isAfter(evening).isBefore(T0.plus(Duration.ofHours(24)));
		assertThat(afterMidnight.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(evaluationCount(lately)).isEqualTo(2);
		assertThat(this.data.members(id(lately))).isEmpty();
	}

	@Test
	void aNewEventEndsTheSkip() {
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(10)));
		Segment opened = this.segments.create("opened", OPENED_LATELY, null);
		refresh(T0);

		this.data.event("cy@mail.test", "open", T0.plus(Duration.ofHours(1)));
		RefreshRun changed = refresh(T0.plus(Duration.ofHours(2)));

		assertThat(changed.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(evaluationCount(opened)).isEqualTo(2);
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com", "cy@mail.test");
	}

	@Test
	void aChangedContactEndsTheSkip() {
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(10)));
		this.data.event("bob@example.com", "open", T0.minus(Duration.ofDays(10)));
		Segment opened = this.segments.create("opened", OPENED_LATELY, null);
		refresh(T0);

		this.data.delete("bob@example.com");
		refresh(T0.plus(Duration.ofHours(2)));

		assertThat(evaluationCount(opened)).isEqualTo(2);
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com");
	}

	@Test
	void aNeverOpenedWindowIsSkippedUntilAnOpenAgesOutWhateverOtherEventsAgeOutFirst() {
		// given bob's open 20 days before T0 and clicks of both that leave the window
		// first
		this.data.event("bob@example.com", "open", T0.minus(Duration.ofDays(20)));
		this.data.event("ada@example.com", "click", T0.minus(Duration.ofDays(28)));
		this.data.event("bob@example.com", "click", T0.minus(Duration.ofDays(25)));
		Segment neverOpened = this.segments.create("never-opened-lately", NEVER_OPENED_LATELY, null);

		// when it is evaluated
		refresh(T0);

		// then only bob's open leaving the window can change it, 10 days on
		assertThat(this.data.members(id(neverOpened))).doesNotContain("bob@example.com").contains("ada@example.com");
		assertThat(clockStableUntil(neverOpened)).isBetween(T0.plus(Duration.ofDays(10)).minusSeconds(3),
				T0.plus(Duration.ofDays(10)).minusSeconds(1));

		// and a run after the clicks left, before the open, skips it
		RefreshRun quiet = refresh(T0.plus(Duration.ofDays(6)));
		assertThat(stepNames(quiet.executionId())).noneMatch((step) -> step.contains(":segment:"));
		assertThat(evaluationCount(neverOpened)).isEqualTo(1);

		// and the run after bob's open left makes him a member
		refresh(T0.plus(Duration.ofDays(10)).plusSeconds(60));
		assertThat(this.data.members(id(neverOpened))).contains("bob@example.com");
		assertThat(evaluation(neverOpened)).containsEntry("entered", 1L).containsEntry("exited", 0L);
	}

	@Test
	void anOlderOpenAgingOutBehindANewerOneChangesNothingAndIsNotWaitedFor() {
		// given ada's opens 25 and 5 days before T0, and bob's 20 days before
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(25)));
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(5)));
		this.data.event("bob@example.com", "open", T0.minus(Duration.ofDays(20)));
		Segment opened = this.segments.create("opened", OPENED_LATELY, null);

		// when it is evaluated
		refresh(T0);

		// then the next change is bob's open leaving, 10 days on: ada's older open
		// leaves 5 days on with her newer one still inside
		assertThat(clockStableUntil(opened)).isBetween(T0.plus(Duration.ofDays(10)).minusSeconds(3),
				T0.plus(Duration.ofDays(10)).minusSeconds(1));

		// and a run after ada's older open left skips the segment
		RefreshRun quiet = refresh(T0.plus(Duration.ofDays(6)));
		assertThat(stepNames(quiet.executionId())).noneMatch((step) -> step.contains(":segment:"));
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com", "bob@example.com");

		// and the run after bob's left removes him alone
		refresh(T0.plus(Duration.ofDays(10)).plusSeconds(60));
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com");
		assertThat(evaluation(opened)).containsEntry("exited", 1L).containsEntry("entered", 0L);
	}

	@Test
	void aContactWhoseLatestOpenAgesOutEntersANeverOpenedWindowThoughAnOlderOneLeftFirst() {
		// given ada's opens 25 and 15 days before T0, and bob, who only clicked
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(25)));
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(15)));
		this.data.event("bob@example.com", "click", T0.minus(Duration.ofDays(2)));
		Segment neverOpened = this.segments.create("never-opened-lately", NEVER_OPENED_LATELY, null);
		refresh(T0);
		assertThat(this.data.members(id(neverOpened))).contains("bob@example.com").doesNotContain("ada@example.com");

		// when runs follow the older open's leaving (day 5) and the newer one's (day 15)
		refresh(T0.plus(Duration.ofDays(6)));
		List<String> afterOlder = this.data.members(id(neverOpened));
		refresh(T0.plus(Duration.ofDays(15)).plusSeconds(60));

		// then ada enters only when her latest open has left
		assertThat(afterOlder).doesNotContain("ada@example.com");
		assertThat(this.data.members(id(neverOpened))).contains("ada@example.com", "bob@example.com");
		assertThat(evaluation(neverOpened)).containsEntry("entered", 1L).containsEntry("exited", 0L);
	}

	@Test
	void aWindowWhoseNextCrossingIsWithinTheIntervalRecordsNoSkip() {
		// given bob's open, which leaves the 30-day window half an hour after T0, and
		// ada's,
		// ten days later
		this.data.event("bob@example.com", "open", T0.minus(Duration.ofDays(30)).plus(Duration.ofMinutes(30)));
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(20)));
		Segment opened = this.segments.create("opened", OPENED_LATELY, null);

		// when it is evaluated
		refresh(T0);

		// then the next run evaluates it again: there is nothing to skip before then
		assertThat(clockStableUntil(opened)).isNull();
		refresh(T0.plus(Duration.ofHours(1)));
		assertThat(evaluationCount(opened)).isEqualTo(2);
		assertThat(this.data.members(id(opened))).containsExactly("ada@example.com");
		// and bob's leaving makes ada's open the nearest, ten days on
		assertThat(clockStableUntil(opened)).isBetween(T0.plus(Duration.ofDays(10)).minusSeconds(3),
				T0.plus(Duration.ofDays(10)).minusSeconds(1));
	}

	@Test
	void aClockReadWithoutABoundIsNeverSkipped() {
		String renewal = this.data.field("renewal", "Date");
		this.data.customField("ada@example.com", renewal, T0.plus(Duration.ofDays(5)).getEpochSecond());
		Segment opaque = this.segments.create("renewal-or-now", "SELECT contact_id, updated_at FROM contact_data "
				+ "WHERE coalesce(renewal, CURRENT_TIMESTAMP) < timestampadd(hour, 1, NOW())", null);
		refresh(T0);

		refresh(T0.plus(Duration.ofHours(2)));

		assertThat(clockStableUntil(opaque)).isNull();
		assertThat(evaluationCount(opaque)).isEqualTo(2);
	}

	/** The 30-day window, ada's open 10 days before T0 and bob's 20. */
	private Segment openedByAdaAndBob() {
		this.data.event("ada@example.com", "open", T0.minus(Duration.ofDays(10)));
		this.data.event("bob@example.com", "open", T0.minus(Duration.ofDays(20)));
		return this.segments.create("opened", OPENED_LATELY, null);
	}

	/** Renewals within two hours of the clock; ada renews at T0 + 5 h. */
	private Segment renewalDueWithAdaRenewingAtFive() {
		String renewal = this.data.field("renewal", "Date");
		this.data.customField("ada@example.com", renewal, T0.plus(Duration.ofHours(5)).getEpochSecond());
		return this.segments.create("renewal-due",
				"SELECT contact_id, updated_at FROM contact_data WHERE renewal < timestampadd(hour, 2, CURRENT_TIMESTAMP)",
				null);
	}

	private Instant clockStableUntil(Segment segment) {
		Timestamp until = this.jdbc.sql("SELECT clock_stable_until FROM segment WHERE id = ?")
			.param(id(segment))
			.query(Timestamp.class)
			.optional()
			.orElse(null);
		return (until != null) ? until.toInstant() : null;
	}

	private Instant evaluatedAt(Segment segment) {
		return this.jdbc.sql("SELECT evaluated_at FROM segment WHERE id = ?")
			.param(id(segment))
			.query(Timestamp.class)
			.single()
			.toInstant();
	}

}
