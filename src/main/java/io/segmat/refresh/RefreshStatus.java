package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The refresh's health at one instant, for {@code segmat status}: healthy when
 * {@link #reasons()} is empty.
 *
 * @param checkedAt the instant of the check, from the application's clock
 * @param segments how many segments the account has
 * @param lastRun the latest execution of the scheduled refresh, if any ran
 * @param stuckRuns executions left STARTED by a process that is gone, or running past the
 * threshold
 * @param overdueSegments valid segments past their due time by more than the grace
 * @param invalidSegments segments whose query no longer evaluates
 * @param worstStaleness the valid segment evaluated longest ago, if any
 * @param reasons why it is not healthy, one sentence each
 */
public record RefreshStatus(Instant checkedAt, int segments, LastRun lastRun, List<StuckRun> stuckRuns,
		List<OverdueSegment> overdueSegments, List<InvalidSegment> invalidSegments, Staleness worstStaleness,
		List<Reason> reasons) {

	public boolean healthy() {
		return this.reasons.isEmpty();
	}

	/** What makes a status unhealthy. */
	public enum ReasonCode {

		LAST_RUN_FAILED, STUCK_RUN, OVERDUE_SEGMENTS, INVALID_SEGMENTS

	}

	public record Reason(ReasonCode code, String message) {
	}

	/**
	 * @param slot the slot it ran for
	 * @param status Spring Batch's status: COMPLETED, FAILED, STARTED, ...
	 * @param exitCode Batch's exit code, e.g. COMPLETED_WITH_FAILED_SEGMENTS
	 * @param ended null while it runs
	 */
	public record LastRun(long executionId, String slot, String status, String exitCode, Instant started,
			Instant ended) {
	}

	/**
	 * @param why "no process holds its lock" or how long it has been running
	 */
	public record StuckRun(long executionId, String job, String status, Instant started, Instant lastUpdated,
			String why) {
	}

	/**
	 * @param dueSince when it became due: its query changed, its inputs changed and the
	 * evaluation interval passed, or its sample was due
	 * @param why which of these
	 */
	public record OverdueSegment(UUID id, String name, Instant dueSince, String why) {
	}

	public record InvalidSegment(UUID id, String name, String errorMessage) {
	}

	/**
	 * @param evaluatedAt null if it was never evaluated: it is then as stale as it is old
	 */
	public record Staleness(UUID id, String name, Instant evaluatedAt, Duration staleness) {
	}

}
